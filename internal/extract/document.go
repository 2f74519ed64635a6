// Package extract builds a citizen's register extract (registerutdrag, GDPR art. 15) and its
// machine-readable copy (art. 20): everything the portal holds about the person, as a JSON
// document in the format "minasidor.extract" version 1 (described field by field in Fields, and
// on the portal's format page), as a readable page and PDF made from that document by the web
// layer, and as a ZIP of the document with every file.
//
// A request (Request) is recorded and built by a River job (Build), which shows its progress as
// it goes, stores the document and the ZIP, and tells the person when it is ready. The extract
// can be downloaded by that person only, until it expires; the retention job then removes it,
// leaving the request as its record.
package extract

import (
	"time"

	"github.com/google/uuid"
)

// Format and Version name the document's format.
const (
	Format  = "minasidor.extract"
	Version = 1
)

// Document is the register extract.
type Document struct {
	Format    string           `json:"format"`
	Version   int              `json:"version"`
	CreatedAt time.Time        `json:"created_at"`
	Language  string           `json:"language"`
	Person    Person           `json:"person"`
	Contact   Contact          `json:"contact"`
	Drafts    []Draft          `json:"drafts"`
	Cases     []Case           `json:"cases"`
	Consents  []Consent        `json:"consents"`
	Bookings  []Booking        `json:"bookings"`
	Notices   []Notice         `json:"notices"`
	Security  []SecurityEvent  `json:"security_events"`
	Requests  []ExtractRequest `json:"extract_requests"`
	Public    []PublicRequest  `json:"public_document_requests"`
	Signed    []GivenSignature `json:"signatures_given"`
}

// Signature is a signature a case was submitted with.
type Signature struct {
	Role        string    `json:"role"`
	Name        string    `json:"name"`
	SignedAt    time.Time `json:"signed_at"`
	ContentHash string    `json:"content_hash"`
}

// GivenSignature is a signature the person made, on their own or someone else's application.
type GivenSignature struct {
	SignedAt    time.Time `json:"signed_at"`
	Role        string    `json:"role"`
	EService    string    `json:"eservice"`
	Reference   string    `json:"reference"`
	ContentHash string    `json:"content_hash"`
}

// PublicRequest is a request for public documents the person made while logged in, with the
// answer on Mina sidor.
type PublicRequest struct {
	Reference       string     `json:"reference"`
	Municipality    string     `json:"municipality"`
	CreatedAt       time.Time  `json:"created_at"`
	State           string     `json:"state"`
	AskedReferences string     `json:"asked_references"`
	Subject         string     `json:"subject"`
	DecidedAt       *time.Time `json:"decided_at"`
	Outcome         string     `json:"outcome"`
}

// Person is the account: who the person is, from the e-ID and the population register.
type Person struct {
	AccountID         uuid.UUID  `json:"account_id"`
	PersonalNumber    string     `json:"personal_number"`
	GivenName         string     `json:"given_name"`
	Surname           string     `json:"surname"`
	DisplayName       string     `json:"display_name"`
	ProtectedIdentity bool       `json:"protected_identity"`
	Address           *Address   `json:"address"`
	AddressFetchedAt  *time.Time `json:"address_fetched_at"`
	Language          string     `json:"language"`
	CreatedAt         time.Time  `json:"created_at"`
	LastLoginAt       *time.Time `json:"last_login_at"`
	PreviousLoginAt   *time.Time `json:"previous_login_at"`
}

// Address is the address from the population register.
type Address struct {
	Street     string `json:"street"`
	CareOf     string `json:"care_of"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
}

// Contact is the contact data the person gave, and when each was confirmed.
type Contact struct {
	Email            string     `json:"email"`
	EmailConfirmedAt *time.Time `json:"email_confirmed_at"`
	Phone            string     `json:"phone"`
	PhoneConfirmedAt *time.Time `json:"phone_confirmed_at"`
	PreferredChannel string     `json:"preferred_channel"`
}

// EService names an e-service and holds its privacy notice.
type EService struct {
	ID           uuid.UUID `json:"id"`
	Slug         string    `json:"slug"`
	Title        string    `json:"title"`
	Municipality string    `json:"municipality"`
	Privacy      Privacy   `json:"privacy"`
}

// Privacy is an e-service's privacy notice, in the extract's language.
type Privacy struct {
	Data       string `json:"data"`
	Purpose    string `json:"purpose"`
	LegalBasis string `json:"legal_basis"`
	Controller string `json:"controller"`
	Sources    string `json:"sources"`
	Retention  string `json:"retention"`
	Consent    bool   `json:"consent"`
}

// Answers are the answers of a form: the stored values by field key, and the same as the form
// shows them (labels, display values).
type Answers struct {
	Values map[string][]string `json:"values"`
	Shown  []Step              `json:"shown"`
}

// Step is one step of a form with its answered fields.
type Step struct {
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// Item is one answered field.
type Item struct {
	Field  string   `json:"field"`
	Label  string   `json:"label"`
	Values []string `json:"values"`
}

// File is an uploaded file; Path is where the ZIP holds it.
type File struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploaded_at"`
	Path        string    `json:"path"`
}

// Draft is a saved, unsent form.
type Draft struct {
	ID          uuid.UUID `json:"id"`
	EService    EService  `json:"eservice"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	CurrentStep string    `json:"current_step"`
	Supplements string    `json:"supplements_case"` // the reference of the case it supplements, if any
	Answers     Answers   `json:"answers"`
	Files       []File    `json:"files"`
}

// Case is a submitted case with everything of it the person can be told.
type Case struct {
	ID                 uuid.UUID    `json:"id"`
	Reference          string       `json:"reference"`
	EService           EService     `json:"eservice"`
	SubmittedAt        time.Time    `json:"submitted_at"`
	Status             string       `json:"status"`
	StatusLabel        string       `json:"status_label"`
	ClosedAt           *time.Time   `json:"closed_at"`
	Decision           string       `json:"decision"`
	LeavesMinaSidorAt  *time.Time   `json:"leaves_mina_sidor_at"`
	RemovedFromAccount *time.Time   `json:"removed_from_mina_sidor_at"`
	Answers            Answers      `json:"answers"`
	Revisions          []Revision   `json:"revisions"`
	Files              []File       `json:"files"`
	Messages           []Message    `json:"messages"`
	Supplements        []Supplement `json:"supplement_requests"`
	Events             []Event      `json:"events"`
	ReadBy             []StaffRead  `json:"read_by"`
	Signatures         []Signature  `json:"signatures"`
}

// Revision is one version of a case's answers: 1 as submitted, one more per supplement.
type Revision struct {
	Number    int                 `json:"number"`
	CreatedAt time.Time           `json:"created_at"`
	Values    map[string][]string `json:"values"`
}

// Message is one message of a case's thread.
type Message struct {
	At     time.Time  `json:"at"`
	From   string     `json:"from"` // citizen or caseworker
	Author string     `json:"author"`
	Body   string     `json:"body"`
	ReadAt *time.Time `json:"read_at"`
	Files  []File     `json:"files"`
}

// Supplement is a caseworker's request for more.
type Supplement struct {
	RequestedAt time.Time  `json:"requested_at"`
	Request     string     `json:"request"`
	AnsweredAt  *time.Time `json:"answered_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
}

// Event is one thing that happened to a case.
type Event struct {
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
	Status string    `json:"status"`
}

// StaffRead is one read of a case by staff, from the audit log.
type StaffRead struct {
	At   time.Time `json:"at"`
	Name string    `json:"staff_name"`
	Unit string    `json:"staff_unit"`
	Role string    `json:"role"`
	What string    `json:"what"`
}

// Consent is a consent the person gave by submitting a case to an e-service whose legal basis is
// consent, and whether they have asked to withdraw it.
type Consent struct {
	Reference     string     `json:"reference"`
	EService      string     `json:"eservice"`
	GivenAt       time.Time  `json:"given_at"`
	WithdrawnWith string     `json:"withdrawn_with"` // the reference of the request that withdraws it, if any
	WithdrawnAt   *time.Time `json:"withdrawn_at"`
}

// Booking is a booked time or resource.
type Booking struct {
	ID           uuid.UUID  `json:"id"`
	Municipality string     `json:"municipality"`
	Resource     string     `json:"resource"`
	Place        string     `json:"place"`
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       time.Time  `json:"ends_at"`
	State        string     `json:"state"`
	BookedAt     time.Time  `json:"booked_at"`
	CancelledAt  *time.Time `json:"cancelled_at"`
	CancelledBy  string     `json:"cancelled_by"`
	CancelNote   string     `json:"cancel_note"`
}

// Notice is a notice sent (or skipped) by e-mail or SMS.
type Notice struct {
	Kind          string     `json:"kind"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
	Channel       string     `json:"channel"`
	SkippedReason string     `json:"skipped_reason"`
	Reference     string     `json:"reference"`
	EService      string     `json:"eservice"`
}

// SecurityEvent is a security event that names the person (a one-time code lock-out, say).
type SecurityEvent struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Reason     string    `json:"reason"`
	ClientAddr string    `json:"client_addr"`
}

// ExtractRequest is an earlier (or this) request for an extract.
type ExtractRequest struct {
	RequestedAt time.Time  `json:"requested_at"`
	State       string     `json:"state"`
	ReadyAt     *time.Time `json:"ready_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
}

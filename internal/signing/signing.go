// Package signing holds signatures with e-ID, alone and together: an e-service may require the
// applicant's signature and co-signers' (the child's other guardians from the population
// register's custody data, the person whose personal identity number a field gives, another
// signatory of the organisation applied for). The applicant signs and sends the draft for
// signing; the co-signers are told through the outbox, read the whole content, and sign or
// decline. The case is submitted (casework.Submit) in the transaction of the last signature.
//
// What is signed is the content's hash (Content): the answers and the files' hashes exactly as
// they will be submitted. A change of the draft after a signature voids it: a signature counts
// only while its hash is the content's. A signature is an e-ID act (signature.EID): the IdP shows the
// signer a text naming the content's hash and answers with a signed assertion, kept as the
// evidence and checked again on the caseworker's page.
package signing

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/signature"
)

// Roles of the parties who sign.
const (
	RoleApplicant = "applicant"
	RoleGuardian  = "guardian"
	RolePerson    = "person"
	RoleSignatory = "signatory"
)

// Roles lists the roles, the applicant's first.
var Roles = []string{RoleApplicant, RoleGuardian, RolePerson, RoleSignatory}

// States of a signing.
const (
	StateOpen      = "open"      // prepared; the applicant has not sent it yet
	StateSent      = "sent"      // sent for signing; co-signers are asked to sign
	StateReturned  = "returned"  // back with the applicant: a co-signer declined, or the deadline passed
	StateSubmitted = "submitted" // every signature was there; the case is submitted
)

// States lists a signing's states in the order they come.
var States = []string{StateOpen, StateSent, StateReturned, StateSubmitted}

// Why a signing returned to the applicant.
const (
	ReturnedDeadline = "deadline"
	ReturnedDeclined = "declined"
)

// RelayPrefix starts the relay state of a signature's SAML exchange, which shares the citizens'
// assertion consumer with their logins.
const RelayPrefix = "sign."

// PendingLifetime is how long a started signature may take at the IdP.
const PendingLifetime = 10 * time.Minute

// MaxReason is the longest reason to decline, in characters.
const MaxReason = 1000

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrNotRequired: the e-service requires no signatures; the draft is submitted as usual.
	ErrNotRequired = apperr.New(apperr.Conflict, "error.signing.notRequired")
)

// ProblemError is why a draft cannot be sent for signing, or a person cannot sign: a catalogue
// key (signing.problem.*) and the names it mentions.
type ProblemError struct {
	Key  string
	Args []any
}

func (e *ProblemError) Error() string { return "signing: " + e.Key }

// Unwrap makes the error a conflict for the error adapter.
func (e *ProblemError) Unwrap() error { return apperr.New(apperr.Conflict, "") }

func problem(key string, args ...any) error { return &ProblemError{Key: key, Args: args} }

// Store keeps signings, their parties and signatures.
type Store struct {
	db        db.Querier
	register  population.Register
	companies organisation.Register
	notices   notify.Outbox
	cases     *casework.Store
	eid       signature.EID
	base      *url.URL // the installation's address, where a signature's SAML exchange runs
	now       func() time.Time
}

// NewStore returns a store on q that looks people up in register and companies, tells them
// through notices, submits through cases and signs with eid, whose SAML exchange runs on base.
func NewStore(q db.Querier, register population.Register, companies organisation.Register, notices notify.Outbox, cases *casework.Store, eid signature.EID, base *url.URL) *Store {
	return &Store{db: q, register: register, companies: companies, notices: notices, cases: cases, eid: eid, base: base, now: time.Now}
}

// WithClock returns the store with its deadlines and reminders timed by now, for tests.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// Signing is a draft's signing.
type Signing struct {
	ID          uuid.UUID
	TenantID    uuid.UUID
	EServiceID  uuid.UUID
	DraftID     *uuid.UUID
	CaseID      *uuid.UUID
	AccountID   uuid.UUID // the applicant's
	State       string
	ContentHash []byte // of the content as sent
	SentAt      *time.Time
	DeadlineAt  *time.Time
	ReturnedAt  *time.Time
	ReturnedWhy string
}

// Party is someone who must sign, with their latest signature if any.
type Party struct {
	ID             uuid.UUID
	SigningID      uuid.UUID
	Role           string
	PersonalNumber personnummer.Number
	Name           string
	Email          string
	NotifiedAt     *time.Time
	DeclinedAt     *time.Time
	DeclineReason  string
	Signature      *Signature
}

// Signature is a kept signature.
type Signature struct {
	ID             uuid.UUID
	SignedAt       time.Time
	PersonalNumber personnummer.Number
	Name           string
	ContentHash    []byte
	Message        string
}

// Valid reports whether the party's latest signature signs the content whose hash is given.
func (p Party) Valid(hash []byte) bool {
	return p.Signature != nil && hashEqual(p.Signature.ContentHash, hash)
}

// Void reports whether the party signed an earlier content: their signature no longer counts.
func (p Party) Void(hash []byte) bool { return p.Signature != nil && !p.Valid(hash) }

func hashEqual(a, b []byte) bool { return len(a) > 0 && string(a) == string(b) }

const signingColumns = `g.id, g.tenant_id, g.eservice_id, g.draft_id, g.case_id, g.account_id, g.state, g.content_hash,
	g.sent_at, g.deadline_at, g.returned_at, coalesce(g.returned_why, '')`

func signingDest(g *Signing) []any {
	return []any{&g.ID, &g.TenantID, &g.EServiceID, &g.DraftID, &g.CaseID, &g.AccountID, &g.State, &g.ContentHash,
		&g.SentAt, &g.DeadlineAt, &g.ReturnedAt, &g.ReturnedWhy}
}

// parties reads a signing's parties in order, each with their latest signature.
func parties(ctx context.Context, q db.Querier, signingID uuid.UUID) ([]Party, error) {
	var ps []Party
	if err := db.Read(ctx, q, func(b *pgx.Batch) { queueParties(b, `$1`, signingID, &ps) }); err != nil {
		return nil, fmt.Errorf("signing: parties: %w", err)
	}
	return ps, nil
}

// queueParties queues on b the reading of the parties of the signing whose id is the SQL
// expression signingID (with arg) into out.
func queueParties(b *pgx.Batch, signingID string, arg any, out *[]Party) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Party, error) {
		var p Party
		var sid *uuid.UUID
		var at *time.Time
		var spnr *personnummer.Number
		var name, msg *string
		var hash []byte
		err := r.Scan(&p.ID, &p.SigningID, &p.Role, &p.PersonalNumber, &p.Name, &p.Email, &p.NotifiedAt, &p.DeclinedAt,
			&p.DeclineReason, &sid, &at, &spnr, &name, &hash, &msg)
		if err == nil && sid != nil {
			p.Signature = &Signature{ID: *sid, SignedAt: *at, PersonalNumber: *spnr, Name: *name, ContentHash: hash, Message: *msg}
		}
		return p, err
	}, `
		SELECT p.id, p.signing_id, p.role, p.personal_number, p.name, coalesce(p.email, ''), p.notified_at, p.declined_at,
			coalesce(p.decline_reason, ''), s.id, s.signed_at, s.personal_number, s.name, s.content_hash, s.sign_message
		FROM signing_party p
		LEFT JOIN LATERAL (SELECT * FROM signature x WHERE x.party_id = p.id ORDER BY x.signed_at DESC LIMIT 1) s ON true
		WHERE p.signing_id = `+signingID+` ORDER BY p.position`, arg)
}

// queueSigning queues on b the reading of the signing g where cond holds (with arg) into out;
// found tells whether there is one.
func queueSigning(b *pgx.Batch, cond string, arg any, out *Signing, found *bool) {
	db.QueueOptional(b, found, func(row pgx.Row) error { return row.Scan(signingDest(out)...) },
		`SELECT `+signingColumns+` FROM signing g WHERE `+cond, arg)
}

// signingOfDraft reads the draft's signing; nil when it has none.
func signingOfDraft(ctx context.Context, q db.Querier, draftID uuid.UUID, lock bool) (*Signing, error) {
	sql := `SELECT ` + signingColumns + ` FROM signing g WHERE g.draft_id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	var g Signing
	err := q.QueryRow(ctx, sql, draftID).Scan(signingDest(&g)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("signing: of draft: %w", err)
	}
	return &g, nil
}

// applicantOf reads what the signing needs of an account: personal number, name and e-mail.
type applicantInfo struct {
	ID             uuid.UUID
	PersonalNumber personnummer.Number
	Name           string
	Email          string
}

func accountInfo(ctx context.Context, q db.Querier, id uuid.UUID) (applicantInfo, error) {
	var a applicantInfo
	if err := db.Read(ctx, q, func(b *pgx.Batch) { queueAccount(b, `$1`, id, &a) }); err != nil {
		return a, fmt.Errorf("signing: account: %w", err)
	}
	if a.ID == uuid.Nil {
		return a, ErrNotFound
	}
	return a, nil
}

// queueAccount queues on b the reading of the account whose id is the SQL expression id (with
// arg) into out; out.ID stays uuid.Nil when there is none.
func queueAccount(b *pgx.Batch, id string, arg any, out *applicantInfo) {
	db.QueueOptional(b, nil, func(row pgx.Row) error { return row.Scan(&out.ID, &out.PersonalNumber, &out.Name, &out.Email) },
		`SELECT id, personal_number, display_name, coalesce(email, '') FROM account WHERE id = `+id, arg)
}

// notifyPerson tells the person with the number about the signing (or, with caseID, the case it
// became): through their account's chosen channel, or else at the address given for them. With
// neither there is nobody to tell.
func (s *Store) notifyPerson(ctx context.Context, tx pgx.Tx, g Signing, caseID uuid.UUID, pnr personnummer.Number, email, kind string) error {
	var account uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM account WHERE personal_number = $1`, pnr).Scan(&account)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("signing: account of a co-signer: %w", err)
	}
	if account == uuid.Nil && email == "" {
		return nil
	}
	n := notify.Notice{TenantID: g.TenantID, AccountID: account, Email: email, Kind: kind}
	if caseID != uuid.Nil {
		n.CaseID = caseID
	} else {
		n.SigningID = g.ID
	}
	return s.notices.Enqueue(ctx, tx, n)
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) []byte {
	sum := sha256.Sum256([]byte(t))
	return sum[:]
}

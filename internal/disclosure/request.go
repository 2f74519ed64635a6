package disclosure

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/reference"
)

// Request is a request for public documents.
type Request struct {
	ID             uuid.UUID
	TenantID       uuid.UUID
	Municipality   string
	Reference      string
	AccountID      *uuid.UUID
	Lang           string
	AskedRefs      []string   // reference numbers asked for
	EServiceID     *uuid.UUID // the e-service the documents are of, if described so
	EService       form.Text  // its title
	From, To       *time.Time // the period asked for (dates)
	Subject        string     // what the documents are about, in the requester's words
	Delivery       string     // one of Deliveries
	Email          string     // for DeliveryEmail
	PostalAddress  string     // for DeliveryPost
	State          string
	CreatedAt      time.Time
	DecidedAt      *time.Time
	Outcome        string // once answered
	HasAnswer      bool   // a proposal or a released answer exists
	ReleasedAnswer bool   // the answer is released to the requester
}

// Ask is what a requester fills in; nothing but what is asked for and how to deliver is needed.
type Ask struct {
	TenantID      uuid.UUID
	AccountID     uuid.UUID // the logged-in requester, uuid.Nil for a visitor; kept only for DeliveryMyPages
	Lang          string
	References    string // one or more reference numbers, as typed
	EServiceID    string // one of the municipality's e-services, or ""
	From, To      string // YYYY-MM-DD, or ""
	Subject       string
	Delivery      string
	Email         string
	PostalAddress string
}

// Asked is a request made: its reference and the key of its secret link, which only the
// requester gets (the store keeps its hash).
type Asked struct {
	ID        uuid.UUID
	Reference string
	Key       string
}

// Limits of a request.
const (
	MaxReferences    = 20
	MaxSubject       = 2000
	MaxPostalAddress = 500
)

var referencePattern = regexp.MustCompile(`^[A-Z]{2,6}-\d{4}-\d{6}$`)

// ParseReferences splits reference numbers typed with spaces, commas or lines between them, in
// upper case, without duplicates. ok is false when one is not a reference number.
func ParseReferences(s string) (refs []string, ok bool) {
	for _, f := range strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if !referencePattern.MatchString(f) {
			return nil, false
		}
		if !slices.Contains(refs, f) {
			refs = append(refs, f)
		}
	}
	return refs, true
}

// check validates the request; the e-service is checked against the municipality in Create.
func (a *Ask) check() (refs []string, from, to *time.Time, err error) {
	var errs apperr.FieldErrors
	a.Subject = strings.TrimSpace(a.Subject)
	a.Email = strings.TrimSpace(a.Email)
	a.PostalAddress = strings.TrimSpace(strings.ReplaceAll(a.PostalAddress, "\r\n", "\n"))
	refs, ok := ParseReferences(a.References)
	switch {
	case !ok:
		errs.Add("references", "error.public.reference")
	case len(refs) > MaxReferences:
		errs.Add("references", "error.public.references")
	}
	date := func(field, v string) *time.Time {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v), i18n.Stockholm)
		if err != nil {
			errs.Add(field, "error.public.date")
			return nil
		}
		return &t
	}
	from, to = date("from", a.From), date("to", a.To)
	if from != nil && to != nil && to.Before(*from) {
		errs.Add("to", "error.public.period")
	}
	if utf8.RuneCountInString(a.Subject) > MaxSubject {
		errs.Add("subject", "error.public.subject")
	}
	if a.EServiceID != "" {
		if _, err := uuid.Parse(a.EServiceID); err != nil {
			errs.Add("eservice", "error.public.eservice")
		}
	}
	if ok && len(refs) == 0 && a.EServiceID == "" && a.Subject == "" && errs.For("subject") == "" {
		errs.Add("references", "error.public.what")
	}
	switch a.Delivery {
	case DeliveryMyPages:
		if a.AccountID == uuid.Nil {
			errs.Add("delivery", "error.public.mypages")
		}
	case DeliveryLink:
	case DeliveryEmail:
		if !form.ValidEmail(a.Email) {
			errs.Add("email", "error.public.email")
		}
	case DeliveryPost:
		if a.PostalAddress == "" || utf8.RuneCountInString(a.PostalAddress) > MaxPostalAddress {
			errs.Add("postal_address", "error.public.address")
		}
	default:
		errs.Add("delivery", "error.public.delivery")
	}
	return refs, from, to, errs.Err()
}

// Create makes a request, in one transaction with its reference number and the first event of
// its log. Only what the delivery needs is kept: the e-mail address for e-mail, the postal
// address for post, the account for Mina sidor.
func (s *Store) Create(ctx context.Context, a Ask) (Asked, error) {
	refs, from, to, err := a.check()
	if err != nil {
		return Asked{}, err
	}
	key := rand.Text()
	hash := sha256.Sum256([]byte(key))
	var account, eserviceID any
	if a.Delivery == DeliveryMyPages {
		account = a.AccountID
	}
	if a.EServiceID != "" {
		eserviceID = a.EServiceID
	}
	email, postal := "", ""
	switch a.Delivery {
	case DeliveryEmail:
		email = a.Email
	case DeliveryPost:
		postal = a.PostalAddress
	}
	if _, ok := i18n.Parse(a.Lang); !ok {
		a.Lang = string(i18n.Default)
	}
	out := Asked{Key: key}
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if a.EServiceID != "" {
			var ok bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice WHERE id = $1 AND tenant_id = $2)`, a.EServiceID, a.TenantID).Scan(&ok)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.FieldErrors{{Field: "eservice", Key: "error.public.eservice"}}
			}
		}
		ref, err := nextReference(ctx, tx, a.TenantID, s.now())
		if err != nil {
			return err
		}
		out.Reference = ref
		err = tx.QueryRow(ctx, `
			INSERT INTO disclosure_request (tenant_id, reference, account_id, link_hash, lang, asked_references, eservice_id,
				period_from, period_to, subject, delivery, email, postal_address, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nullif($12, ''), nullif($13, ''), $14) RETURNING id`,
			a.TenantID, ref, account, hash[:], a.Lang, strings.Join(refs, " "), eserviceID, from, to, a.Subject,
			a.Delivery, email, postal, s.now()).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("disclosure: create: %w", err)
		}
		return event(ctx, tx, a.TenantID, out.ID, nil, "received", map[string]any{"delivery": a.Delivery})
	})
	if err != nil {
		return Asked{}, err
	}
	return out, nil
}

// nextReference takes the next number of the municipality's year, shared with its cases: a
// request is a case of its own.
func nextReference(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) (string, error) {
	year := now.In(i18n.Stockholm).Year()
	var ref string
	err := tx.QueryRow(ctx, `WITH `+reference.Next("next", 1, 2)+`
		SELECT `+reference.Spelled("t.code || '-' || $2 || '-'", "next.last")+` FROM next, tenant t WHERE t.id = $1`,
		tenantID, year).Scan(&ref)
	if err != nil {
		return "", fmt.Errorf("disclosure: reference number: %w", err)
	}
	return ref, nil
}

// Requester is how a requester reaches their request: by the secret link's key on the
// municipality's host, or, logged in, as its account.
type Requester struct {
	TenantID  uuid.UUID // with Key
	Key       string
	AccountID uuid.UUID // with RequestID
	RequestID uuid.UUID
}

// cond is the SQL condition on disclosure_request q that the requester may see it, with its
// parameters from $n on.
func (r Requester) cond(n int) (string, []any, bool) {
	switch {
	case r.Key != "" && r.TenantID != uuid.Nil:
		h := sha256.Sum256([]byte(r.Key))
		return fmt.Sprintf("q.link_hash = $%d AND q.tenant_id = $%d", n, n+1), []any{h[:], r.TenantID}, true
	case r.AccountID != uuid.Nil && r.RequestID != uuid.Nil:
		return fmt.Sprintf("q.id = $%d AND q.account_id = $%d", n, n+1), []any{r.RequestID, r.AccountID}, true
	}
	return "", nil, false
}

const requestColumns = `q.id, q.tenant_id, t.name, q.reference, q.account_id, q.lang, q.asked_references, q.eservice_id,
	coalesce(e.title, '{}'), q.period_from, q.period_to, q.subject, q.delivery, coalesce(q.email, ''), coalesce(q.postal_address, ''),
	q.state, q.created_at, q.decided_at, coalesce(a.outcome, ''), a.request_id IS NOT NULL, coalesce(a.released_at IS NOT NULL, false)`

const requestFrom = `disclosure_request q JOIN tenant t ON t.id = q.tenant_id
	LEFT JOIN eservice e ON e.id = q.eservice_id LEFT JOIN disclosure_answer a ON a.request_id = q.id`

func scanRequest(row pgx.CollectableRow) (Request, error) {
	var r Request
	var refs string
	err := row.Scan(&r.ID, &r.TenantID, &r.Municipality, &r.Reference, &r.AccountID, &r.Lang, &refs, &r.EServiceID,
		&r.EService, &r.From, &r.To, &r.Subject, &r.Delivery, &r.Email, &r.PostalAddress,
		&r.State, &r.CreatedAt, &r.DecidedAt, &r.Outcome, &r.HasAnswer, &r.ReleasedAnswer)
	r.AskedRefs = strings.Fields(refs)
	return r, err
}

// queueRequest queues the reading of the request where cond holds into out; found says whether
// it did.
func queueRequest(b *pgx.Batch, cond string, args []any, out *Request, found *bool) {
	b.Queue(`SELECT `+requestColumns+` FROM `+requestFrom+` WHERE `+cond, args...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, scanRequest)
		if err != nil {
			return fmt.Errorf("disclosure: request: %w", err)
		}
		if len(list) == 1 {
			*out, *found = list[0], true
		}
		return nil
	})
}

// Status is a request as its requester sees it: what they asked and, once it is answered, the
// answer and the files released with it.
type Status struct {
	Request
	Files []ReleasedFile
}

// ReleasedFile is a file of a case released with the answer.
type ReleasedFile struct {
	ID   uuid.UUID
	Name string
	Size int64
}

// ForRequester returns the requester's request. Anything they may not see is not found.
func (s *Store) ForRequester(ctx context.Context, r Requester) (Status, error) {
	cond, args, ok := r.cond(1)
	if !ok {
		return Status{}, ErrNotFound
	}
	var st Status
	found := false
	b := &pgx.Batch{}
	queueRequest(b, cond, args, &st.Request, &found)
	db.QueueRows(b, &st.Files, func(row pgx.CollectableRow) (ReleasedFile, error) {
		var f ReleasedFile
		err := row.Scan(&f.ID, &f.Name, &f.Size)
		return f, err
	}, `SELECT u.id, u.filename, u.size FROM disclosure_request q
		JOIN disclosure_answer a ON a.request_id = q.id AND a.released_at IS NOT NULL
		JOIN disclosure_part p ON p.request_id = q.id AND p.kind = 'file' AND p.decision = 'release'
		JOIN upload u ON u.id::text = p.key AND u.case_id = p.case_id
		WHERE `+cond+` ORDER BY u.filename, u.id`, args...)
	if err := db.Run(ctx, s.db, b); err != nil {
		return Status{}, err
	}
	if !found {
		return Status{}, ErrNotFound
	}
	return st, nil
}

// AnswerPDF returns the released answer of the requester's request. A request not answered yet,
// or waiting for approval, has none: not found.
func (s *Store) AnswerPDF(ctx context.Context, r Requester) (reference string, pdf []byte, err error) {
	cond, args, ok := r.cond(1)
	if !ok {
		return "", nil, ErrNotFound
	}
	err = s.db.QueryRow(ctx, `SELECT q.reference, a.pdf FROM disclosure_request q
		JOIN disclosure_answer a ON a.request_id = q.id AND a.released_at IS NOT NULL WHERE `+cond, args...).Scan(&reference, &pdf)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, ErrNotFound
	}
	return reference, pdf, err
}

// ReleasedFileContent returns a file released with the answer of the requester's request; any
// other file is not found.
func (s *Store) ReleasedFileContent(ctx context.Context, r Requester, fileID uuid.UUID) (name, contentType string, data []byte, err error) {
	cond, args, ok := r.cond(2)
	if !ok {
		return "", "", nil, ErrNotFound
	}
	err = s.db.QueryRow(ctx, `SELECT u.filename, u.content_type, u.data FROM disclosure_request q
		JOIN disclosure_answer a ON a.request_id = q.id AND a.released_at IS NOT NULL
		JOIN disclosure_part p ON p.request_id = q.id AND p.kind = 'file' AND p.decision = 'release' AND p.key = ($1::uuid)::text
		JOIN upload u ON u.id = $1::uuid AND u.case_id = p.case_id
		WHERE `+cond, append([]any{fileID}, args...)...).Scan(&name, &contentType, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil, ErrNotFound
	}
	return name, contentType, data, err
}

// OfAccount returns the requests a logged-in requester chose to follow on Mina sidor, in every
// municipality, newest first.
func (s *Store) OfAccount(ctx context.Context, accountID uuid.UUID) ([]Request, error) {
	var out []Request
	err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		db.QueueRows(b, &out, scanRequest, `SELECT `+requestColumns+` FROM `+requestFrom+`
			WHERE q.account_id = $1 ORDER BY q.created_at DESC, q.id DESC LIMIT 200`, accountID)
	})
	return out, err
}

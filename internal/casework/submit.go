// Package casework holds submitted cases: a case is made from a complete draft in one
// transaction, gets a reference number unique in its municipality, and keeps a snapshot of the
// answers exactly as submitted. A case is a public document of the municipality.
package casework

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/reference"
	"github.com/minasidor/minasidor/internal/webhook"
)

// Case is a submitted e-service.
type Case struct {
	ID          uuid.UUID
	TenantID    uuid.UUID
	EServiceID  uuid.UUID
	VersionID   uuid.UUID
	Reference   string
	AccountID   *uuid.UUID
	Anonymous   bool
	Answers     form.Answers
	Status      string // the status's type
	StatusKey   string // which of the e-service's statuses
	SubmittedAt time.Time
	VisitorKey  []byte // hash of the submitting visitor's session key, if a visitor submitted
	// The organisation the case is for, when its applicant acted for one (kind "company" or
	// "association", its number and name); the account is who acted.
	OrgKind, OrgNumber, OrgName string
	ClosedAt                    *time.Time
	// RemovedFromAccount: the retention time after closing has passed and the case has left the
	// citizen's account; Mina sidor no longer shows it (package retention).
	RemovedFromAccount bool
}

// Errors of a submission.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrLoginRequired: the e-service needs a logged-in citizen.
	ErrLoginRequired = apperr.New(apperr.Unauthorized, "error.submit.login")
	// ErrAnonymousNotOffered: anonymous submission was asked for where it is not offered.
	ErrAnonymousNotOffered = apperr.New(apperr.Invalid, "error.submit.anonymous")
	// ErrSignaturesRequired: the e-service requires signatures, and the case is submitted only
	// once they are all there (package signing submits it then).
	ErrSignaturesRequired = apperr.New(apperr.Conflict, "error.submit.signatures")
	// ErrEServiceClosed: an operating message closes the e-service for new cases now; the draft stays.
	ErrEServiceClosed = apperr.New(apperr.Conflict, "bulletin.error.closed.submit")
	// ErrAnonymousBooking: anonymous submission was asked for with a booked time, which belongs
	// to the citizen's account.
	ErrAnonymousBooking = apperr.New(apperr.Invalid, "booking.field.error.anonymous")
)

// BookingError says that the time of a booking field could not be booked when the case was
// submitted (its hold had expired and the time was taken meanwhile, or it is too late to book
// it); nothing was submitted.
type BookingError struct {
	Step  string
	Field string
	Err   error // booking.ErrTaken or booking.ErrNotBookable
}

func (e *BookingError) Error() string {
	return "casework: the time of " + e.Field + " cannot be booked"
}
func (e *BookingError) Unwrap() error { return e.Err }

// IncompleteError says that a step is not complete; nothing was submitted.
type IncompleteError struct {
	Step   string
	Fields apperr.FieldErrors
}

func (e *IncompleteError) Error() string { return "casework: step " + e.Step + " is incomplete" }
func (e *IncompleteError) Unwrap() error { return e.Fields }

// AlreadySubmittedError says that the e-service accepts a person once and this person has a
// case already.
type AlreadySubmittedError struct {
	Reference string
	CaseID    uuid.UUID
	Mine      bool // the existing case is the submitter's own, so it may be linked to
}

func (e *AlreadySubmittedError) Error() string {
	return "casework: already submitted as " + e.Reference
}

// Is makes errors.Is(err, apperr conflict) work for the error adapter.
func (e *AlreadySubmittedError) Unwrap() error {
	return apperr.New(apperr.Conflict, "error.submit.once")
}

// Submitter is who submits: the logged-in account, if any, and the identifiers the once-only
// rule may use.
type Submitter struct {
	AccountID      uuid.UUID // uuid.Nil for a visitor
	PersonalNumber string    // the logged-in person's number, if any
	Email          string    // the logged-in person's e-mail, if any
	Anonymous      bool      // the submitter chose to submit anonymously
	VisitorKey     []byte    // a visitor's session key, whose hash lets them see the receipt
	// Signed: every signature the e-service requires is there (set only by package signing). An
	// e-service that requires signatures takes no case without it.
	Signed bool
	// CheckAt, when set, is the time the answers' rules are checked as of: a signed draft is
	// checked as of when it was sent for signing, not when the last co-signer signed.
	CheckAt time.Time
}

// Store submits and reads cases.
type Store struct {
	db       db.Querier
	notices  notify.Outbox
	bookings *booking.Store  // books the times of booking fields; nil: a form with one cannot be submitted
	reps     Representatives // who may act for an organisation now; nil: only a case's own account reads it
}

// NewStore returns a store on q (a pool, or a transaction) that tells citizens through notices.
func NewStore(q db.Querier, notices notify.Outbox) *Store {
	return &Store{db: q, notices: notices}
}

// With returns the store on q: on a transaction, its calls join it.
func (s *Store) With(q db.Querier) *Store {
	return &Store{db: q, notices: s.notices, bookings: s.bookings, reps: s.reps}
}

// WithBookings returns the store booking the times of forms' booking fields with b.
func (s *Store) WithBookings(b *booking.Store) *Store {
	return &Store{db: s.db, notices: s.notices, bookings: b, reps: s.reps}
}

// notice enqueues a notice to the case's account, if it has one (an anonymous case has none).
func (s *Store) notice(ctx context.Context, tx pgx.Tx, tenantID, caseID uuid.UUID, account *uuid.UUID, kind string) error {
	if account == nil {
		return nil
	}
	return s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: tenantID, AccountID: *account, CaseID: caseID, Kind: kind})
}

// Submit turns the draft into a case. In one transaction it checks every step against the
// draft's own version, makes the reference number, stores the snapshot, sets the first status,
// writes the first event, moves the files to the case, removes the draft and enqueues the
// confirmation notice and the webhooks' event. Submitting the same draft again returns the case it became.
func (s *Store) Submit(ctx context.Context, d draft.Draft, e eservice.EService, v eservice.Version, who Submitter, now time.Time) (Case, error) {
	if e.LoginRule == eservice.LoginRequired && who.AccountID == uuid.Nil {
		return Case{}, ErrLoginRequired
	}
	if who.Anonymous && !e.AnonymousAllowed {
		return Case{}, ErrAnonymousNotOffered
	}
	def := v.Definition
	answers := def.Prune(def.Normalize(d.Answers))
	checkAt := now
	if !who.CheckAt.IsZero() {
		checkAt = who.CheckAt
	}
	if invalid := def.CheckAll(answers, checkAt); len(invalid) > 0 {
		for _, st := range def.VisibleSteps(answers) {
			if fe, ok := invalid[st.Key]; ok {
				return Case{}, &IncompleteError{Step: st.Key, Fields: fe}
			}
		}
	}
	times := bookedTimes(def, answers)
	if len(times) > 0 {
		switch {
		case who.AccountID == uuid.Nil:
			return Case{}, ErrLoginRequired
		case who.Anonymous:
			return Case{}, ErrAnonymousBooking
		case s.bookings == nil:
			return Case{}, errors.New("casework: a form with a booking field, and no bookings")
		}
	}
	full := answers // the once-only rule reads the answers before an anonymous case loses its personal ones
	if who.Anonymous {
		answers = def.RemovePersonal(answers)
	}
	fileFields := def.FieldsOfType(form.File)
	keep := fileIDs(fileFields, answers) // files of hidden or removed fields stay out of the case
	var visitor []byte
	if who.AccountID == uuid.Nil && len(who.VisitorKey) > 0 {
		sum := sha256.Sum256(who.VisitorKey)
		visitor = sum[:]
	}
	snapshot, err := json.Marshal(answers)
	if err != nil {
		return Case{}, err
	}
	var account any
	if who.AccountID != uuid.Nil {
		account = who.AccountID
	}
	year := now.In(i18n.Stockholm).Year()

	in := insertion{id: uuid.New(), e: e, v: v, who: who, answers: snapshot, draftID: d.ID, now: now, year: year, visitor: visitor}
	var c Case
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		// The draft row is the lock that makes a double submit wait for the first to finish. The
		// same read says whether the e-service wants signatures or is closed by an operating
		// message, who the logged-in submitter is (for the once-only rule), whether they have
		// chosen a channel for notices, and which organisation the draft is for; beside it, which
		// webhooks want the case's event.
		var found, signed, closed, noChannel bool
		var pnr, email string
		b := &pgx.Batch{}
		b.Queue(`
			SELECT EXISTS (SELECT 1 FROM eservice_signing WHERE eservice_id = $2),
				EXISTS (SELECT 1 FROM operating_message m WHERE m.tenant_id = $3 AND m.eservice_id = $2 AND m.closes
					AND m.starts_at <= $4 AND m.ends_at > $4),
				coalesce(a.personal_number, ''), coalesce(a.email, ''), `+notify.NoChannelSQL+`,
				d.org_kind, d.org_number, d.org_name
			FROM draft d LEFT JOIN account a ON a.id = $5
			WHERE d.id = $1 FOR UPDATE OF d`, d.ID, e.ID, e.TenantID, now, account).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&signed, &closed, &pnr, &email, &noChannel, &in.orgKind, &in.orgNumber, &in.orgName)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
		event, err := webhook.Plan(b, webhook.Event{Type: webhook.CaseSubmitted, CaseID: in.id}, e.TenantID, webhook.EServiceRef{ID: e.ID.String(), Slug: e.Slug})
		if err != nil {
			return err
		}
		if err := db.Run(ctx, tx, b); err != nil {
			return err
		}
		if !found {
			c, err = bySourceDraft(ctx, tx, d.ID)
			return err
		}
		switch {
		case signed && !who.Signed:
			return ErrSignaturesRequired
		case closed && !who.Signed: // a signed draft was sent before; its case comes with the last signature
			return ErrEServiceClosed
		}
		if who.PersonalNumber == "" {
			who.PersonalNumber, who.Email = pnr, email
		}
		if e.OnceOnly != eservice.OnceNone {
			in.onceKey = onceOnlyKey(e, full, who)
			if err := checkOnce(ctx, tx, e.ID, in.onceKey, who.AccountID); err != nil {
				return err
			}
		}
		// The jobs that deliver the notice and the webhooks' event name their rows by id, and go
		// in first; the rest is one round trip (two with booked times) that ends with the commit:
		// the case's history, its files, the notice and the draft's end, then the case's row and
		// its event. The case's row takes the municipality's next reference number, a row lock
		// every other submit in the municipality waits for until this one commits, so it comes as
		// late as it can, and nothing but the commit follows it over the network: what refers to
		// the case is checked at the commit (the references are deferrable).
		b = &pgx.Batch{}
		b.Queue(`SET CONSTRAINTS case_event_case_id_fkey, upload_case_id_fkey, notice_case_id_fkey DEFERRED`)
		b.Queue(`INSERT INTO case_event (tenant_id, case_id, kind, at, data) VALUES ($1, $2, 'submitted', $3, $4)`,
			e.TenantID, in.id, now, map[string]any{"version": v.Number})
		if len(fileFields) > 0 { // a draft has files only in its version's file fields
			b.Queue(`DELETE FROM upload WHERE draft_id = $1 AND NOT (id = ANY ($2))`, d.ID, keep)
			b.Queue(`UPDATE upload SET case_id = $2, draft_id = NULL WHERE draft_id = $1`, d.ID, in.id)
		}
		if in.account() != nil {
			n := notify.Notice{TenantID: e.TenantID, AccountID: who.AccountID, CaseID: in.id, Kind: notify.KindCaseSubmitted, NoChannel: noChannel}
			deliver, err := s.notices.QueueOn(b, n)
			if err != nil {
				return err
			}
			if err := deliver(ctx, tx); err != nil {
				return err
			}
		}
		if err := event.Enqueue(ctx, tx); err != nil {
			return err
		}
		if len(times) == 0 {
			b.Queue(`DELETE FROM draft WHERE id = $1`, d.ID)
		}
		queueInsertCase(b, &c, in)
		if len(times) > 0 {
			// Each booking field's held time becomes a booking of the case; the holds of fields
			// left out go with the draft, which therefore goes after them.
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("casework: submit: %w", err)
			}
			for _, bt := range times {
				_, err := s.bookings.With(tx).Confirm(ctx, booking.ForCase{CaseID: in.id, Pick: booking.Pick{
					TenantID: e.TenantID, DraftID: d.ID, AccountID: who.AccountID, Field: bt.field.Key, Resource: bt.field.Resource, Start: bt.start}})
				if errors.Is(err, booking.ErrTaken) || errors.Is(err, booking.ErrNotBookable) {
					return &BookingError{Step: bt.step, Field: bt.field.Key, Err: err}
				}
				if err != nil {
					return err
				}
			}
			b = &pgx.Batch{}
			b.Queue(`DELETE FROM draft WHERE id = $1`, d.ID)
		}
		if err := event.QueueOn(b); err != nil {
			return err
		}
		db.QueueCommit(b, tx)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("casework: submit: %w", err)
		}
		c.Answers = answers
		return nil
	})
	if err != nil {
		var dup *AlreadySubmittedError
		if errors.As(err, &dup) {
			return Case{}, dup
		}
		return Case{}, err
	}
	return c, nil
}

// bookedTime is the time a booking field's answer chose.
type bookedTime struct {
	step  string
	field form.Field
	start time.Time
}

// bookedTimes are the times the answers choose in booking fields, in form order. A time that
// cannot be read is the form check's to report.
func bookedTimes(def *form.Definition, a form.Answers) []bookedTime {
	var out []bookedTime
	for _, st := range def.Steps {
		for _, f := range st.Fields {
			if f.Type != form.Booking || len(a[f.Key]) == 0 {
				continue
			}
			if start, _, ok := form.ParseBookingValue(a[f.Key][0]); ok {
				out = append(out, bookedTime{step: st.Key, field: f, start: start})
			}
		}
	}
	return out
}

// fileIDs are the files the answers refer to in the file fields.
func fileIDs(fields []form.Field, a form.Answers) []uuid.UUID {
	ids := []uuid.UUID{}
	for _, f := range fields {
		for _, v := range a[f.Key] {
			if id, err := uuid.Parse(v); err == nil {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// onceOnlyKey identifies the person an e-service accepts once: the answer of the e-service's
// once-only field (a child's personal number, an e-mail address), or else the logged-in person.
// Only a hash is stored.
func onceOnlyKey(e eservice.EService, a form.Answers, who Submitter) []byte {
	var id string
	if e.OnceOnlyField != "" {
		if v := a[e.OnceOnlyField]; len(v) > 0 {
			id = v[0]
		}
	}
	if id == "" {
		switch e.OnceOnly {
		case eservice.OncePersonalNumber:
			id = who.PersonalNumber
		case eservice.OnceEmail:
			id = who.Email
		}
	}
	if id == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(e.ID.String() + "\x00" + strings.ToLower(strings.TrimSpace(id))))
	return sum[:]
}

// checkOnce refuses a second case of a person the e-service accepts once. Two people submitting
// for the same person at once: the second waits for the first, then finds its case.
func checkOnce(ctx context.Context, tx pgx.Tx, eserviceID uuid.UUID, key []byte, accountID uuid.UUID) error {
	if key == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 0))`, key); err != nil {
		return err
	}
	var prior Case
	err := tx.QueryRow(ctx, `SELECT id, reference, account_id FROM cases WHERE eservice_id = $1 AND once_only_key = $2`,
		eserviceID, key).Scan(&prior.ID, &prior.Reference, &prior.AccountID)
	if err == nil {
		mine := prior.AccountID != nil && *prior.AccountID == accountID
		return &AlreadySubmittedError{Reference: prior.Reference, CaseID: prior.ID, Mine: mine}
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return nil
}

// insertion is what a new case's row is made of.
type insertion struct {
	id      uuid.UUID
	e       eservice.EService
	v       eservice.Version
	who     Submitter
	answers []byte
	onceKey []byte
	draftID uuid.UUID
	now     time.Time
	year    int
	visitor []byte
	// the organisation the draft is for (none for an anonymous case): kind, number and name
	orgKind, orgNumber, orgName *string
}

// account is the case's account: none for a visitor's case or an anonymous one.
func (in insertion) account() any {
	if in.who.AccountID == uuid.Nil || in.who.Anonymous {
		return nil
	}
	return in.who.AccountID
}

// org is a part of the organisation the case is for: none for an anonymous case.
func (in insertion) org(part *string) *string {
	if in.who.Anonymous {
		return nil
	}
	return part
}

// queueInsertCase queues the case's row as one statement: it takes the next reference number of
// the municipality's year (ALI-2026-000042), the e-service's first status of type submitted, and
// the organisation the draft was made for (an anonymous case has none). An e-service without a
// status of type submitted makes the batch fail with ErrStatus.
func queueInsertCase(b *pgx.Batch, c *Case, in insertion) {
	b.Queue(`
		WITH `+reference.Next("ref", 1, 12)+`,
		st AS (SELECT key FROM eservice_status WHERE eservice_id = $2 AND type = 'submitted' ORDER BY position LIMIT 1)
		INSERT INTO cases (id, tenant_id, eservice_id, version_id, reference, account_id, anonymous, answers, once_only_key, source_draft_id,
			submitted_at, visitor_key, status, status_key, status_changed_at, org_kind, org_number, org_name)
		SELECT $13, $1, $2, $3, `+reference.Spelled("$11", "ref.last")+`, $4, $5, $6, $7, $8,
			$9, $10, 'submitted', st.key, $9, $14, $15, $16
		FROM ref CROSS JOIN st
		RETURNING `+caseColumns,
		in.e.TenantID, in.e.ID, in.v.ID, in.account(), in.who.Anonymous, in.answers, in.onceKey, in.draftID, in.now, in.visitor,
		fmt.Sprintf("%s-%d-", in.e.MunicipalityCode, in.year), in.year, in.id, in.org(in.orgKind), in.org(in.orgNumber), in.org(in.orgName)).QueryRow(func(row pgx.Row) error {
		err := row.Scan(caseDest(c)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrStatus // the e-service has no status of type submitted
		}
		return err
	})
}

const caseColumns = `id, tenant_id, eservice_id, version_id, reference, account_id, anonymous, status, coalesce(status_key, ''), submitted_at, visitor_key,
	coalesce(org_kind, ''), coalesce(org_number, ''), coalesce(org_name, ''), closed_at, citizen_removed_at IS NOT NULL`

func caseDest(c *Case) []any {
	return []any{&c.ID, &c.TenantID, &c.EServiceID, &c.VersionID, &c.Reference, &c.AccountID, &c.Anonymous, &c.Status, &c.StatusKey, &c.SubmittedAt, &c.VisitorKey,
		&c.OrgKind, &c.OrgNumber, &c.OrgName, &c.ClosedAt, &c.RemovedFromAccount}
}

// SubmittedBy reports whether a visitor holding sessionKey submitted the case.
func (c Case) SubmittedBy(sessionKey []byte) bool {
	if len(sessionKey) == 0 || len(c.VisitorKey) == 0 {
		return false
	}
	sum := sha256.Sum256(sessionKey)
	return subtle.ConstantTimeCompare(sum[:], c.VisitorKey) == 1
}

func bySourceDraft(ctx context.Context, q pgx.Tx, draftID uuid.UUID) (Case, error) {
	var c Case
	var answers []byte
	err := q.QueryRow(ctx, `SELECT `+caseColumns+`, answers FROM cases WHERE source_draft_id = $1`, draftID).
		Scan(append(caseDest(&c), &answers)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Case{}, ErrNotFound
	}
	if err != nil {
		return Case{}, err
	}
	return c, json.Unmarshal(answers, &c.Answers)
}

// Get returns a case with its snapshot.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (Case, error) {
	var c Case
	var answers []byte
	err := s.db.QueryRow(ctx, `SELECT `+caseColumns+`, answers FROM cases WHERE id = $1`, id).Scan(append(caseDest(&c), &answers)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Case{}, ErrNotFound
	}
	if err != nil {
		return Case{}, fmt.Errorf("casework: %w", err)
	}
	return c, json.Unmarshal(answers, &c.Answers)
}

// BySourceDraft returns the case a draft became.
func (s *Store) BySourceDraft(ctx context.Context, draftID uuid.UUID) (Case, error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return Case{}, err
	}
	defer tx.Rollback(ctx)
	return bySourceDraft(ctx, tx, draftID)
}

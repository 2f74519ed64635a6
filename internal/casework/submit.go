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
	"github.com/minasidor/minasidor/internal/notify"
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
	var onceKey []byte
	if e.OnceOnly != eservice.OnceNone {
		onceKey = onceOnlyKey(e, answers, who)
	}
	if who.Anonymous {
		answers = def.RemovePersonal(answers)
	}
	keep := fileIDs(def, answers) // files of hidden or removed fields stay out of the case
	var visitor []byte
	if who.AccountID == uuid.Nil && len(who.VisitorKey) > 0 {
		sum := sha256.Sum256(who.VisitorKey)
		visitor = sum[:]
	}
	snapshot, err := json.Marshal(answers)
	if err != nil {
		return Case{}, err
	}

	var c Case
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		// The draft row is the lock that makes a double submit wait for the first to finish.
		var exists bool
		err := tx.QueryRow(ctx, `SELECT true FROM draft WHERE id = $1 FOR UPDATE`, d.ID).Scan(&exists)
		if errors.Is(err, pgx.ErrNoRows) {
			c, err = bySourceDraft(ctx, tx, d.ID)
			return err
		}
		if err != nil {
			return err
		}
		if !who.Signed {
			var signed bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice_signing WHERE eservice_id = $1)`, e.ID).Scan(&signed); err != nil {
				return err
			}
			if signed {
				return ErrSignaturesRequired
			}
		}
		if onceKey != nil {
			// Two people submitting for the same person at once: the second waits, then finds the first.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 0))`, onceKey); err != nil {
				return err
			}
			var prior Case
			err := tx.QueryRow(ctx, `SELECT id, reference, account_id FROM cases WHERE eservice_id = $1 AND once_only_key = $2`,
				e.ID, onceKey).Scan(&prior.ID, &prior.Reference, &prior.AccountID)
			if err == nil {
				mine := prior.AccountID != nil && *prior.AccountID == who.AccountID
				return &AlreadySubmittedError{Reference: prior.Reference, CaseID: prior.ID, Mine: mine}
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		ref, err := nextReference(ctx, tx, e.TenantID, e.MunicipalityCode, now)
		if err != nil {
			return err
		}
		var account any
		if who.AccountID != uuid.Nil && !who.Anonymous {
			account = who.AccountID
		}
		key, _, err := statusOf(ctx, tx, e.ID, "", StatusSubmitted)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, anonymous, answers, once_only_key, source_draft_id, submitted_at, visitor_key,
				status, status_key, status_changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', $12, $10)
			RETURNING `+caseColumns,
			e.TenantID, e.ID, v.ID, ref, account, who.Anonymous, snapshot, onceKey, d.ID, now, visitor, key).
			Scan(caseDest(&c)...)
		if err != nil {
			return fmt.Errorf("casework: insert case: %w", err)
		}
		c.Answers = answers
		if _, err := tx.Exec(ctx, `INSERT INTO case_revision (tenant_id, case_id, number, answers, created_at) VALUES ($1, $2, 1, $3, $4)`,
			e.TenantID, c.ID, snapshot, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, at, data) VALUES ($1, $2, 'submitted', $3, $4)`,
			e.TenantID, c.ID, now, map[string]any{"version": v.Number}); err != nil {
			return err
		}
		// The organisation the draft was made for, if any, is the case's (an anonymous case has none).
		if !who.Anonymous {
			if err := tx.QueryRow(ctx, `
				UPDATE cases SET org_kind = d.org_kind, org_number = d.org_number, org_name = d.org_name
				FROM draft d WHERE d.id = $1 AND cases.id = $2
				RETURNING coalesce(cases.org_kind, ''), coalesce(cases.org_number, ''), coalesce(cases.org_name, '')`, d.ID, c.ID).
				Scan(&c.OrgKind, &c.OrgNumber, &c.OrgName); err != nil {
				return fmt.Errorf("casework: organisation: %w", err)
			}
		}
		// Each booking field's held time becomes a booking of the case; the holds of fields left
		// out go with the draft.
		for _, bt := range times {
			_, err := s.bookings.With(tx).Confirm(ctx, booking.ForCase{CaseID: c.ID, Pick: booking.Pick{
				TenantID: e.TenantID, DraftID: d.ID, AccountID: who.AccountID, Field: bt.field.Key, Resource: bt.field.Resource, Start: bt.start}})
			if errors.Is(err, booking.ErrTaken) || errors.Is(err, booking.ErrNotBookable) {
				return &BookingError{Step: bt.step, Field: bt.field.Key, Err: err}
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM upload WHERE draft_id = $1 AND NOT (id = ANY ($2))`, d.ID, keep); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE upload SET case_id = $2, draft_id = NULL WHERE draft_id = $1`, d.ID, c.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM draft WHERE id = $1`, d.ID); err != nil {
			return err
		}
		if err := webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseSubmitted, CaseID: c.ID}); err != nil {
			return err
		}
		return s.notice(ctx, tx, e.TenantID, c.ID, c.AccountID, notify.KindCaseSubmitted)
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

// fileIDs are the files the answers refer to, in file fields.
func fileIDs(def *form.Definition, a form.Answers) []uuid.UUID {
	ids := []uuid.UUID{}
	for _, st := range def.Steps {
		for _, f := range st.Fields {
			if f.Type != form.File {
				continue
			}
			for _, v := range a[f.Key] {
				if id, err := uuid.Parse(v); err == nil {
					ids = append(ids, id)
				}
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

// nextReference takes the next number of the municipality's year: ALI-2026-000042.
func nextReference(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, code string, now time.Time) (string, error) {
	year := now.Year()
	var n int
	err := tx.QueryRow(ctx, `
		INSERT INTO reference_counter (tenant_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last = reference_counter.last + 1
		RETURNING last`, tenantID, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("casework: reference number: %w", err)
	}
	return fmt.Sprintf("%s-%d-%06d", code, year, n), nil
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

// Package rights holds the citizen's requests under the data protection regulation and the
// erasure they may do themselves.
//
// A request for rectification, erasure, restriction or objection, or to withdraw a consent, is a
// case of a built-in e-service that every municipality has ("Begäran enligt
// dataskyddsförordningen", builtin data_protection): its admins choose its handlers (the data
// protection function) and may rename its statuses, its caseworkers handle it like any case, and
// the answer and the decision reach the citizen on Mina sidor. It is not in the catalogue; the
// citizen files it from Mina uppgifter (File).
//
// What the portal may erase on its own, it erases at once (Erase): the confirmed contact data,
// the drafts, and the account itself when no case needs it. Submitted cases are public documents
// of the municipality and stay, under the Archives Act and the e-service's retention.
package rights

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

//go:embed eservice.json
var builtinJSON []byte

// builtinDoc is the built-in e-service as eservice.json describes it.
type builtinDoc struct {
	Title       form.Text        `json:"title"`
	Description form.Text        `json:"description"`
	Privacy     eservice.Privacy `json:"privacy"`
	Statuses    []struct {
		Key   string    `json:"key"`
		Label form.Text `json:"label"`
		Type  string    `json:"type"`
		Days  *int      `json:"days"`
	} `json:"statuses"`
	Definition form.Definition `json:"definition"`
}

// RetentionMonths is how long a closed request is kept (eservice.json's privacy notice says so).
const RetentionMonths = 60

// Store files requests and erases.
type Store struct {
	db    db.Querier
	cases *casework.Store
	now   func() time.Time
}

// NewStore returns a store that files requests as cases through cases.
func NewStore(q db.Querier, cases *casework.Store) *Store {
	return &Store{db: q, cases: cases, now: time.Now}
}

// EnsureEService returns the municipality's built-in e-service, made and published on first use
// (and for the demo municipalities at start, so that their admins find it to assign handlers).
func EnsureEService(ctx context.Context, q db.Querier, tenantID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := db.Transact(ctx, q, func(tx pgx.Tx) error {
		find := func() error {
			return tx.QueryRow(ctx, `SELECT id FROM eservice WHERE tenant_id = $1 AND builtin = $2`, tenantID, Builtin).Scan(&id)
		}
		err := find()
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		// Two first requests at once: the second waits, then finds the first's.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('rights:' || $1::text, 0))`, tenantID); err != nil {
			return err
		}
		if err = find(); !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var doc builtinDoc
		if err := json.Unmarshal(builtinJSON, &doc); err != nil {
			return fmt.Errorf("rights: eservice.json: %w", err)
		}
		e, err := eservice.Create(ctx, tx, eservice.EService{TenantID: tenantID, Slug: Slug, Title: doc.Title,
			Description: doc.Description, Category: "documents", Audience: []string{"private"},
			LoginRule: eservice.LoginRequired, Privacy: doc.Privacy})
		if err != nil {
			return err
		}
		id = e.ID
		if _, err := tx.Exec(ctx, `UPDATE eservice SET builtin = $2, retention_months = $3, retention_disposal = 'keep' WHERE id = $1`,
			id, Builtin, RetentionMonths); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eservice_status WHERE eservice_id = $1`, id); err != nil {
			return err
		}
		for i, st := range doc.Statuses {
			if _, err := tx.Exec(ctx, `
				INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenantID, id, st.Key, st.Label, st.Type, st.Days, i+1); err != nil {
				return err
			}
		}
		_, err = eservice.Publish(ctx, tx, id, &doc.Definition, "")
		return err
	})
	return id, err
}

// Request is what the citizen asks for.
type Request struct {
	Kind    string // one of Kinds
	Case    string // the reference of the case it concerns; "" for none
	Details string
}

// Filer is the citizen filing a request.
type Filer struct {
	TenantID       uuid.UUID // the municipality whose data protection function handles it
	AccountID      uuid.UUID
	PersonalNumber string
}

// File files the request as a case of the municipality's built-in e-service, in one
// transaction: checked against its form as any case is (an invalid request is apperr.FieldErrors
// named after the form's fields, and files nothing), with a reference number, its first status,
// and the confirmation notice.
func (s *Store) File(ctx context.Context, who Filer, in Request) (casework.Case, error) {
	in.Case, in.Details = strings.TrimSpace(in.Case), strings.TrimSpace(strings.ReplaceAll(in.Details, "\r\n", "\n"))
	var errs apperr.FieldErrors
	if !slices.Contains(Kinds, in.Kind) {
		errs.Add(FieldKind, "rights.request.error.kind")
	}
	if n := utf8.RuneCountInString(in.Details); n < 5 || n > 4000 {
		errs.Add(FieldDetails, "rights.request.error.details")
	}
	if utf8.RuneCountInString(in.Case) > 40 {
		errs.Add(FieldCase, "rights.request.error.case")
	}
	if err := errs.Err(); err != nil {
		return casework.Case{}, err
	}
	answers := form.Answers{FieldKind: {in.Kind}, FieldDetails: {in.Details}}
	if in.Case != "" {
		answers[FieldCase] = []string{in.Case}
	}
	var c casework.Case
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		id, err := EnsureEService(ctx, tx, who.TenantID)
		if err != nil {
			return err
		}
		es := eservice.NewStore(tx)
		e, err := es.ByID(ctx, id)
		if err != nil {
			return err
		}
		if e.CurrentVersionID == nil {
			return fmt.Errorf("rights: the built-in e-service of %s has no version", who.TenantID)
		}
		v, err := es.Version(ctx, *e.CurrentVersionID)
		if err != nil {
			return err
		}
		d, err := draft.NewStore(tx).Create(ctx, who.TenantID, e.ID, v.ID, draft.Owner{AccountID: who.AccountID}, v.Definition.Steps[0].Key)
		if err != nil {
			return err
		}
		d.Answers = answers
		c, err = s.cases.With(tx).Submit(ctx, d, e, v, casework.Submitter{AccountID: who.AccountID, PersonalNumber: who.PersonalNumber}, s.now())
		var incomplete *casework.IncompleteError
		if errors.As(err, &incomplete) {
			return incomplete.Fields
		}
		return err
	})
	return c, err
}

// Filed is one of the citizen's requests as Mina uppgifter lists it.
type Filed struct {
	CaseID       uuid.UUID
	Reference    string
	Kind         string
	Municipality string
	StatusLabel  form.Text
	Closed       bool
	Decision     string
	SubmittedAt  time.Time
}

// Requests returns the account's requests that Mina sidor still shows, newest first.
func (s *Store) Requests(ctx context.Context, accountID uuid.UUID) ([]Filed, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.id, c.reference, coalesce(c.answers -> $2 ->> 0, ''), t.name,
			coalesce((SELECT st.label FROM eservice_status st WHERE st.eservice_id = c.eservice_id AND st.key = c.status_key), '{}'),
			c.closed_at IS NOT NULL, coalesce(c.decision, ''), c.submitted_at
		FROM cases c JOIN eservice e ON e.id = c.eservice_id JOIN tenant t ON t.id = c.tenant_id
		WHERE c.account_id = $1 AND e.builtin = $3 AND c.citizen_removed_at IS NULL
		ORDER BY c.submitted_at DESC, c.id LIMIT 50`, accountID, FieldKind, Builtin)
	if err != nil {
		return nil, fmt.Errorf("rights: requests: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Filed, error) {
		var f Filed
		return f, r.Scan(&f.CaseID, &f.Reference, &f.Kind, &f.Municipality, &f.StatusLabel, &f.Closed, &f.Decision, &f.SubmittedAt)
	})
}

// ErrAccountNeeded refuses to erase an account that a case or a coming booking still needs.
var ErrAccountNeeded = apperr.New(apperr.Conflict, "rights.erase.error.needed")

// ErrNotFound is an account that does not exist.
var ErrNotFound = apperr.New(apperr.NotFound, "")

// Named is one of the citizen's cases, for the request's choice of the case it concerns.
type Named struct {
	Reference string
	Title     form.Text
}

// CasesOf returns the account's cases that Mina sidor shows (its requests left out), newest
// first, at most 200.
func (s *Store) CasesOf(ctx context.Context, accountID uuid.UUID) ([]Named, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.reference, e.title FROM cases c JOIN eservice e ON e.id = c.eservice_id
		WHERE c.account_id = $1 AND c.citizen_removed_at IS NULL AND e.builtin IS NULL
		ORDER BY c.submitted_at DESC, c.id LIMIT 200`, accountID)
	if err != nil {
		return nil, fmt.Errorf("rights: cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Named, error) {
		var n Named
		return n, r.Scan(&n.Reference, &n.Title)
	})
}

package casework

import (
	"context"
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
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/webhook"
)

// Supplement errors.
var (
	ErrNotWaiting     = apperr.New(apperr.Conflict, "error.supplement.notwaiting")
	ErrRequestEmpty   = apperr.New(apperr.Invalid, "error.supplement.empty")
	ErrAlreadyWaiting = apperr.New(apperr.Conflict, "error.supplement.waiting")
)

// SupplementRequest is a caseworker's request for more.
type SupplementRequest struct {
	ID          uuid.UUID
	Request     string
	RequestedBy string
	RequestedAt time.Time
	AnsweredAt  *time.Time
}

// RequestSupplement asks the citizen for more: the case waits for a supplement, and the event is
// recorded. A closed case, or one already waiting, cannot be asked.
func (s *Store) RequestSupplement(ctx context.Context, by staff.Member, caseID uuid.UUID, request string) error {
	request = strings.TrimSpace(request)
	if request == "" || utf8.RuneCountInString(request) > 5000 {
		return ErrRequestEmpty
	}
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		mv, err := s.transition(ctx, tx, caseID, move{typ: StatusWaitingSupplement, actor: by.Name, event: true, notice: true, again: ErrAlreadyWaiting})
		if errors.Is(err, ErrClosed) {
			return apperr.New(apperr.Conflict, "error.message.closed")
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO supplement_request (tenant_id, case_id, request, requested_by) VALUES ($1, $2, $3, $4)`,
			mv.tenantID, caseID, request, by.Name)
		return err
	})
}

// OpenRequest returns the case's unanswered supplement request, or nil.
func (s *Store) OpenRequest(ctx context.Context, caseID uuid.UUID) (*SupplementRequest, error) {
	var r *SupplementRequest
	return r, db.Read(ctx, s.db, func(b *pgx.Batch) { queueOpenRequest(b, caseID, &r) })
}

func queueOpenRequest(b *pgx.Batch, caseID uuid.UUID, out **SupplementRequest) {
	db.QueueOptional(b, nil, func(row pgx.Row) error {
		var r SupplementRequest
		if err := row.Scan(&r.ID, &r.Request, &r.RequestedBy, &r.RequestedAt, &r.AnsweredAt); err != nil {
			return fmt.Errorf("casework: supplement request: %w", err)
		}
		*out = &r
		return nil
	}, `
		SELECT id, request, requested_by, requested_at, answered_at FROM supplement_request
		WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`, caseID)
}

// SubmitSupplement turns a supplement draft into the case's next revision, in one transaction:
// the answers are checked against the case's own version, the new files join the case, the
// request is answered, and the case is handled again. Submitting the same draft again returns
// the case.
func (s *Store) SubmitSupplement(ctx context.Context, d draft.Draft, v eservice.Version, now time.Time) (Case, error) {
	if d.CaseID == nil {
		return Case{}, errors.New("casework: the draft supplements no case")
	}
	def := v.Definition
	answers := def.Prune(def.Normalize(d.Answers))
	if invalid := def.CheckAll(answers, now); len(invalid) > 0 {
		if step, ok := def.FirstInvalidStep(invalid); ok {
			return Case{}, &IncompleteError{Step: step, Fields: invalid[step]}
		}
	}
	snapshot, err := json.Marshal(answers)
	if err != nil {
		return Case{}, err
	}
	keep := fileIDs(def.FieldsOfType(form.File), answers)
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT true FROM draft WHERE id = $1 FOR UPDATE`, d.ID).Scan(&exists); errors.Is(err, pgx.ErrNoRows) {
			return nil // submitted already: the caller shows the case
		} else if err != nil {
			return err
		}
		var status string
		var tenantID uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT tenant_id, status FROM cases WHERE id = $1 FOR UPDATE`, *d.CaseID).Scan(&tenantID, &status); err != nil {
			return err
		}
		if status != StatusWaitingSupplement {
			return ErrNotWaiting
		}
		// The answers as submitted become revision 1 before the first supplement changes them.
		if _, err := tx.Exec(ctx, `
			INSERT INTO case_revision (tenant_id, case_id, number, answers, created_at)
			SELECT tenant_id, id, 1, answers, submitted_at FROM cases c
			WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)`, *d.CaseID); err != nil {
			return fmt.Errorf("casework: first revision: %w", err)
		}
		var number int
		err := tx.QueryRow(ctx, `
			INSERT INTO case_revision (tenant_id, case_id, number, answers, source_draft_id, created_at)
			SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5 FROM case_revision WHERE case_id = $2
			RETURNING number`, tenantID, *d.CaseID, snapshot, d.ID, now).Scan(&number)
		if err != nil {
			return fmt.Errorf("casework: revision: %w", err)
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM upload WHERE draft_id = $1 AND NOT (id = ANY ($2))`, []any{d.ID, keep}},
			{`UPDATE upload SET case_id = $2, draft_id = NULL WHERE draft_id = $1`, []any{d.ID, *d.CaseID}},
			{`UPDATE cases SET answers = $2 WHERE id = $1`, []any{*d.CaseID, snapshot}},
			{`UPDATE supplement_request SET answered_at = $2, revision = $3 WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`, []any{*d.CaseID, now, number}},
			{`INSERT INTO case_event (tenant_id, case_id, kind, at, data) VALUES ($1, $2, 'supplemented', $3, jsonb_build_object('revision', $4::int))`, []any{tenantID, *d.CaseID, now, number}},
			{`DELETE FROM draft WHERE id = $1`, []any{d.ID}},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		if err := webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseSupplemented, CaseID: *d.CaseID, Data: map[string]any{"revision": number}}); err != nil {
			return err
		}
		// Handled again: the supplement is the event; the citizen did it and needs no notice.
		_, err = s.transition(ctx, tx, *d.CaseID, move{typ: StatusInProgress, at: now})
		return err
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, *d.CaseID)
}

// Revision is one version of a case's answers.
type Revision struct {
	Number    int
	Answers   form.Answers
	CreatedAt time.Time
	Request   string // the caseworker's request the revision answered; "" for the first
}

// Revisions returns every revision of the case's answers, the first (as submitted) first.
func (s *Store) Revisions(ctx context.Context, caseID uuid.UUID) ([]Revision, error) {
	var out []Revision
	return out, db.Read(ctx, s.db, func(b *pgx.Batch) { queueRevisions(b, caseID, &out) })
}

// queueRevisions queues the reading of the case's revisions, the first first, with the requests
// they answered, into out.
func queueRevisions(b *pgx.Batch, caseID uuid.UUID, out *[]Revision) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Revision, error) {
		var rev Revision
		var answers []byte
		if err := r.Scan(&rev.Number, &answers, &rev.CreatedAt, &rev.Request); err != nil {
			return rev, fmt.Errorf("casework: revisions: %w", err)
		}
		return rev, json.Unmarshal(answers, &rev.Answers)
	}, `
		SELECT r.number, r.answers, r.created_at, coalesce(q.request, '')
		FROM case_answers r
		LEFT JOIN supplement_request q ON q.case_id = r.case_id AND q.revision = r.number
		WHERE r.case_id = $1 ORDER BY r.number`, caseID)
}

// Change is one answer that a revision changed. For a file field the values are the files' ids,
// or, in a Supplement, their names, with the files added and removed.
type Change struct {
	Step    string
	Label   string
	Before  []string
	After   []string
	Files   bool     // the answer is files
	Added   []string // of a file field: the files the revision added
	Removed []string // and those it took away
}

// Changes lists what changed between two revisions, as the caseworker reads it: answers added,
// changed or removed, in the form's order, with display values.
func Changes(def *form.Definition, before, after form.Answers, lang string, tr func(string) string) []Change {
	type shown struct {
		step, label string
		values      []string
		files       bool
	}
	index := func(a form.Answers) (map[string]shown, []string) {
		m := map[string]shown{}
		var order []string
		for _, st := range def.Summary(a, lang, tr) {
			for _, it := range st.Items {
				m[it.Field] = shown{st.Title, it.Label, it.Values, it.Type == form.File}
				order = append(order, it.Field)
			}
		}
		return m, order
	}
	b, _ := index(before)
	a, order := index(after)
	for _, st := range def.Steps { // removed answers keep the form's order too
		for _, f := range st.Fields {
			if _, ok := a[f.Key]; !ok {
				if _, was := b[f.Key]; was {
					order = append(order, f.Key)
				}
			}
		}
	}
	var out []Change
	for _, key := range order {
		was, now := b[key], a[key]
		if slices.Equal(was.values, now.values) {
			continue
		}
		c := Change{Step: now.step, Label: now.label, Before: was.values, After: now.values, Files: now.files || was.files}
		if c.Label == "" {
			c.Step, c.Label = was.step, was.label
		}
		out = append(out, c)
	}
	return out
}

// BySupplementDraft returns the case a supplement draft was submitted to.
func (s *Store) BySupplementDraft(ctx context.Context, draftID uuid.UUID) (Case, error) {
	var id uuid.UUID
	err := s.db.QueryRow(ctx, `SELECT case_id FROM case_revision WHERE source_draft_id = $1`, draftID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Case{}, ErrNotFound
	}
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, id)
}

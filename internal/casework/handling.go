package casework

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/staff"
)

// Queue tabs.
const (
	TabMine       = "mine"
	TabUnassigned = "unassigned"
	TabOverdue    = "overdue"
	TabFlagged    = "flagged"
	TabActive     = "active"
	TabClosed     = "closed"
)

// Tabs lists the queue's tabs, the default first.
var Tabs = []string{TabMine, TabUnassigned, TabOverdue, TabFlagged, TabActive, TabClosed}

// QueueRow is a case in a caseworker's queue. A protected identity's name is never in it.
type QueueRow struct {
	ID          uuid.UUID
	Reference   string
	EService    string
	SubmittedAt time.Time
	Status      string    // the status's type
	StatusLabel form.Text // the e-service's name of the status
	Assignee    string
	Citizen     string // the account's name; empty for a protected identity or an anonymous case
	Protected   bool
	Anonymous   bool // submitted anonymously: no account, no name
	Flagged     bool
}

// QueueQuery asks for one page of a caseworker's queue.
type QueueQuery struct {
	Member     staff.Member
	Tab        string
	EServiceID uuid.UUID // uuid.Nil: every e-service
	StatusKey  string    // "": every status
	From, To   time.Time // submitted on or after From and before To; zero: no limit
	Oldest     bool      // oldest first instead of newest first
	After      string    // cursor of the previous page
	Limit      int
}

// QueuePage is one page of a queue.
type QueuePage struct {
	Rows []QueueRow
	Next string
}

// queueQueue queues the reading of a page of the caseworker's queue, newest first, paged by key.
func queueQueue(b *pgx.Batch, q QueueQuery, out *QueuePage) {
	if !q.Member.Has(staff.Caseworker) {
		return
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 25
	}
	args := append(seesArgs(q.Member), q.Limit+1)
	where := []string{seesAt(q.Member, 1)}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	switch q.Tab {
	case TabUnassigned:
		where = append(where, "c.closed_at IS NULL AND c.assigned_to IS NULL")
	case TabOverdue:
		where = append(where, overdue)
	case TabFlagged:
		where = append(where, "EXISTS (SELECT 1 FROM case_flag f WHERE f.case_id = c.id AND f.staff_id = $1)")
	case TabActive:
		where = append(where, "c.closed_at IS NULL")
	case TabClosed:
		where = append(where, "c.closed_at IS NOT NULL")
	default:
		where = append(where, "c.closed_at IS NULL AND c.assigned_to = $1")
	}
	if q.EServiceID != uuid.Nil {
		add("c.eservice_id = $?", q.EServiceID)
	}
	if q.StatusKey != "" {
		add("c.status_key = $?", q.StatusKey)
	}
	if !q.From.IsZero() {
		add("c.submitted_at >= $?", q.From)
	}
	if !q.To.IsZero() {
		add("c.submitted_at < $?", q.To)
	}
	order, before := "c.submitted_at DESC, c.id DESC", "<"
	if q.Oldest {
		order, before = "c.submitted_at, c.id", ">"
	}
	if t, id, _, err := decodeCursor(q.After); q.After != "" && err == nil {
		args = append(args, t, id)
		where = append(where, fmt.Sprintf("(c.submitted_at, c.id) %s ($%d, $%d)", before, len(args)-1, len(args)))
	}
	b.Queue(`
		SELECT c.id, c.reference, e.title ->> 'sv', c.submitted_at, c.status,
			coalesce((SELECT es.label FROM eservice_status es WHERE es.eservice_id = c.eservice_id AND es.key = c.status_key), '{}'),
			coalesce(st.name, ''),
			CASE WHEN a.protected_identity THEN '' ELSE coalesce(a.display_name, '') END,
			coalesce(a.protected_identity, false), c.anonymous,
			EXISTS (SELECT 1 FROM case_flag f WHERE f.case_id = c.id AND f.staff_id = $1)
		FROM cases c
		JOIN eservice e ON e.id = c.eservice_id
		LEFT JOIN account a ON a.id = c.account_id
		LEFT JOIN staff st ON st.id = c.assigned_to
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY `+order+`
		LIMIT $5`, args...).Query(func(rows pgx.Rows) error {
		p, err := queuePage(rows, q.Limit)
		if err != nil {
			return fmt.Errorf("casework: queue: %w", err)
		}
		*out = p
		return nil
	})
}

// queuePage reads the rows of a queue or a search (one more than limit, if there is a next
// page) into a page with the cursor of the next.
func queuePage(rows pgx.Rows, limit int) (QueuePage, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueRow, error) {
		var row QueueRow
		err := r.Scan(&row.ID, &row.Reference, &row.EService, &row.SubmittedAt, &row.Status, &row.StatusLabel, &row.Assignee, &row.Citizen, &row.Protected, &row.Anonymous, &row.Flagged)
		return row, err
	})
	if err != nil {
		return QueuePage{}, err
	}
	p := QueuePage{Rows: list}
	if len(list) > limit {
		p.Rows = list[:limit]
		last := p.Rows[limit-1]
		p.Next = encodeCursor(last.SubmittedAt, last.ID, last.Reference)
	}
	return p, nil
}

// ErrAssignee is an assignment to someone who does not handle the case's e-service.
var ErrAssignee = apperr.New(apperr.Invalid, "error.assign.who")

// Assign gives the case to a caseworker (uuid.Nil: to nobody), as an event of its history.
func (s *Store) Assign(ctx context.Context, by staff.Member, caseID, to uuid.UUID) error {
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		var assignee any
		name := ""
		if to != uuid.Nil {
			assignee = to
			err := tx.QueryRow(ctx, `
				SELECT s.name FROM staff s JOIN cases c ON c.id = $3
				WHERE s.id = $1 AND s.tenant_id = $2 AND s.active
				  AND EXISTS (SELECT 1 FROM staff_role r WHERE r.staff_id = s.id AND r.role = 'caseworker')
				  AND EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = c.eservice_id AND (h.staff_id = s.id OR h.group_name = ANY (s.groups)))`,
				to, by.TenantID, caseID).Scan(&name)
			if err != nil {
				return ErrAssignee
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET assigned_to = $2, updated_at = now() WHERE id = $1`, caseID, assignee); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor, data) VALUES ($1, $2, 'assigned', $3, jsonb_build_object('to', $4::text))`,
			by.TenantID, caseID, by.Name, name)
		return err
	})
}

// Caseworker is a caseworker a case can be assigned to.
type Caseworker struct {
	ID   uuid.UUID
	Name string
}

// queueCaseworkers queues the reading of the active caseworkers who handle the case's e-service,
// by name, into out: whom the case can be assigned to.
func queueCaseworkers(b *pgx.Batch, caseID uuid.UUID, out *[]Caseworker) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Caseworker, error) {
		var c Caseworker
		err := r.Scan(&c.ID, &c.Name)
		return c, err
	}, `
		SELECT s.id, s.name FROM staff s JOIN cases c ON c.id = $1
		WHERE s.tenant_id = c.tenant_id AND s.active
		  AND EXISTS (SELECT 1 FROM staff_role r WHERE r.staff_id = s.id AND r.role = 'caseworker')
		  AND EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = c.eservice_id AND (h.staff_id = s.id OR h.group_name = ANY (s.groups)))
		ORDER BY s.name`, caseID)
}

// ToggleFlag flags the case for the caseworker, or takes the flag away.
func (s *Store) ToggleFlag(ctx context.Context, by staff.Member, caseID uuid.UUID) error {
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM case_flag WHERE case_id = $1 AND staff_id = $2`, caseID, by.ID)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_flag (case_id, staff_id) VALUES ($1, $2)`, caseID, by.ID)
		return err
	})
}

// Note is an internal note on a case.
type Note struct {
	Author string
	Body   string
	At     time.Time
}

// ErrNoteEmpty is an empty note.
var ErrNoteEmpty = apperr.New(apperr.Invalid, "error.note.empty")

// AddNote adds an internal note, which the citizen never sees, as an event of the case's history.
func (s *Store) AddNote(ctx context.Context, by staff.Member, caseID uuid.UUID, body string) error {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > 10000 {
		return ErrNoteEmpty
	}
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO case_note (tenant_id, case_id, staff_id, staff_name, body) VALUES ($1, $2, $3, $4, $5)`,
			by.TenantID, caseID, by.ID, by.Name, body); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor) VALUES ($1, $2, 'note', $3)`, by.TenantID, caseID, by.Name)
		return err
	})
}

// queueNotes queues the reading of the case's internal notes, oldest first, into out.
func queueNotes(b *pgx.Batch, caseID uuid.UUID, out *[]Note) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Note, error) {
		var n Note
		err := r.Scan(&n.Author, &n.Body, &n.At)
		return n, err
	}, `SELECT staff_name, body, created_at FROM case_note WHERE case_id = $1 ORDER BY created_at, id`, caseID)
}

// ErrDecisionEmpty is a closing without a decision.
var ErrDecisionEmpty = apperr.New(apperr.Invalid, "error.decision.empty")

// CheckDecision checks the decision a case is to be closed with: some text, at most 10,000
// characters; ErrDecisionEmpty otherwise.
func CheckDecision(decision string) error {
	decision = strings.TrimSpace(decision)
	if decision == "" || utf8.RuneCountInString(decision) > 10000 {
		return ErrDecisionEmpty
	}
	return nil
}

// Close closes the case with a decision that the citizen reads, and tells them.
func (s *Store) Close(ctx context.Context, by staff.Member, caseID uuid.UUID, decision string) error {
	if err := CheckDecision(decision); err != nil {
		return err
	}
	decision = strings.TrimSpace(decision)
	return s.asCaseworker(ctx, by, caseID, func(tx pgx.Tx) error {
		if err := mustBeRepresented(ctx, tx, caseID); err != nil {
			return err
		}
		_, err := s.transition(ctx, tx, caseID, move{typ: StatusClosed, actor: by.Name, decision: decision, event: true, notice: true})
		return err
	})
}

// queueDecision queues the reading of the decision a closed case was closed with ("" for an
// open case) into out.
func queueDecision(b *pgx.Batch, caseID uuid.UUID, out *string) {
	db.QueueOptional(b, nil, func(row pgx.Row) error { return row.Scan(out) }, `SELECT coalesce(decision, '') FROM cases WHERE id = $1`, caseID)
}

// HandledEService is an e-service a caseworker handles.
type HandledEService struct {
	ID    uuid.UUID
	Title string
}

// queueHandled queues the reading of the e-services the caseworker handles, by title, into out.
func queueHandled(b *pgx.Batch, m staff.Member, out *[]HandledEService) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (HandledEService, error) {
		var e HandledEService
		err := r.Scan(&e.ID, &e.Title)
		return e, err
	}, `
		SELECT e.id, e.title ->> 'sv' FROM eservice e
		WHERE e.tenant_id = $2 AND EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = e.id AND (h.staff_id = $1 OR h.group_name = ANY ($3)))
		ORDER BY 2`, seesArgs(m)[:3]...)
}

// Handling is how a case stands for one caseworker: who has it, and whether they flagged it.
type Handling struct {
	AssigneeID   uuid.UUID // uuid.Nil when nobody has it
	AssigneeName string
	Flagged      bool
}

// queueHandling queues the reading of how the case stands for the caseworker: who has it, and
// whether they flagged it.
func queueHandling(b *pgx.Batch, caseID uuid.UUID, m staff.Member, h *Handling) {
	db.QueueOptional(b, nil, func(row pgx.Row) error {
		var assignee *uuid.UUID
		if err := row.Scan(&assignee, &h.AssigneeName, &h.Flagged); err != nil {
			return err
		}
		if assignee != nil {
			h.AssigneeID = *assignee
		}
		return nil
	}, `
		SELECT c.assigned_to, coalesce(st.name, ''),
			EXISTS (SELECT 1 FROM case_flag f WHERE f.case_id = c.id AND f.staff_id = $2)
		FROM cases c LEFT JOIN staff st ON st.id = c.assigned_to
		WHERE c.id = $1`, caseID, m.ID)
}

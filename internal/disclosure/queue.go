package disclosure

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/staff"
)

// Tabs of the registrars' queue.
const (
	TabOpen    = "open"    // not answered yet (received, or waiting for approval), oldest first
	TabDecided = "decided" // answered, newest first
)

// Tabs lists the tabs, the default first.
var Tabs = []string{TabOpen, TabDecided}

// QueuePage is a page of the queue and the cursor of the next, empty on the last page.
type QueuePage struct {
	Requests []Listed
	Next     string
}

// Listed is a request in the queue.
type Listed struct {
	Request
	Documents int // cases linked to it
}

// Queue returns a page of the municipality's requests to the registrar: the open ones oldest
// first (they are to be handled promptly, "skyndsamt"), or the answered ones newest first.
// The queue holds no case content, so reading it is no audit record.
func (s *Store) Queue(ctx context.Context, m staff.Member, tab, after string, limit int) (QueuePage, error) {
	if err := registrar(m); err != nil {
		return QueuePage{}, err
	}
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	where, order, cursor := `q.state <> 'decided'`, `q.created_at, q.id`, `(q.created_at, q.id) > ($3, $4)`
	if tab == TabDecided {
		where, order, cursor = `q.state = 'decided'`, `q.decided_at DESC, q.id DESC`, `(q.decided_at, q.id) < ($3, $4)`
	}
	args := []any{m.TenantID, limit + 1}
	if t, id, ok := db.DecodeCursor(after); ok {
		args = append(args, t, id)
	} else {
		cursor = "true"
	}
	var p QueuePage
	err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		db.QueueRows(b, &p.Requests, func(row pgx.CollectableRow) (Listed, error) {
			var l Listed
			var r Request
			var refs string
			err := row.Scan(&r.ID, &r.TenantID, &r.Municipality, &r.Reference, &r.AccountID, &r.Lang, &refs, &r.EServiceID,
				&r.EService, &r.From, &r.To, &r.Subject, &r.Delivery, &r.Email, &r.PostalAddress,
				&r.State, &r.CreatedAt, &r.DecidedAt, &r.Outcome, &r.HasAnswer, &r.ReleasedAnswer, &l.Documents)
			r.AskedRefs = strings.Fields(refs)
			l.Request = r
			return l, err
		}, `SELECT `+requestColumns+`, (SELECT count(*) FROM disclosure_document d WHERE d.request_id = q.id)
			FROM `+requestFrom+`
			WHERE q.tenant_id = $1 AND `+where+` AND `+cursor+`
			ORDER BY `+order+` LIMIT $2`, args...)
	})
	if err != nil {
		return QueuePage{}, err
	}
	if len(p.Requests) > limit {
		p.Requests = p.Requests[:limit]
		last := p.Requests[limit-1]
		at := last.CreatedAt
		if tab == TabDecided && last.DecidedAt != nil {
			at = *last.DecidedAt
		}
		p.Next = db.EncodeCursor(at, last.ID)
	}
	return p, nil
}

// Linked is a case linked to a request.
type Linked struct {
	CaseID      uuid.UUID
	Reference   string
	EService    form.Text
	SubmittedAt time.Time
	Decided     int // parts with a decision of their own
}

// Event is a step of a request's handling.
type Event struct {
	Kind      string
	StaffName string
	Detail    map[string]any
	At        time.Time
	Reference string // the request's, in the municipality's log
}

// Handling is a request as the registrar handles it: the request, the cases linked to it, its
// log and the municipality's settings.
type Handling struct {
	Request   Request
	Documents []Linked
	Events    []Event
	Settings  Settings
	DecidedBy uuid.UUID // who made the answer, once there is one
	EServices []EServiceChoice
}

// EServiceChoice is one of the municipality's e-services, for the search.
type EServiceChoice struct {
	ID    uuid.UUID
	Title form.Text
}

// Handle reads a request of the registrar's municipality for them. It holds what the requester
// asked and how to deliver, never a case's content: reading it is no audit record.
func (s *Store) Handle(ctx context.Context, m staff.Member, requestID uuid.UUID) (Handling, error) {
	if err := registrar(m); err != nil {
		return Handling{}, err
	}
	var h Handling
	found := false
	b := &pgx.Batch{}
	queueRequest(b, `q.id = $1 AND q.tenant_id = $2`, []any{requestID, m.TenantID}, &h.Request, &found)
	db.QueueRows(b, &h.Documents, func(row pgx.CollectableRow) (Linked, error) {
		var l Linked
		err := row.Scan(&l.CaseID, &l.Reference, &l.EService, &l.SubmittedAt, &l.Decided)
		return l, err
	}, `SELECT c.id, c.reference, e.title, c.submitted_at,
			(SELECT count(*) FROM disclosure_part p WHERE p.request_id = d.request_id AND p.case_id = c.id)
		FROM disclosure_document d JOIN cases c ON c.id = d.case_id JOIN eservice e ON e.id = c.eservice_id
		JOIN disclosure_request q ON q.id = d.request_id
		WHERE d.request_id = $1 AND q.tenant_id = $2 ORDER BY c.reference`, requestID, m.TenantID)
	queueEvents(b, `e.request_id = $1 AND e.tenant_id = $2 ORDER BY e.at, e.id`, []any{requestID, m.TenantID}, &h.Events)
	queueSettings(b, m.TenantID, &h.Settings)
	db.QueueOptional(b, nil, func(row pgx.Row) error { return row.Scan(&h.DecidedBy) },
		`SELECT decided_by FROM disclosure_answer WHERE request_id = $1 AND tenant_id = $2`, requestID, m.TenantID)
	db.QueueRows(b, &h.EServices, func(row pgx.CollectableRow) (EServiceChoice, error) {
		var e EServiceChoice
		err := row.Scan(&e.ID, &e.Title)
		return e, err
	}, `SELECT id, title FROM eservice WHERE tenant_id = $1 AND current_version_id IS NOT NULL ORDER BY title ->> 'sv', id`, m.TenantID)
	if err := db.Run(ctx, s.db, b); err != nil {
		return Handling{}, err
	}
	if !found {
		return Handling{}, ErrNotFound
	}
	return h, nil
}

// queueEvents queues the reading of events where cond holds (on disclosure_event e).
func queueEvents(b *pgx.Batch, cond string, args []any, out *[]Event) {
	db.QueueRows(b, out, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		err := row.Scan(&e.Kind, &e.StaffName, &e.Detail, &e.At, &e.Reference)
		return e, err
	}, `SELECT e.kind, e.staff_name, e.detail, e.at, q.reference
		FROM disclosure_event e JOIN disclosure_request q ON q.id = e.request_id WHERE `+cond, args...)
}

// Link links a case of the municipality to an open request. Only a case can be linked: a draft
// is not a public document. Linking it again changes nothing.
func (s *Store) Link(ctx context.Context, m staff.Member, requestID, caseID uuid.UUID) error {
	return s.openRequest(ctx, m, requestID, func(tx pgx.Tx) error {
		var ref string
		err := tx.QueryRow(ctx, `SELECT reference FROM cases WHERE id = $1 AND tenant_id = $2`, caseID, m.TenantID).Scan(&ref)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO disclosure_document (request_id, case_id, linked_by) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, requestID, caseID, m.ID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return event(ctx, tx, m.TenantID, requestID, &m, "linked", map[string]any{"case": ref})
	})
}

// Unlink removes a case, and the decisions on its parts, from an open request.
func (s *Store) Unlink(ctx context.Context, m staff.Member, requestID, caseID uuid.UUID) error {
	return s.openRequest(ctx, m, requestID, func(tx pgx.Tx) error {
		var ref string
		err := tx.QueryRow(ctx, `DELETE FROM disclosure_document d USING cases c
			WHERE d.request_id = $1 AND d.case_id = $2 AND c.id = d.case_id RETURNING c.reference`, requestID, caseID).Scan(&ref)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return event(ctx, tx, m.TenantID, requestID, &m, "unlinked", map[string]any{"case": ref})
	})
}

// openRequest runs fn in a transaction once the registrar's request is found open (received),
// holding it locked.
func (s *Store) openRequest(ctx context.Context, m staff.Member, requestID uuid.UUID, fn func(pgx.Tx) error) error {
	if err := registrar(m); err != nil {
		return err
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var state string
		err := tx.QueryRow(ctx, `SELECT state FROM disclosure_request WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, requestID, m.TenantID).Scan(&state)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if state != StateReceived {
			return ErrClosed
		}
		return fn(tx)
	})
}

// LogPage is a page of the municipality's log of requests, newest first.
type LogPage struct {
	Events []Event
	Next   string
}

// Log returns a page of every step of every request of the admin's municipality: received,
// linked, decided per part (each masking with its ground), proposed, approved, released.
func (s *Store) Log(ctx context.Context, admin staff.Member, after string, limit int) (LogPage, error) {
	if !admin.Has(staff.MunicipalityAdmin) {
		return LogPage{}, staff.ErrNotAdmin
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	cond, args := `e.tenant_id = $1`, []any{admin.TenantID, limit + 1}
	if t, id, ok := db.DecodeCursor(after); ok {
		cond += ` AND (e.at, e.id) < ($3, $4)`
		args = append(args, t, id)
	}
	type row struct {
		Event
		id uuid.UUID
	}
	var rows []row
	err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		db.QueueRows(b, &rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.Kind, &x.StaffName, &x.Detail, &x.At, &x.Reference, &x.id)
			return x, err
		}, `SELECT e.kind, e.staff_name, e.detail, e.at, q.reference, e.id
			FROM disclosure_event e JOIN disclosure_request q ON q.id = e.request_id
			WHERE `+cond+` ORDER BY e.at DESC, e.id DESC LIMIT $2`, args...)
	})
	if err != nil {
		return LogPage{}, err
	}
	var p LogPage
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			p.Next = db.EncodeCursor(last.At, last.id)
			break
		}
		p.Events = append(p.Events, r.Event)
	}
	return p, nil
}

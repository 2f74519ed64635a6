package casework

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// Status types of a case: the types of its e-service's statuses.
const (
	StatusSubmitted         = eservice.StatusSubmitted
	StatusInProgress        = eservice.StatusInProgress
	StatusWaitingSupplement = eservice.StatusWaitingSupplement
	StatusClosed            = eservice.StatusClosed
)

// Listed is a case as the citizen's lists show it.
type Listed struct {
	ID           uuid.UUID
	Reference    string
	Title        form.Text
	Municipality string
	SubmittedAt  time.Time
	UpdatedAt    time.Time
	Status       string    // the status's type
	StatusLabel  form.Text // the e-service's name of the status
	LatestEvent  string
	Unread       int // caseworker messages the citizen has not opened
}

// Sort orders of the lists.
const (
	SortNewest    = "newest"
	SortOldest    = "oldest"
	SortReference = "reference"
)

// Sorts lists the sort orders, the default first.
var Sorts = []string{SortNewest, SortOldest, SortReference}

// Page is one page of a list and the cursor of the next, empty on the last page.
type Page struct {
	Cases []Listed
	Next  string
}

// ListQuery asks for one page of an account's cases in every municipality.
type ListQuery struct {
	AccountID uuid.UUID
	Closed    bool   // closed cases, or ongoing ones
	Sort      string // one of Sorts
	After     string // the cursor of the previous page
	Limit     int
}

// ForAccount returns a page of the account's cases, paged by key (never by offset): each page
// starts after the last row of the one before, in the chosen order. Mina ärenden reads it with
// its drafts (CasesPage); alone, it is the main call of that page's baseline in the load
// benchmark.
func (s *Store) ForAccount(ctx context.Context, q ListQuery) (Page, error) {
	var p Page
	return p, db.Read(ctx, s.db, func(b *pgx.Batch) { queueForAccount(b, q, &p) })
}

// queueForAccount queues on b the reading of a page of the account's cases (as ForAccount).
func queueForAccount(b *pgx.Batch, q ListQuery, out *Page) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	// The cursor's keys come as $4 and $5 when there is a cursor; $3 is the page size.
	order, cond := "c.submitted_at DESC, c.id DESC", "(c.submitted_at, c.id) < ($4, $5)"
	switch q.Sort {
	case SortOldest:
		order, cond = "c.submitted_at, c.id", "(c.submitted_at, c.id) > ($4, $5)"
	case SortReference:
		order, cond = "c.reference, c.id", "(c.reference, c.id) > ($4, $5)"
	}
	args := []any{q.AccountID, q.Closed, q.Limit + 1}
	if t, id, ref, err := decodeCursor(q.After); q.After != "" && err == nil {
		if q.Sort == SortReference {
			args = append(args, ref, id)
		} else {
			args = append(args, t, id)
		}
	} else {
		cond = "true"
	}
	b.Queue(`
		SELECT c.id, c.reference, e.title, t.name, c.submitted_at, c.updated_at, c.status,
			coalesce((SELECT es.label FROM eservice_status es WHERE es.eservice_id = c.eservice_id AND es.key = c.status_key), '{}'),
			coalesce((SELECT ev.kind FROM case_event ev WHERE ev.case_id = c.id ORDER BY ev.at DESC LIMIT 1), ''),
			(SELECT count(*) FROM message m WHERE m.case_id = c.id AND m.sender = 'caseworker' AND m.read_at IS NULL)
		FROM cases c JOIN eservice e ON e.id = c.eservice_id JOIN tenant t ON t.id = c.tenant_id
		WHERE c.account_id = $1 AND c.citizen_removed_at IS NULL AND (c.closed_at IS NULL) = NOT $2 AND `+cond+`
		ORDER BY `+order+`
		LIMIT $3`, args...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
			var l Listed
			err := r.Scan(&l.ID, &l.Reference, &l.Title, &l.Municipality, &l.SubmittedAt, &l.UpdatedAt, &l.Status, &l.StatusLabel, &l.LatestEvent, &l.Unread)
			return l, err
		})
		if err != nil {
			return fmt.Errorf("casework: list: %w", err)
		}
		*out = Page{Cases: list}
		if len(list) > q.Limit {
			out.Cases = list[:q.Limit]
			last := out.Cases[q.Limit-1]
			out.Next = encodeCursor(last.SubmittedAt, last.ID, last.Reference)
		}
		return nil
	})
}

// A cursor holds the last row's sort keys: submission time, id and reference.
func encodeCursor(t time.Time, id uuid.UUID, ref string) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(t.UnixMicro()))
	b = append(b, id[:]...)
	b = append(b, ref...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (time.Time, uuid.UUID, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 24 || len(b) > 24+64 {
		return time.Time{}, uuid.Nil, "", errors.New("casework: bad cursor")
	}
	t := time.UnixMicro(int64(binary.BigEndian.Uint64(b)))
	id, _ := uuid.FromBytes(b[8:24])
	ref := string(b[24:])
	if strings.ContainsAny(ref, "\x00") || !utf8.ValidString(ref) {
		return time.Time{}, uuid.Nil, "", errors.New("casework: bad cursor")
	}
	return t, id, ref, nil
}

// Event is one thing that happened to a case.
type Event struct {
	Kind        string
	At          time.Time
	Actor       string // the staff member who did it, by name; "" for the applicant or the system
	ByApplicant bool   // the applicant did it: submitted, supplemented, wrote, booked, rebooked or withdrew
	Status      string // for a status change, the new status's type
	StatusKey   string // and which of the e-service's statuses, when it was chosen
	To          string // for an assignment, to whom ("" to nobody)
	Revision    int    // for a supplement, the revision of the answers it made
	// Start and End are the time of a booking's event (booked, cancelled, rebooked), RFC 3339.
	Start, End string
	Reason     string // for a withdrawal, the applicant's reason, if they gave one
}

// queueEvents queues the reading of the case's timeline, oldest first, into out. A message's
// event names its sender's role as its actor, and a caseworker's name in its data.
func queueEvents(b *pgx.Batch, caseID uuid.UUID, out *[]Event) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.Kind, &e.At, &e.Actor, &e.ByApplicant, &e.Status, &e.StatusKey, &e.To, &e.Revision, &e.Start, &e.End, &e.Reason)
		return e, err
	}, `
		SELECT kind, at, CASE WHEN kind = 'message' THEN coalesce(data ->> 'author', '') ELSE actor END,
			kind IN ('submitted', 'supplemented', 'withdrawn') OR (kind = 'message' AND actor = 'citizen')
				OR (kind IN ('booked', 'booking_cancelled', 'booking_rebooked') AND actor = ''),
			coalesce(data ->> 'status', ''), coalesce(data ->> 'key', ''), coalesce(data ->> 'to', ''),
			coalesce((data ->> 'revision')::int, 0), coalesce(data ->> 'start', ''), coalesce(data ->> 'end', ''),
			coalesce(data ->> 'reason', '')
		FROM case_event WHERE case_id = $1 ORDER BY at, id`, caseID)
}

// File is a file of a case.
type File struct {
	ID          uuid.UUID
	Name        string
	ContentType string
	Size        int64
	MessageID   *uuid.UUID // set for a message's attachment
}

// queueFiles queues the reading of the case's files into out: those of the form and of its
// messages.
func queueFiles(b *pgx.Batch, caseID uuid.UUID, out *[]File) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (File, error) {
		var f File
		err := r.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.MessageID)
		return f, err
	}, `SELECT id, filename, content_type, size, message_id FROM upload WHERE case_id = $1 ORDER BY created_at, id`, caseID)
}

// fileContent is a file with its content and its scan's verdict, as a download reads it.
type fileContent struct {
	File
	data  []byte
	scan  string
	found bool
}

// queueFileContent queues on b the reading of the file u of the case c where cond holds (with
// args) into out.
func queueFileContent(b *pgx.Batch, cond string, args []any, out *fileContent) {
	db.QueueOptional(b, &out.found, func(row pgx.Row) error {
		return row.Scan(&out.ID, &out.Name, &out.ContentType, &out.Size, &out.MessageID, &out.data, &out.scan)
	}, `SELECT u.id, u.filename, u.content_type, u.size, u.message_id, u.data, u.scan
		FROM upload u JOIN cases c ON c.id = u.case_id WHERE `+cond, args...)
}

// served is the file and its content, when it was found and may be served.
func (f fileContent) served() (File, []byte, error) {
	if !f.found {
		return File{}, nil, ErrNotFound
	}
	if err := virusscan.Servable(f.scan); err != nil {
		return File{}, nil, err
	}
	return f.File, f.data, nil
}

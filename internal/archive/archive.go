// Package archive makes archive packages of closed cases for the municipality's records system
// (e-arkiv), in the spirit of the Swedish FGS Ärendehantering and E-ARK SIP: a ZIP whose root
// folder is named by the case's reference, with
//
//	METS.xml                                the manifest: every other file with its size, type and SHA-256
//	metadata/descriptive/case.xml           the case: reference, e-service, applicant, dates, status,
//	                                        decision, its events and its messages
//	representations/rep1/data/answers.xml   the answers as submitted (the latest revision)
//	representations/rep1/data/receipt.pdf   the same answers as the citizen's receipt (internal/receipt)
//	representations/rep1/data/files/…       the files of the form, as uploaded
//	representations/rep1/data/messages/…    the messages' attachments, as uploaded
//
// A caseworker (or an API client) asks for a package of a closed case it may see (Request); a
// River job makes it (Builder) and keeps it in archive_export, and the case's history records the
// export. Fetching it (Package) is an audited read of the whole case, and the first fetch marks
// the export delivered: ExportedAt is what a retention rule "removed once exported to the records
// system" relies on.
//
// It is not a validated FGS or E-ARK package (there is no schema check of either here); the XML
// of the case and the answers has a namespace of its own, urn:minasidor:archive:1.
package archive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Export states.
const (
	StatePending = "pending" // the job has not made the package yet
	StateDone    = "done"    // the package is ready
	StateFailed  = "failed"  // the job gave up; Error says why
)

// Export is one archive package of a case, asked for, made or failed.
type Export struct {
	ID          uuid.UUID
	TenantID    uuid.UUID
	CaseID      uuid.UUID
	Reference   string
	EService    string // the e-service's title in Swedish
	RequestedBy string
	RequestedAt time.Time
	State       string
	DoneAt      *time.Time
	Error       string
	Size        int64
	SHA256      []byte     // of the whole package, once done
	DeliveredAt *time.Time // the first fetch of the package
	DeliveredTo string     // who fetched it first
}

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrOpen is an export of a case that is not closed.
	ErrOpen = apperr.New(apperr.Conflict, "archive.error.open")
	// ErrNotReady is a fetch of a package that is not made (yet).
	ErrNotReady = apperr.New(apperr.Conflict, "archive.error.notready")
)

// Store asks for, lists and hands out archive packages.
type Store struct{ db db.Querier }

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store { return &Store{db: q} }

const columns = `x.id, x.tenant_id, x.case_id, c.reference, e.title ->> 'sv', x.requested_by, x.requested_at, x.state, x.done_at,
	x.error, coalesce(x.size, 0), x.sha256, x.delivered_at, x.delivered_to`

const from = `archive_export x JOIN cases c ON c.id = x.case_id JOIN eservice e ON e.id = c.eservice_id`

func scan(r pgx.Row, x *Export) error {
	return r.Scan(&x.ID, &x.TenantID, &x.CaseID, &x.Reference, &x.EService, &x.RequestedBy, &x.RequestedAt, &x.State, &x.DoneAt,
		&x.Error, &x.Size, &x.SHA256, &x.DeliveredAt, &x.DeliveredTo)
}

// Request asks for an archive package of a closed case that the member (a caseworker, or an API
// client) may see, in one transaction: the export's row and the job that makes it. While a
// package of the case is being made, asking again returns that export.
func (s *Store) Request(ctx context.Context, m staff.Member, caseID uuid.UUID) (Export, error) {
	var x Export
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := casework.MayHandle(ctx, tx, m, caseID); err != nil {
			return err
		}
		var closed bool
		// The case's row is the lock that makes a second request (a double click) wait, then find the first.
		if err := tx.QueryRow(ctx, `SELECT closed_at IS NOT NULL FROM cases WHERE id = $1 FOR UPDATE`, caseID).Scan(&closed); err != nil {
			return fmt.Errorf("archive: case %s: %w", caseID, err)
		}
		if !closed {
			return ErrOpen
		}
		err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE x.case_id = $1 AND x.state = 'pending'`, caseID), &x)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("archive: request: %w", err)
		}
		var id uuid.UUID
		if err := tx.QueryRow(ctx, `INSERT INTO archive_export (tenant_id, case_id, requested_by) SELECT tenant_id, id, $2 FROM cases WHERE id = $1 RETURNING id`,
			caseID, m.Name).Scan(&id); err != nil {
			return fmt.Errorf("archive: request: %w", err)
		}
		if err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE x.id = $1`, id), &x); err != nil {
			return fmt.Errorf("archive: request: %w", err)
		}
		client, err := inserter()
		if err != nil {
			return err
		}
		if _, err := client.InsertTx(ctx, tx, BuildArgs{ExportID: id}, nil); err != nil {
			return fmt.Errorf("archive: enqueue: %w", err)
		}
		return nil
	})
	return x, err
}

// Get returns an export of a case the member may see, without its package.
func (s *Store) Get(ctx context.Context, m staff.Member, id uuid.UUID) (Export, error) {
	var x Export
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE x.id = $1 AND x.tenant_id = $2`, id, m.TenantID), &x)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("archive: export %s: %w", id, err)
		}
		return casework.MayHandle(ctx, tx, m, x.CaseID)
	})
	return x, err
}

// Package hands out the package of a made export of a case the member may see. It is a read of
// the whole case, recorded in the audit log, and the first one marks the export delivered — all
// in one transaction.
func (s *Store) Package(ctx context.Context, m staff.Member, id uuid.UUID) (Export, []byte, error) {
	var x Export
	var pkg []byte
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM `+from+` WHERE x.id = $1 AND x.tenant_id = $2 FOR UPDATE OF x`, id, m.TenantID), &x)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("archive: export %s: %w", id, err)
		}
		if err := casework.MayHandle(ctx, tx, m, x.CaseID); err != nil {
			return err
		}
		if x.State != StateDone {
			return ErrNotReady
		}
		if err := tx.QueryRow(ctx, `
			UPDATE archive_export SET delivered_at = coalesce(delivered_at, now()),
				delivered_to = CASE WHEN delivered_at IS NULL THEN $2 ELSE delivered_to END
			WHERE id = $1 RETURNING package, delivered_at, delivered_to`, id, m.Name).Scan(&pkg, &x.DeliveredAt, &x.DeliveredTo); err != nil {
			return fmt.Errorf("archive: deliver %s: %w", id, err)
		}
		return audit.Write(ctx, tx, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
			Role: staff.Caseworker, CaseID: x.CaseID, What: audit.Archive, Detail: id.String()})
	})
	if err != nil {
		return Export{}, nil, err
	}
	return x, pkg, nil
}

// Page is one page of exports, newest first.
type Page struct {
	Exports []Export
	Next    string // the cursor of the next page; "" on the last
}

// List returns a page of the exports of the cases the member may see, newest first, paged by key.
func (s *Store) List(ctx context.Context, m staff.Member, after string, limit int) (Page, error) {
	if !m.Has(staff.Caseworker) {
		return Page{}, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	sees, args := casework.Sees(m, 1)
	args = append(args, limit+1)
	cursor := ""
	if t, id, ok := db.DecodeCursor(after); ok {
		args = append(args, t, id)
		cursor = `AND (x.requested_at, x.id) < ($6, $7)`
	}
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM `+from+`
		WHERE x.tenant_id = $2 AND `+sees+` `+cursor+`
		ORDER BY x.requested_at DESC, x.id DESC LIMIT $5`, args...)
	if err != nil {
		return Page{}, fmt.Errorf("archive: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Export, error) {
		var x Export
		err := scan(r, &x)
		return x, err
	})
	if err != nil {
		return Page{}, fmt.Errorf("archive: list: %w", err)
	}
	p := Page{Exports: list}
	if len(list) > limit {
		p.Exports = list[:limit]
		last := p.Exports[limit-1]
		p.Next = db.EncodeCursor(last.RequestedAt, last.ID)
	}
	return p, nil
}

// RequestByReference is Request for the case of the member's municipality with the reference
// (as people write it); a reference that names no case the member may see is ErrNotFound.
func (s *Store) RequestByReference(ctx context.Context, m staff.Member, reference string) (Export, error) {
	var id uuid.UUID
	err := s.db.QueryRow(ctx, `SELECT id FROM cases WHERE tenant_id = $1 AND reference = $2`,
		m.TenantID, strings.ToUpper(strings.TrimSpace(reference))).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Export{}, ErrNotFound
	}
	if err != nil {
		return Export{}, fmt.Errorf("archive: case %s: %w", reference, err)
	}
	return s.Request(ctx, m, id)
}

// DeliveredSQL is the SQL condition that the case aliased c has been exported to the records
// system: a package of it was made and fetched. Retention's "removed once exported" rule reads it.
const DeliveredSQL = `EXISTS (SELECT 1 FROM archive_export x WHERE x.case_id = c.id AND x.state = 'done' AND x.delivered_at IS NOT NULL)`

// FirstDeliveredSQL is the SQL expression of when the case aliased c was first exported to the
// records system (ExportedAt as a column), NULL while it has not been.
const FirstDeliveredSQL = `(SELECT min(x.delivered_at) FROM archive_export x WHERE x.case_id = c.id AND x.state = 'done')`

// ExportedAt returns when the case was first exported to the records system: when a package of
// it was first fetched (through the API or a caseworker's download). ok is false while no package
// of it has been fetched.
func ExportedAt(ctx context.Context, q db.Querier, caseID uuid.UUID) (at time.Time, ok bool, err error) {
	var t *time.Time
	err = q.QueryRow(ctx, `SELECT min(delivered_at) FROM archive_export WHERE case_id = $1 AND state = 'done'`, caseID).Scan(&t)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("archive: exported: %w", err)
	}
	if t == nil {
		return time.Time{}, false, nil
	}
	return *t, true, nil
}

// inserter is a River client that only inserts jobs in the caller's transaction; the server's
// River client, which has the export worker (Builder.AddWorker), works them.
var inserter = sync.OnceValues(func() (*river.Client[pgx.Tx], error) {
	c, err := river.NewClient(riverpgxv5.New(nil), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("archive: job client: %w", err)
	}
	return c, nil
})

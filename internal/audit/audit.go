// Package audit records every read by staff of a case or of personal data, and answers who has
// read a case. Records are append-only: the database refuses to change them, but for removing the
// client's address after its time, and to delete one before the municipality's audit retention
// has passed (migrations/00012_audit.sql and 00030_retention.sql); package retention does both.
// Status changes, assignments, notes and messages are not audit records but events in the case's
// history.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
)

// What was read.
const (
	Case     = "case"     // the case page
	File     = "file"     // one file of the case; Detail is the file's id
	Messages = "messages" // the case's messages
	Answers  = "answers"  // the answers as submitted
	Receipt  = "receipt"  // the case's receipt (PDF)
	Archive  = "archive"  // the case's archive package (internal/archive); Detail is the export's id
	Queue    = "queue"    // a list of cases of the municipality; no CaseID
	Search   = "search"   // a search among cases; no CaseID, and never the search terms
	Bookings = "bookings" // a resource's calendar with its bookers; no CaseID; Detail is the resource's id
)

// Whats lists every value of What.
var Whats = []string{Case, File, Messages, Answers, Receipt, Queue, Search, Bookings, Archive}

// caseless are the values of What that need no case: lists.
var caseless = []string{Queue, Search, Bookings}

// maxDetail bounds Detail: an identifier, not a text.
const maxDetail = 200

// ErrInvalidRecord is returned by Write for a record it refuses: an unknown What, a missing
// tenant, staff member or role, a case read without its case, or a staff member or case of another
// municipality. It is a fault of the calling code, not of the user, and so of kind internal.
var ErrInvalidRecord = errors.New("audit: invalid record")

// Record is one read by a staff member, or by an API client of a case system (internal/apiclient),
// which reads as staff do and is recorded under its own name.
type Record struct {
	ID        uuid.UUID // set by Write's database; read by ForCase
	TenantID  uuid.UUID
	StaffID   uuid.UUID // the staff member's id, or the API client's: Write finds which it is
	StaffName string    // as at the time of the read; empty takes the staff member's current name
	StaffUnit string    // as at the time of the read; empty takes the staff member's current unit
	Role      string    // the role the staff member read in, e.g. caseworker
	CaseID    uuid.UUID // uuid.Nil for none (Queue, Search)
	What      string
	Detail    string    // which part, e.g. a file id; never personal data
	At        time.Time // set by the database at Write; read by ForCase
	// ClientAddr is the address of the staff member's client, kept for the configured time (the
	// retention job then removes it). Write takes it from the context (WithClientAddr) when unset.
	ClientAddr netip.Addr
}

type clientAddrKey struct{}

// WithClientAddr returns ctx carrying the address of the request's client, for the audit records
// written while it is served.
func WithClientAddr(ctx context.Context, addr netip.Addr) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddrFrom returns the client's address that ctx carries, or the zero Addr.
func ClientAddrFrom(ctx context.Context) netip.Addr {
	a, _ := ctx.Value(clientAddrKey{}).(netip.Addr)
	return a
}

// Write appends a record. The staff member and the case must belong to the record's
// municipality; the name and unit are copied into the record, so that a later rename does not
// change it.
func Write(ctx context.Context, q db.Querier, r Record) error {
	if err := r.validate(); err != nil {
		return err
	}
	if !r.ClientAddr.IsValid() {
		r.ClientAddr = ClientAddrFrom(ctx)
	}
	tag, err := q.Exec(ctx, writeSQLWith(9), append(r.args(), r.addr())...)
	if err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("%w: staff member %s or case %s is not of municipality %s", ErrInvalidRecord, r.StaffID, r.CaseID, r.TenantID)
	}
	return nil
}

// writeSQLWith writes a record whose reader and case are of its municipality, with the client's
// address as parameter $addr. The reader ($2) is a staff member or an API client.
func writeSQLWith(addr int) string {
	return `
	INSERT INTO audit_record (tenant_id, staff_id, api_client_id, staff_name, staff_unit, role, case_id, what, detail, client_addr)
	SELECT s.tenant_id, s.staff_id, s.client_id, coalesce(nullif($3, ''), s.name), coalesce(nullif($4, ''), s.unit), $5, $6, $7, $8, $` + strconv.Itoa(addr) + `::inet
	FROM (SELECT id AS staff_id, NULL::uuid AS client_id, tenant_id, name, unit FROM staff WHERE id = $2
		UNION ALL SELECT NULL, id, tenant_id, name, '' FROM api_client WHERE id = $2) s
	WHERE s.tenant_id = $1
		AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = $6 AND c.tenant_id = $1))`
}

// addr is the record's client address as a parameter: NULL when unknown.
func (r Record) addr() any {
	if !r.ClientAddr.IsValid() {
		return nil
	}
	return r.ClientAddr
}

func (r Record) args() []any {
	var caseID *uuid.UUID
	if r.CaseID != uuid.Nil {
		caseID = &r.CaseID
	}
	return []any{r.TenantID, r.StaffID, r.StaffName, r.StaffUnit, r.Role, caseID, r.What, r.Detail}
}

func (r Record) validate() error {
	switch {
	case !slices.Contains(Whats, r.What):
		return fmt.Errorf("%w: unknown what %q", ErrInvalidRecord, r.What)
	case r.TenantID == uuid.Nil:
		return fmt.Errorf("%w: no municipality", ErrInvalidRecord)
	case r.StaffID == uuid.Nil:
		return fmt.Errorf("%w: no staff member", ErrInvalidRecord)
	case r.Role == "":
		return fmt.Errorf("%w: no role", ErrInvalidRecord)
	case r.CaseID == uuid.Nil && !slices.Contains(caseless, r.What):
		return fmt.Errorf("%w: a read of %q names its case", ErrInvalidRecord, r.What)
	case len(r.Detail) > maxDetail:
		return fmt.Errorf("%w: detail of %d bytes", ErrInvalidRecord, len(r.Detail))
	}
	return nil
}

// Reader is a staff member who read a case on one day, as the citizen sees it.
type Reader struct {
	Name string
	Unit string
	At   time.Time // the latest read of that day
}

// ReadersOfCase returns who has read the case: one line per staff member and day (in
// Europe/Stockholm), with the latest time of that day, newest first. The name and unit are those
// of the latest read of that day.
func ReadersOfCase(ctx context.Context, q db.Querier, caseID uuid.UUID) ([]Reader, error) {
	var out []Reader
	return out, db.Read(ctx, q, func(b *pgx.Batch) { QueueReadersOfCase(b, caseID, &out) })
}

// QueueReadersOfCase queues on b the reading of ReadersOfCase into out.
func QueueReadersOfCase(b *pgx.Batch, caseID uuid.UUID, out *[]Reader) {
	db.QueueRows(b, out, func(row pgx.CollectableRow) (Reader, error) {
		var r Reader
		err := row.Scan(&r.Name, &r.Unit, &r.At)
		return r, err
	}, `
		SELECT staff_name, staff_unit, at FROM (
			SELECT DISTINCT ON (reader, (at AT TIME ZONE 'Europe/Stockholm')::date)
				coalesce(staff_id, api_client_id) AS reader, staff_name, staff_unit, at
			FROM audit_record
			WHERE case_id = $1
			ORDER BY reader, (at AT TIME ZONE 'Europe/Stockholm')::date, at DESC, id
		) latest
		ORDER BY at DESC, staff_name, reader`, caseID)
}

// QueueWrite queues on b the writing of r when the SQL condition holds (with the record's
// parameters $1–$8 as Write's, and args from $9 on: for example that the staff member may see
// the case). The record is then written in the batch's transaction, with its reads. Set
// r.ClientAddr from the request's context (ClientAddrFrom).
func QueueWrite(b *pgx.Batch, r Record, condition string, args ...any) {
	params := append(r.args(), args...)
	b.Queue(writeSQLWith(len(params)+1)+` AND `+condition, append(params, r.addr())...)
}

// ForCaseLimit is the most records ForCase returns.
const ForCaseLimit = 500

// ForCase returns the records of the case for staff and admin views: newest first, at most
// ForCaseLimit.
func ForCase(ctx context.Context, q db.Querier, caseID uuid.UUID) ([]Record, error) {
	rows, err := q.Query(ctx, `
		SELECT id, tenant_id, coalesce(staff_id, api_client_id), staff_name, staff_unit, role, case_id, what, detail, at
		FROM audit_record
		WHERE case_id = $1
		ORDER BY at DESC, id DESC
		LIMIT $2`, caseID, ForCaseLimit)
	if err != nil {
		return nil, fmt.Errorf("audit: records of case: %w", err)
	}
	records, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) {
		var r Record
		err := row.Scan(&r.ID, &r.TenantID, &r.StaffID, &r.StaffName, &r.StaffUnit, &r.Role, &r.CaseID, &r.What, &r.Detail, &r.At)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit: records of case: %w", err)
	}
	return records, nil
}

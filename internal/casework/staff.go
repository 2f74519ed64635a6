package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// A caseworker's use of a case is one call, in one transaction: the check that they may see it,
// the read or the change, and the audit record of a read. No caller can read a case as staff
// without the record, nor change one it may not see.

// A caseworker sees a case when it is of their municipality, of an e-service they handle (in
// person or through a group), and, for a restricted caseworker, assigned to them.
// caseworkerSeesAt is that condition with the staff member's parameters from $n on: $n their id,
// $n+1 their municipality, $n+2 their groups, $n+3 whether they are restricted (seesArgs). The
// restriction is in the text as well as in $n+3, so that a prepared statement's plan, made once
// for any parameters, is the right one for the cases of one assignee or of a whole municipality.
func caseworkerSeesAt(n int, restricted bool) string {
	assigned := `NOT $%[4]d::boolean`
	if restricted {
		assigned = `$%[4]d::boolean AND c.assigned_to = $%[1]d`
	}
	return fmt.Sprintf(`c.tenant_id = $%[2]d
	AND EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = c.eservice_id AND (h.staff_id = $%[1]d OR h.group_name = ANY ($%[3]d)))
	AND `+assigned, n, n+1, n+2, n+3)
}

// seesAt is the condition that the member sees case c, with the member's parameters from $n on
// (seesArgs): caseworkerSeesAt for staff, while an API client of a case system sees every case of
// its municipality as long as it is not revoked. (Every parameter is used, so that each has a type.)
func seesAt(m staff.Member, n int) string {
	if !m.APIClient {
		return caseworkerSeesAt(n, m.Restricted)
	}
	return fmt.Sprintf(`c.tenant_id = $%[2]d
	AND EXISTS (SELECT 1 FROM api_client k WHERE k.id = $%[1]d AND k.tenant_id = $%[2]d AND k.revoked_at IS NULL)
	AND $%[3]d::text[] IS NOT NULL AND NOT $%[4]d::boolean`, n, n+1, n+2, n+3)
}

func seesArgs(m staff.Member) []any {
	groups := m.Groups
	if groups == nil {
		groups = []string{}
	}
	return []any{m.ID, m.TenantID, groups, m.Restricted}
}

// mayHandle checks in q that the caseworker may see the case; anything else is not found, so
// that nobody learns that a case exists. Drafts are never cases, so never seen.
func mayHandle(ctx context.Context, q db.Querier, m staff.Member, caseID uuid.UUID) error {
	if !m.Has(staff.Caseworker) {
		return ErrNotFound
	}
	var ok bool
	err := q.QueryRow(ctx, `SELECT true FROM cases c WHERE c.id = $5 AND `+seesAt(m, 1), append(seesArgs(m), caseID)...).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("casework: access: %w", err)
	}
	return nil
}

// asCaseworker runs fn in a transaction once the caseworker may see the case.
func (s *Store) asCaseworker(ctx context.Context, m staff.Member, caseID uuid.UUID, fn func(pgx.Tx) error) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := mayHandle(ctx, tx, m, caseID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// record writes the audit record of a caseworker's read, in tx.
func record(ctx context.Context, tx pgx.Tx, m staff.Member, caseID uuid.UUID, what, detail string) error {
	return audit.Write(ctx, tx, audit.Record{
		TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Caseworker, CaseID: caseID, What: what, Detail: detail,
	})
}

// FileAsCaseworker returns a file of the case to a caseworker who may see the case, and records
// the read in the audit log, in the one transaction of one round trip. A file the caseworker may
// not see is not found, and one that may not be served (virusscan.Servable) is refused; neither
// read is recorded.
func (s *Store) FileAsCaseworker(ctx context.Context, m staff.Member, caseID, fileID uuid.UUID) (File, []byte, error) {
	if !m.Has(staff.Caseworker) {
		return File{}, nil, ErrNotFound
	}
	var f fileContent
	b := &pgx.Batch{}
	queueFileContent(b, `u.id = $6 AND c.id = $5 AND `+seesAt(m, 1), append(seesArgs(m), caseID, fileID), &f)
	// The record only when the caseworker may see the case and the file is served ($6 is the
	// case's id in the record's parameters).
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Caseworker, CaseID: caseID, What: audit.File, Detail: fileID.String(), ClientAddr: audit.ClientAddrFrom(ctx)},
		`EXISTS (SELECT 1 FROM upload u JOIN cases c ON c.id = u.case_id WHERE u.id = $9 AND c.id = $6 AND u.scan = $10 AND `+seesAt(m, 11)+`)`,
		append([]any{fileID, virusscan.ScanClean}, seesArgs(m)...)...)
	if err := db.Run(ctx, s.db, b); err != nil {
		return File{}, nil, fmt.Errorf("casework: file: %w", err)
	}
	return f.served()
}

// SendMessage sends the caseworker's message to the citizen, who gets a notice.
func (s *Store) SendMessage(ctx context.Context, m staff.Member, caseID uuid.UUID, text string) error {
	return s.asCaseworker(ctx, m, caseID, func(tx pgx.Tx) error {
		c, err := message.Lock(ctx, tx, caseID)
		if err != nil {
			return err
		}
		_, err = message.SendOnLocked(ctx, tx, s.notices, c, m.Name, text)
		return err
	})
}

// Workload is a page of the caseworker's queue: the cases of a tab or of a search, and for the
// filters the e-services they handle with those e-services' statuses.
type Workload struct {
	Page     QueuePage
	Handled  []HandledEService
	Statuses []eservice.StatusOption
}

// Workload reads a page of the caseworker's queue (of a search, when search is not empty, never
// recording its terms), with its filters, and records the read in the audit log: in one round
// trip, whose one transaction holds the reads and the record (a search of a name of several
// words looks the name up among the accounts first, in one more).
func (s *Store) Workload(ctx context.Context, q QueueQuery, search string) (Workload, error) {
	var w Workload
	m := q.Member
	b := &pgx.Batch{}
	b.Queue(db.PlanOnce)
	what, detail := audit.Queue, q.Tab
	if search != "" {
		terms := parseSearch(search)
		if err := s.findHolders(ctx, m, &terms); err != nil {
			return w, err
		}
		queueSearch(b, m, terms, q.After, q.Limit, &w.Page)
		what, detail = audit.Search, ""
	} else {
		queueQueue(b, q, &w.Page)
	}
	queueHandled(b, m, &w.Handled)
	eservice.QueueStatusesHandledBy(b, m.ID, m.TenantID, seesArgs(m)[2], &w.Statuses)
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Caseworker, What: what, Detail: detail, ClientAddr: audit.ClientAddrFrom(ctx)}, "true")
	return w, db.Run(ctx, s.db, b)
}

// Queue returns a page of the caseworker's queue, newest first, paged by key, and records the
// view in the audit log in the same transaction.
func (s *Store) Queue(ctx context.Context, q QueueQuery) (QueuePage, error) {
	w, err := s.Workload(ctx, q, "")
	return w.Page, err
}

// Search finds the cases the caseworker may see by reference, personal number, name or words in
// the answers, and records that a search was made (never its terms) in the same transaction.
func (s *Store) Search(ctx context.Context, m staff.Member, query string, after string, limit int) (QueuePage, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return QueuePage{}, nil
	}
	w, err := s.Workload(ctx, QueueQuery{Member: m, After: after, Limit: limit}, query)
	return w.Page, err
}

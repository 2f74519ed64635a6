package casework

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
)

// What the archive package of a case (internal/archive) needs of casework: the access rule, and
// a read of the whole case for the export job.

// MayHandle checks in q that the member may see the case, as every caseworker's use of a case
// does; a case they may not see is ErrNotFound.
func MayHandle(ctx context.Context, q db.Querier, m staff.Member, caseID uuid.UUID) error {
	return mayHandle(ctx, q, m, caseID)
}

// Sees returns the SQL condition that the member sees the case aliased c, with the member's
// parameters numbered from $n on, and those parameters: for lists of things that belong to the
// cases a caseworker may see.
func Sees(m staff.Member, n int) (string, []any) {
	return seesAt(m, n), seesArgs(m)
}

// Record is a case as its archive package keeps it: the dossier, the applicant, every supplement
// request and the number of revisions of the answers.
type Record struct {
	Dossier
	Applicant *account.Account // nil for an anonymous case or one without an account
	Requests  []SupplementRequest
	Revisions int
}

// ForArchive reads the whole case for its archive package, in one round trip. It is the export
// job's read, made for the staff member or API client who asked for the package: their request
// was checked and recorded then (archive.Store.Request), so this read records nothing.
func (s *Store) ForArchive(ctx context.Context, caseID uuid.UUID) (Record, error) {
	var r Record
	found := false
	b := &pgx.Batch{}
	queueCase(b, `c.id = $1`, []any{caseID}, &r.Case, &found)
	queueDossier(b, caseID, &r.Dossier)
	var applicant []account.Account
	account.QueueOfCase(b, caseID, &applicant)
	db.QueueRows(b, &r.Requests, func(row pgx.CollectableRow) (SupplementRequest, error) {
		var q SupplementRequest
		err := row.Scan(&q.ID, &q.Request, &q.RequestedBy, &q.RequestedAt, &q.AnsweredAt)
		return q, err
	}, `SELECT id, request, requested_by, requested_at, answered_at FROM supplement_request WHERE case_id = $1 ORDER BY requested_at, id`, caseID)
	b.Queue(`SELECT count(*) FROM case_answers WHERE case_id = $1`, caseID).QueryRow(func(row pgx.Row) error { return row.Scan(&r.Revisions) })
	if err := db.Run(ctx, s.db, b); err != nil {
		return Record{}, err
	}
	if !found {
		return Record{}, ErrNotFound
	}
	if len(applicant) == 1 && !r.Case.Anonymous {
		r.Applicant = &applicant[0]
	}
	return r, nil
}

// EachFile calls fn with every file of the case (the form's and the messages'), oldest first,
// with the SHA-256 stored when it was uploaded and its content, one file in memory at a time.
func (s *Store) EachFile(ctx context.Context, caseID uuid.UUID, fn func(f File, sha256, data []byte) error) error {
	var ids []uuid.UUID
	rows, err := s.db.Query(ctx, `SELECT id FROM upload WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	if err != nil {
		return fmt.Errorf("casework: files: %w", err)
	}
	if ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil {
		return fmt.Errorf("casework: files: %w", err)
	}
	for _, id := range ids {
		var f File
		var sum, data []byte
		err := s.db.QueryRow(ctx, `SELECT id, filename, content_type, size, message_id, sha256, data FROM upload WHERE id = $1`, id).
			Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.MessageID, &sum, &data)
		if err != nil {
			return fmt.Errorf("casework: file %s: %w", id, err)
		}
		if err := fn(f, sum, data); err != nil {
			return err
		}
	}
	return nil
}

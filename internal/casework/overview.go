package casework

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
)

// Overview is what Mina sidor shows of an account: its saved drafts and how many cases it has.
type Overview struct {
	Counts Counts
	Drafts []draft.Listed
}

// Overview reads the account's overview in one round trip, with what more queues on the same
// batch (what other packages show on Mina sidor, such as the drafts to sign), and its drafts in
// one more when it has some (draft.Listing).
func (s *Store) Overview(ctx context.Context, accountID uuid.UUID, more ...func(*pgx.Batch)) (Overview, error) {
	var o Overview
	b := &pgx.Batch{}
	var drafts draft.Listing
	queueCounts(b, accountID, &o.Counts, &drafts)
	for _, queue := range more {
		queue(b)
	}
	if err := db.Run(ctx, s.db, b); err != nil {
		return o, err
	}
	var err error
	o.Drafts, err = drafts.Read(ctx, s.db)
	return o, err
}

// Counts are how many cases an account has in each list, and how many of the caseworkers'
// messages it has not read.
type Counts struct{ Ongoing, Closed, Unread int }

// queueCounts queues the reading of the account's counts into c, and in the same statement whether
// the account has drafts into drafts. The lists' numbers come from the account's index alone.
func queueCounts(b *pgx.Batch, accountID uuid.UUID, c *Counts, drafts *draft.Listing) {
	*drafts = draft.Listing{AccountID: accountID}
	b.Queue(`
		SELECT count(*) FILTER (WHERE c.closed_at IS NULL), count(*) FILTER (WHERE c.closed_at IS NOT NULL),
			coalesce(sum((SELECT count(*) FROM message m WHERE m.case_id = c.id AND m.sender = 'caseworker' AND m.read_at IS NULL)), 0),
			`+draft.HasSome+`
		FROM cases c WHERE c.account_id = $1 AND c.citizen_removed_at IS NULL`, accountID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&c.Ongoing, &c.Closed, &c.Unread, &drafts.Some)
	})
}

// CasesPage is what Mina ärenden shows: a page of the account's cases, and its drafts.
type CasesPage struct {
	Page
	Drafts []draft.Listed
}

// CasesPage reads a page of Mina ärenden in one round trip, and the account's drafts in one more
// when it has some (draft.Listing).
func (s *Store) CasesPage(ctx context.Context, q ListQuery) (CasesPage, error) {
	var p CasesPage
	b := &pgx.Batch{}
	queueForAccount(b, q, &p.Page)
	drafts := draft.Listing{AccountID: q.AccountID}
	drafts.Queue(b)
	if err := db.Run(ctx, s.db, b); err != nil {
		return p, err
	}
	var err error
	p.Drafts, err = drafts.Read(ctx, s.db)
	return p, err
}

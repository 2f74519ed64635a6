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
	queueCounts(b, accountID, &o.Counts, true, &drafts)
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

// CasesPage is what Mina ärenden shows: a page of the account's cases, its counts and drafts.
type CasesPage struct {
	Page
	Counts Counts
	Drafts []draft.Listed
}

// CasesPage reads a page of Mina ärenden in one round trip, and the account's drafts in one more
// when it has some (draft.Listing).
func (s *Store) CasesPage(ctx context.Context, q ListQuery) (CasesPage, error) {
	var p CasesPage
	b := &pgx.Batch{}
	queueForAccount(b, q, &p.Page)
	var drafts draft.Listing
	queueCounts(b, q.AccountID, &p.Counts, false, &drafts)
	if err := db.Run(ctx, s.db, b); err != nil {
		return p, err
	}
	var err error
	p.Drafts, err = drafts.Read(ctx, s.db)
	return p, err
}

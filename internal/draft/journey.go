package draft

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
)

// Journey is a draft with what its step, review and submit pages need: its e-service, the
// version it is filled in on and, for a supplement, the reference of the case it supplements.
type Journey struct {
	Draft    Draft
	EService eservice.EService
	Version  eservice.Version
	CaseRef  string
}

// Journey reads the owner's draft with its e-service, version and case reference, in one round
// trip. Anyone else's draft is not found.
func (s *Store) Journey(ctx context.Context, id uuid.UUID, owner Owner) (Journey, error) {
	var j Journey
	b := &pgx.Batch{}
	QueueGet(b, id, owner, &j.Draft)
	eservice.QueueOfDraft(b, id, &j.EService)
	eservice.QueueVersionOfDraft(b, id, &j.Version)
	b.Queue(`SELECT reference FROM cases WHERE id = (SELECT case_id FROM draft WHERE id = $1)`, id).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			if err := rows.Scan(&j.CaseRef); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err := db.Run(ctx, s.db, b); err != nil {
		return Journey{}, err
	}
	return j, nil
}

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
	// Signing: the draft has signatures, or is out for signing (package signing): a change may
	// void them, which its step pages warn of.
	Signing bool
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
	b.Queue(`SELECT EXISTS (SELECT 1 FROM signing g WHERE g.draft_id = $1 AND (g.state = 'sent'
		OR EXISTS (SELECT 1 FROM signing_party p JOIN signature s ON s.party_id = p.id WHERE p.signing_id = g.id)))`, id).
		QueryRow(func(row pgx.Row) error { return row.Scan(&j.Signing) })
	if err := db.Run(ctx, s.db, b); err != nil {
		return Journey{}, err
	}
	// Each statement of the batch reads its own snapshot: a draft submitted (and so deleted)
	// between the first and the others is found without its e-service or version. It is gone.
	if j.EService.ID == uuid.Nil || j.Version.Definition == nil {
		return Journey{}, ErrNotFound
	}
	return j, nil
}

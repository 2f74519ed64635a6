package draft

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
)

// Review reads what the review of the draft d shows beside its answers, in one round trip: its
// files, and the signing rule of its e-service (whether it is signed before it is sent).
func (s *Store) Review(ctx context.Context, d Draft) ([]File, eservice.SigningRule, error) {
	var files []File
	var rule eservice.SigningRule
	err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueFiles(b, d.ID, &files)
		eservice.QueueSigningOfDraft(b, d.ID, &rule)
	})
	if err != nil {
		return nil, rule, fmt.Errorf("draft: review: %w", err)
	}
	return files, rule, nil
}

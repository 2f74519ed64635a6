package tenant

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/audit"
)

// History returns the latest administrative changes of the municipality (its settings, staff and
// operating messages), newest first, at most limit.
func (s *Store) History(ctx context.Context, tenantID uuid.UUID, limit int) ([]audit.Change, error) {
	return audit.ChangesOfMunicipality(ctx, s.db, tenantID, limit)
}

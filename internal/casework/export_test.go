package casework

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// NamedAccounts is namedAccounts for a query as the search box sends it.
func (s *Store) NamedAccounts(ctx context.Context, m staff.Member, query string) ([]uuid.UUID, error) {
	return s.namedAccounts(ctx, m, parseSearch(query))
}

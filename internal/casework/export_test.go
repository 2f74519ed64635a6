package casework

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// FindHolders is findHolders for a query as the search box sends it: the accounts with the name,
// and whether the search looks the name up through them.
func (s *Store) FindHolders(ctx context.Context, m staff.Member, query string) ([]uuid.UUID, bool, error) {
	t := parseSearch(query)
	err := s.findHolders(ctx, m, &t)
	return t.holders, t.byHolders, err
}

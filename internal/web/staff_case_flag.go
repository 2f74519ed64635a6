package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseFlag flags the case for the caseworker, or takes the flag away.
func (s *Server) staffCaseFlag(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "flag", func(ctx context.Context, m staff.Member, c casework.Case, _ string) error {
		return s.cases.ToggleFlag(ctx, c.ID, m)
	})
}

package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseFlag flags the case for the caseworker, or takes the flag away.
func (s *Server) staffCaseFlag(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "flag", func(ctx context.Context, m staff.Member, caseID uuid.UUID, _ url.Values) error {
		return s.cases.ToggleFlag(ctx, m, caseID)
	})
}

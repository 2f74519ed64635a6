package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseStatus marks the case as being handled; the citizen gets a notice.
func (s *Server) staffCaseStatus(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "status", func(ctx context.Context, m staff.Member, c casework.Case, _ string) error {
		return s.cases.SetStatus(ctx, c.ID, casework.StatusInProgress, m.Name)
	})
}

package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseStatus sets one of the e-service's statuses, with an optional message to the citizen,
// who is told of the change.
func (s *Server) staffCaseStatus(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "status", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		return s.cases.SetStatus(ctx, m, caseID, form.Get("status"), form.Get("text"))
	})
}

package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseMessage sends the caseworker's message to the citizen, who gets a notice.
func (s *Server) staffCaseMessage(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "message", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		return s.cases.SendMessage(ctx, m, caseID, form.Get("text"))
	})
}

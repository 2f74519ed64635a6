package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseClose closes the case with a decision; the citizen reads it and gets a notice.
func (s *Server) staffCaseClose(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "close", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		return s.cases.Close(ctx, m, caseID, form.Get("text"))
	})
}

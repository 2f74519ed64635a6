package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseNote adds an internal note, which the citizen never sees.
func (s *Server) staffCaseNote(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "note", func(ctx context.Context, m staff.Member, caseID uuid.UUID, form url.Values) error {
		return s.cases.AddNote(ctx, m, caseID, form.Get("text"))
	})
}

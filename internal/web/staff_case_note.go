package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseNote adds an internal note, which the citizen never sees.
func (s *Server) staffCaseNote(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "note", func(ctx context.Context, m staff.Member, c casework.Case, text string) error {
		return s.cases.AddNote(ctx, c.ID, m, text)
	})
}

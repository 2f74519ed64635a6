package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseClose closes the case with a decision; the citizen reads it and gets a notice.
func (s *Server) staffCaseClose(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "close", func(ctx context.Context, m staff.Member, c casework.Case, text string) error {
		return s.cases.Close(ctx, c.ID, m, text)
	})
}

package web

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseAssign assigns the case to the caseworker ("till=mig"), or unassigns it.
func (s *Server) staffCaseAssign(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "assign", func(ctx context.Context, m staff.Member, c casework.Case, _ string) error {
		to := uuid.Nil
		if r.PostForm.Get("till") == "mig" {
			to = m.ID
		}
		return s.cases.Assign(ctx, c.ID, to, m)
	})
}

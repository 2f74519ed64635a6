package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseStatus sets one of the e-service's statuses, with an optional message to the citizen,
// who is told of the change.
func (s *Server) staffCaseStatus(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "status", func(ctx context.Context, m staff.Member, c casework.Case, text string) error {
		if err := s.cases.SetStatusKey(ctx, c.ID, r.PostForm.Get("status"), m); err != nil {
			return err
		}
		if strings.TrimSpace(text) == "" {
			return nil
		}
		_, err := s.messages.Send(ctx, c.ID, message.Caseworker, m.Name, text, nil)
		return err
	})
}

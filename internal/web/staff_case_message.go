package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
)

// staffCaseMessage sends the caseworker's message to the citizen, who gets a notice.
func (s *Server) staffCaseMessage(w http.ResponseWriter, r *http.Request) error {
	return s.staffCaseAction(w, r, "message", func(ctx context.Context, m staff.Member, c casework.Case, text string) error {
		_, err := s.messages.Send(ctx, c.ID, message.Caseworker, m.Name, text, nil)
		return err
	})
}

package web

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/audit"
)

// builderAction is a button on an e-service's overview that changes its state (discard the draft,
// unpublish, publish again): it runs change and returns to the overview with the confirmation
// "builder.done.<done>". A change the e-service's state does not allow is a conflict page.
func (s *Server) builderAction(change func(context.Context, audit.Actor, uuid.UUID) error, done string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		e, err := s.builderEService(r)
		if err != nil {
			return err
		}
		if err := change(r.Context(), staffFrom(r.Context()).Actor(), e.ID); err != nil {
			return err
		}
		builderDone(w, r, e.ID, "", done)
		return nil
	}
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// webhookRemove stops a webhook; its delivery log stays.
func (s *Server) webhookRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "webhook"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.webhooks.Remove(r.Context(), staffFrom(r.Context()).Actor(), id); err != nil {
		return err
	}
	http.Redirect(w, r, integrationsPath+"?klart=webhook_removed", http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// apiClientRevoke ends an API client's access at once.
func (s *Server) apiClientRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "client"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.apiClients.Revoke(r.Context(), staffFrom(r.Context()).Actor(), id); err != nil {
		return err
	}
	http.Redirect(w, r, integrationsPath+"?klart=client_revoked", http.StatusSeeOther)
	return nil
}

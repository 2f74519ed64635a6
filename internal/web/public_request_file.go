package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
)

// publicRequestFile is a file released with the answer, to the holder of the secret link.
func (s *Server) publicRequestFile(w http.ResponseWriter, r *http.Request) error {
	t, _ := tenantFrom(r.Context())
	return s.serveReleasedFile(w, r, disclosure.Requester{TenantID: t.ID, Key: r.URL.Query().Get("nyckel")})
}

func (s *Server) serveReleasedFile(w http.ResponseWriter, r *http.Request, who disclosure.Requester) error {
	id, err := uuid.Parse(chi.URLParam(r, "file"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	name, contentType, data, err := s.disclosure.ReleasedFileContent(r.Context(), who, id)
	if err != nil {
		return err
	}
	serveFile(w, name, contentType, data)
	return nil
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// caseFile lets the citizen download a file of their case: from the form or from a message.
func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadOwnCase(r)
	if err != nil {
		return err
	}
	fileID, err := uuid.Parse(chi.URLParam(r, "file"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	f, data, err := s.cases.FileContent(r.Context(), c.ID, fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

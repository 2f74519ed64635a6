package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// staffCaseFile lets the caseworker download a file of the case; the read is recorded.
func (s *Server) staffCaseFile(w http.ResponseWriter, r *http.Request) error {
	caseID, err1 := uuid.Parse(chi.URLParam(r, "case"))
	fileID, err2 := uuid.Parse(chi.URLParam(r, "file"))
	if err1 != nil || err2 != nil {
		return apperr.New(apperr.NotFound, "")
	}
	f, data, err := s.cases.FileAsCaseworker(r.Context(), staffFrom(r.Context()), caseID, fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

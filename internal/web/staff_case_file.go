package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
)

// staffCaseFile lets the caseworker download a file of the case; the read is recorded.
func (s *Server) staffCaseFile(w http.ResponseWriter, r *http.Request) error {
	m, c, err := s.loadStaffCase(r)
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
	if err := s.audit(r.Context(), m, c.ID, audit.File, f.ID.String()); err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// caseFile lets the citizen download a file of their case, or of a case made for an
// organisation they may act for now: from the form or from a message.
func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	caseID, err := uuid.Parse(chi.URLParam(r, "case"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	fileID, err := uuid.Parse(chi.URLParam(r, "file"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	f, data, err := s.cases.CitizenFile(r.Context(), s.citizenID(r.Context()), caseID, fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

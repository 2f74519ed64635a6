package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// draftFile lets the owner download a file they attached to their draft.
func (s *Server) draftFile(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	fileID, err := uuid.Parse(chi.URLParam(r, "file"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	f, data, err := s.drafts.FileContent(r.Context(), j.Draft.ID, fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

// serveFile sends a stored file as a download, never rendered in the page's origin.
func serveFile(w http.ResponseWriter, name, contentType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(data)
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// archivePackage downloads an archive package: a read of the whole case, recorded in the audit
// log; the first download marks the case exported to the records system.
func (s *Server) archivePackage(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "export"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	x, pkg, err := s.archive.Package(r.Context(), staffFrom(r.Context()), id)
	if err != nil {
		return err
	}
	servePackage(w, x.Reference, pkg)
	return nil
}

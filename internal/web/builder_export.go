package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
)

// builderExport downloads the e-service as a JSON document of the exchange format (see
// eservice.Document), for another municipality to import.
func (s *Server) builderExport(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "eservice"))
	if err != nil {
		return eservice.ErrNotFound
	}
	d, err := s.eservices.Export(r.Context(), staffFrom(r.Context()).TenantID, id)
	if err != nil {
		return err
	}
	b, err := d.JSON()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+d.Settings.Slug+`.json"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

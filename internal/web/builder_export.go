package web

import (
	"net/http"
	"strconv"
)

// builderExport downloads the e-service as a JSON document of the exchange format (see
// eservice.Document), for another municipality to import.
func (s *Server) builderExport(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	d, err := s.eservices.Export(r.Context(), e.ID)
	if err != nil {
		return err
	}
	b, err := d.JSON()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+e.Slug+`.json"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

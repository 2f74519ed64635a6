package web

import (
	"encoding/json"
	"net/http"

	"github.com/minasidor/minasidor/internal/extract"
)

// rightsExtractJSON downloads the extract as its JSON document (format minasidor.extract).
func (s *Server) rightsExtractJSON(w http.ResponseWriter, r *http.Request) error {
	x, err := s.ownExtract(r)
	if err != nil {
		return err
	}
	if x.Document == nil {
		return extract.ErrNotReady
	}
	body, err := json.MarshalIndent(x.Document, "", "  ")
	if err != nil {
		return err
	}
	serveFile(w, "registerutdrag.json", "application/json", body)
	return nil
}

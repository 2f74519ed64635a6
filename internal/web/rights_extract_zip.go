package web

import (
	"net/http"
)

// rightsExtractZIP downloads the extract as a ZIP: the JSON document and every file.
func (s *Server) rightsExtractZIP(w http.ResponseWriter, r *http.Request) error {
	x, err := s.ownExtract(r)
	if err != nil {
		return err
	}
	data, err := s.extracts.Archive(r.Context(), s.citizenID(r.Context()), x.ID)
	if err != nil {
		return err
	}
	serveFile(w, "registerutdrag.zip", "application/zip", data)
	return nil
}

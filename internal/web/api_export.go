package web

import (
	"encoding/hex"
	"net/http"
)

// apiExport says how an archive export stands.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "export")
	if err != nil {
		return err
	}
	x, err := s.archive.Get(r.Context(), apiClientFrom(r.Context()).Member(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiExportOf(x))
	return nil
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

package web

import (
	"net/http"
)

// apiCaseClose closes the case with a decision that the citizen reads, and tells them:
// casework.Store.Close, as the caseworker's page.
func (s *Server) apiCaseClose(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "case")
	if err != nil {
		return err
	}
	var in struct {
		Decision string `json:"decision"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.cases.Close(r.Context(), apiClientFrom(r.Context()).Member(), id, in.Decision); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package web

import (
	"net/http"
)

// apiCaseMessage writes to the citizen on the case's thread, under the client's name, and the
// citizen gets a notice: casework.Store.SendMessage, as the caseworker's page.
func (s *Server) apiCaseMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "case")
	if err != nil {
		return err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.cases.SendMessage(r.Context(), apiClientFrom(r.Context()).Member(), id, in.Text); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package web

import (
	"net/http"
)

// apiCaseStatus sets the case to one of its e-service's statuses (not closed and not waiting for
// a supplement: those have their own actions), with an optional message to the citizen, who is
// told of the change: casework.Store.SetStatus, as the caseworker's page.
func (s *Server) apiCaseStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := apiID(r, "case")
	if err != nil {
		return err
	}
	var in struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.cases.SetStatus(r.Context(), apiClientFrom(r.Context()).Member(), id, in.Status, in.Message); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

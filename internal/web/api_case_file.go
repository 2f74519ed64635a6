package web

import (
	"net/http"
)

// apiCaseFile downloads a file of the case (the form's or a message's), as the caseworker's
// download does: the read is recorded under the client's name.
func (s *Server) apiCaseFile(w http.ResponseWriter, r *http.Request) error {
	caseID, err := apiID(r, "case")
	if err != nil {
		return err
	}
	fileID, err := apiID(r, "file")
	if err != nil {
		return err
	}
	f, data, err := s.cases.FileAsCaseworker(r.Context(), apiClientFrom(r.Context()).Member(), caseID, fileID)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, data)
	return nil
}

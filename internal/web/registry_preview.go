package web

import "net/http"

// registryPreview is the answer as it would be released now, for the registrar to check before
// deciding. Each linked case's read is recorded in the audit log.
func (s *Server) registryPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	pdf, err := s.disclosure.Preview(r.Context(), staffFrom(r.Context()), id)
	if err != nil {
		return err
	}
	servePDF(w, "forhandsgranskning.pdf", pdf)
	return nil
}

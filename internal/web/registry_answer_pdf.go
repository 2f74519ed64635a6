package web

import "net/http"

// registryAnswerPDF is the answer as made (waiting for approval, or released), for the
// registrars: to approve it, or to print and post it.
func (s *Server) registryAnswerPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	ref, pdf, err := s.disclosure.AnswerForRegistrar(r.Context(), staffFrom(r.Context()), id)
	if err != nil {
		return err
	}
	servePDF(w, "begaran-"+ref+".pdf", pdf)
	return nil
}

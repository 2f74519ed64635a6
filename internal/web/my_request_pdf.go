package web

import "net/http"

// myRequestPDF is the released answer of a request the citizen follows on Mina sidor.
func (s *Server) myRequestPDF(w http.ResponseWriter, r *http.Request) error {
	who, err := s.mine(r)
	if err != nil {
		return err
	}
	ref, pdf, err := s.disclosure.AnswerPDF(r.Context(), who)
	if err != nil {
		return err
	}
	servePDF(w, "begaran-"+ref+".pdf", pdf)
	return nil
}

package web

import "net/http"

// registryReturn sends an answer that waits for approval back: the request is open again.
func (s *Server) registryReturn(w http.ResponseWriter, r *http.Request) error {
	return s.registryProposalAction(w, r, "returned", s.disclosure.Return)
}

package web

import "net/http"

// registryUnlink removes a case, and the decisions on its parts, from the request.
func (s *Server) registryUnlink(w http.ResponseWriter, r *http.Request) error {
	return s.registryCaseAction(w, r, "unlinked", s.disclosure.Unlink)
}

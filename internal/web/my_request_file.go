package web

import "net/http"

// myRequestFile is a file released with the answer of a request the citizen follows.
func (s *Server) myRequestFile(w http.ResponseWriter, r *http.Request) error {
	who, err := s.mine(r)
	if err != nil {
		return err
	}
	return s.serveReleasedFile(w, r, who)
}

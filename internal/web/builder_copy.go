package web

import "net/http"

// builderCopy makes a new draft e-service from this one and shows it.
func (s *Server) builderCopy(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	c, err := s.eservices.Copy(r.Context(), staffFrom(r.Context()).Actor(), e.ID)
	if err != nil {
		return err
	}
	builderDone(w, r, c.ID, "", "copied")
	return nil
}

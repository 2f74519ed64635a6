package web

import "net/http"

// builderArchive archives the e-service: it leaves the list and the catalogue, its cases stay.
func (s *Server) builderArchive(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := s.eservices.Archive(r.Context(), staffFrom(r.Context()).Actor(), e.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/personal/etjanster?klart=archived", http.StatusSeeOther)
	return nil
}

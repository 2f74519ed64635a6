package web

import "net/http"

// samlMetadata publishes the citizen service provider's metadata for the IdP.
func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request) error {
	md, err := s.citizen.Metadata()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(md)
	return err
}

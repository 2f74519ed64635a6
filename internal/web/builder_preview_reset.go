package web

import "net/http"

// builderPreviewReset forgets the preview's answers and starts it over.
func (s *Server) builderPreviewReset(w http.ResponseWriter, r *http.Request) error {
	j, _, _, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), previewKey(j))
	http.Redirect(w, r, previewPath(j, ""), http.StatusSeeOther)
	return nil
}

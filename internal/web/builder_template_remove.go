package web

import "net/http"

// builderTemplateRemove removes a message template; messages written from it stay as they were
// sent.
func (s *Server) builderTemplateRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	id, err := templateID(r)
	if err != nil {
		return err
	}
	if err := s.eservices.RemoveMessageTemplate(ctx, staffFrom(ctx).Actor(), e.ID, id); err != nil {
		return err
	}
	builderDone(w, r, e.ID, "mallar", "templateremoved")
	return nil
}

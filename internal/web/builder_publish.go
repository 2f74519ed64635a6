package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/templates"
)

// builderPublish publishes the draft version: new drafts start on it from now on. A form that
// cannot be used yet shows the overview again with its problems, each linked to the editor.
func (s *Server) builderPublish(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	_, err = s.eservices.PublishDraft(r.Context(), staffFrom(r.Context()).Actor(), e.ID)
	if _, invalid := form.AsDefinitionErrors(err); invalid || errors.Is(err, eservice.ErrPrivacyIncomplete) {
		v, verr := s.builderShowView(r, e)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.BuilderShowPage(s.page(r, "builder.show.title", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "", "published")
	return nil
}

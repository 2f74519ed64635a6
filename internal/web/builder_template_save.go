package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderTemplateSave changes a message template; a refused form comes back open, with what was
// typed.
func (s *Server) builderTemplateSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	id, err := templateID(r)
	if err != nil {
		return err
	}
	in, typed, err := templateInput(r)
	if err != nil {
		return err
	}
	err = s.eservices.UpdateMessageTemplate(ctx, staffFrom(ctx).Actor(), e.ID, id, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.templatesView(r, e)
		if verr != nil {
			return verr
		}
		for i, row := range v.Templates {
			if row.ID == id.String() {
				typed.Prefix = row.Form.Prefix
				v.Templates[i].Form = typed
				v.Errors = prefixed(fieldMessages(ctx, invalid), typed.Prefix)
			}
		}
		if v.Errors == nil {
			return eservice.ErrTemplateNotFound
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESTemplatesPage(s.page(r, "esettings.page.templates", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "mallar", "templatesaved")
	return nil
}

package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// builderTemplateAdd adds a message template; a refused form comes back with what was typed.
func (s *Server) builderTemplateAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	in, typed, err := templateInput(r)
	if err != nil {
		return err
	}
	_, err = s.eservices.AddMessageTemplate(ctx, staffFrom(ctx).Actor(), e.ID, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.templatesView(r, e)
		if verr != nil {
			return verr
		}
		typed.Prefix = v.New.Prefix
		v.New, v.Errors = typed, prefixed(fieldMessages(ctx, invalid), typed.Prefix)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESTemplatesPage(s.page(r, "esettings.page.templates", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "mallar", "templateadded")
	return nil
}

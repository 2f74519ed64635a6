package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// builderStatusAdd adds a status at the end of the e-service's statuses; a refused form comes
// back with what was typed.
func (s *Server) builderStatusAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	in, typed, err := statusInput(r)
	if err != nil {
		return err
	}
	_, err = s.eservices.AddStatus(ctx, staffFrom(ctx).Actor(), e.ID, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.statusesView(r, e)
		if verr != nil {
			return verr
		}
		typed.Prefix = v.New.Prefix
		v.New, v.Errors = typed, prefixed(fieldMessages(ctx, invalid), typed.Prefix)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESStatusesPage(s.page(r, "esettings.page.statuses", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "statusar", "statusadded")
	return nil
}

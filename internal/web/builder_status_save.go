package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderStatusSave changes a status's labels, type and handling time; its key stays. A refused
// form comes back open, with what was typed.
func (s *Server) builderStatusSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	id, err := statusID(r)
	if err != nil {
		return err
	}
	in, typed, err := statusInput(r)
	if err != nil {
		return err
	}
	err = s.eservices.UpdateStatus(ctx, staffFrom(ctx).Actor(), e.ID, id, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.statusesView(r, e)
		if verr != nil {
			return verr
		}
		for i, row := range v.Statuses {
			if row.ID == id.String() {
				typed.Prefix = row.Form.Prefix
				v.Statuses[i].Form = typed
				v.Errors = prefixed(fieldMessages(ctx, invalid), typed.Prefix)
			}
		}
		if v.Errors == nil {
			return eservice.ErrStatusNotFound
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESStatusesPage(s.page(r, "esettings.page.statuses", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "statusar", "statussaved")
	return nil
}

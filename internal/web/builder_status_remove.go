package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderStatusRemove removes a status. A status that cases are in, or the last one of a type
// the portal needs, stays, and the list says why at the status.
func (s *Server) builderStatusRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	id, err := statusID(r)
	if err != nil {
		return err
	}
	err = s.eservices.RemoveStatus(ctx, staffFrom(ctx).Actor(), e.ID, id)
	if errors.Is(err, eservice.ErrStatusInUse) || errors.Is(err, eservice.ErrStatusLast) {
		v, verr := s.statusesView(r, e)
		if verr != nil {
			return verr
		}
		key := eservice.ErrStatusInUse.Key
		if errors.Is(err, eservice.ErrStatusLast) {
			key = eservice.ErrStatusLast.Key
		}
		v.Errors = []templates.FieldMessage{{Field: "row-" + id.String(), Message: i18n.T(ctx, key)}}
		return s.render(w, r, http.StatusConflict, templates.ESStatusesPage(s.page(r, "esettings.page.statuses", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "statusar", "statusremoved")
	return nil
}

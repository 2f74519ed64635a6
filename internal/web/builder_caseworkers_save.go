package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderCaseworkersSave replaces the e-service's caseworkers, who handle its cases; a refused form comes back
// with what was chosen and typed.
func (s *Server) builderCaseworkersSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	checked, groups := r.PostForm["caseworkers"], r.PostForm.Get("groups")
	var errs apperr.FieldErrors
	ids := make([]uuid.UUID, 0, len(checked))
	for _, c := range checked {
		id, err := uuid.Parse(c)
		if err != nil {
			errs.Add("caseworkers", "error.esettings.caseworker")
			break
		}
		ids = append(ids, id)
	}
	err = errs.Err()
	if err == nil {
		err = s.eservices.SetCaseworkers(ctx, staffFrom(ctx).Actor(), e.ID, ids, eservice.ParseGroups(groups))
	}
	if errors.As(err, &errs) {
		if checked == nil {
			checked = []string{}
		}
		v, verr := s.caseworkersView(r, e, checked, &groups)
		if verr != nil {
			return verr
		}
		v.Errors = fieldMessages(ctx, errs)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESCaseworkersPage(s.page(r, "esettings.page.caseworkers", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "handlaggare", "caseworkers")
	return nil
}

package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// bookingAdminSave adds a resource or saves its changes; a form with errors is shown again with
// them (422), nothing saved.
func (s *Server) bookingAdminSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	id := uuid.Nil
	if r.URL.Path != staffPrefix+"/resurser/ny" {
		var err error
		if id, err = calendarResource(r); err != nil {
			return err
		}
	}
	in, errs := parseSettings(r.PostForm)
	if len(errs) == 0 {
		var err error
		id, err = s.bookings.SaveResource(ctx, staffFrom(ctx), id, in)
		if !errors.As(err, &errs) && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		if id != uuid.Nil {
			res, handlers, err := s.bookings.ForAdmin(ctx, staffFrom(ctx), id)
			if err != nil {
				return err
			}
			return s.renderResourceForm(w, r, id, r.PostForm, &savedResource{res, handlers}, errs, http.StatusUnprocessableEntity, "")
		}
		return s.renderResourceForm(w, r, id, r.PostForm, nil, errs, http.StatusUnprocessableEntity, "")
	}
	http.Redirect(w, r, staffPrefix+"/resurser/"+id.String()+"?klart=sparad", http.StatusSeeOther)
	return nil
}

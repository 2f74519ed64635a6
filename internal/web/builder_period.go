package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/templates"
)

// builderPeriod sets when the e-service is shown in the catalogue: a publish date and an
// unpublish date, either open. A refused form shows the overview with what was typed.
func (s *Server) builderPeriod(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	fromText, untilText := r.PostForm.Get("available_from"), r.PostForm.Get("available_until")
	var errs apperr.FieldErrors
	from, ok := parseLocalTime(fromText)
	if !ok {
		errs.Add("available_from", "error.builder.datetime")
	}
	until, ok := parseLocalTime(untilText)
	if !ok {
		errs.Add("available_until", "error.builder.datetime")
	}
	err = errs.Err()
	if err == nil {
		err = s.eservices.SetAvailability(ctx, staffFrom(ctx).Actor(), e.ID, from, until)
	}
	if errors.As(err, &errs) {
		v, verr := s.builderShowView(r, e)
		if verr != nil {
			return verr
		}
		v.Errors, v.AvailableFrom, v.AvailableUntil = fieldMessages(ctx, errs), fromText, untilText
		return s.render(w, r, http.StatusUnprocessableEntity, templates.BuilderShowPage(s.page(r, "builder.show.title", "eservice_admin"), v))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "", "period")
	return nil
}

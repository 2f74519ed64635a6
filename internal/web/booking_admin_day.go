package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
)

// dayInputs are the inputs of the form of a day that differs, beside the resource's own; dayHours
// is its first hours input, where a problem of its hours shows.
var dayInputs = []string{"day", "closed", "opens", "closes"}

const dayHours = "day-opens"

// bookingAdminDay makes a day of the resource closed, or open other hours than its weekday's.
func (s *Server) bookingAdminDay(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	closed := r.PostForm.Get("closed") != "no"
	opens, ok1 := booking.ParseClock(r.PostForm.Get("opens"))
	closes, ok2 := booking.ParseClock(r.PostForm.Get("closes"))
	if !closed && (!ok1 || !ok2) {
		opens, closes = 0, 0 // refused as hours below
	}
	err = s.bookings.SetException(ctx, staffFrom(ctx), id, r.PostForm.Get("day"), closed, opens, closes)
	var errs apperr.FieldErrors
	if errors.As(err, &errs) {
		res, handlers, err := s.bookings.ForAdmin(ctx, staffFrom(ctx), id)
		if err != nil {
			return err
		}
		// The day's form comes back as it was sent, with a problem of its hours at its own inputs.
		inputs := settingsInputs(resourceSettings(res, handlers))
		for _, name := range dayInputs {
			inputs[name] = r.PostForm[name]
		}
		for i := range errs {
			if errs[i].Field == booking.FieldHours {
				errs[i].Field = dayHours
			}
		}
		return s.renderResourceForm(w, r, id, inputs, &savedResource{res, handlers}, errs, http.StatusUnprocessableEntity, "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/resurser/"+id.String()+"?klart=dag", http.StatusSeeOther)
	return nil
}

// bookingAdminDayRemove gives a day its weekday's hours again.
func (s *Server) bookingAdminDayRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	if err := s.bookings.RemoveException(r.Context(), staffFrom(r.Context()), id, chi.URLParam(r, "day")); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/resurser/"+id.String()+"?klart=dag", http.StatusSeeOther)
	return nil
}

// bookingAdminArchive takes the resource out of booking; its bookings stay.
func (s *Server) bookingAdminArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	if err := s.bookings.Archive(r.Context(), staffFrom(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/resurser?klart=arkiverad", http.StatusSeeOther)
	return nil
}

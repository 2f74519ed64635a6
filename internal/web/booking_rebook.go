package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingRebook shows the free times of the booking's resource, to move the booking to one.
func (s *Server) bookingRebook(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownBooking(r)
	if err != nil {
		return err
	}
	if b.State != booking.Booked {
		http.Redirect(w, r, bookingURL(b), http.StatusSeeOther)
		return nil
	}
	return s.renderRebook(w, r, b, http.StatusOK, "")
}

// bookingRebookSave moves the booking to the chosen time: the new time is taken before the old
// one is given back, in one transaction, so a time that is no longer free leaves the booking as
// it was. A second press of the button leads to the booking it was moved to.
func (s *Server) bookingRebookSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	b, err := s.ownBooking(r)
	if err != nil {
		return err
	}
	start, ok := chosenTime(r.PostForm)
	if !ok {
		return s.renderRebook(w, r, b, http.StatusUnprocessableEntity, "booking.error.choose")
	}
	nb, err := s.bookings.Rebook(r.Context(), s.citizenID(r.Context()), b.ID, start)
	switch {
	case errors.Is(err, booking.ErrTaken):
		return s.renderRebook(w, r, b, http.StatusConflict, "booking.error.taken")
	case errors.Is(err, booking.ErrNotBookable), errors.Is(err, booking.ErrSameTime):
		return s.renderRebook(w, r, b, http.StatusUnprocessableEntity, apperr.KeyOf(err))
	case errors.Is(err, booking.ErrTooLateToCancel), errors.Is(err, booking.ErrCancelled):
		return s.renderBooking(w, r, b, http.StatusConflict, "", apperr.KeyOf(err))
	case err != nil:
		return err
	}
	http.Redirect(w, r, bookingURL(nb)+"?ombokad=1", http.StatusSeeOther)
	return nil
}

// renderRebook shows the free times to move the booking to.
func (s *Server) renderRebook(w http.ResponseWriter, r *http.Request, b booking.Booking, status int, errKey string) error {
	ctx := r.Context()
	res, err := s.bookings.Resource(ctx, b.ResourceID)
	if err != nil {
		return err
	}
	path := bookingURL(b) + "/omboka"
	v, err := s.timesView(ctx, res, path, r.URL.Query(), r.PostFormValue("tid"))
	if err != nil {
		return err
	}
	v.Action, v.Submit, v.BackURL = path, i18n.T(ctx, "booking.rebook.submit"), bookingURL(b)
	v.Current = bookingWhen(ctx, b.Start, b.End)
	if errKey != "" {
		v.Error = i18n.T(ctx, errKey)
	}
	p := s.page(r, "booking.rebook.title", "mypages")
	p.Title = i18n.T(ctx, "booking.rebook.title", v.Name)
	return s.render(w, r, status, templates.BookingTimesPage(p, v))
}

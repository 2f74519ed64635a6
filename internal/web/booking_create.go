package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
)

// bookingCreate books the chosen time and shows the booking. A time that is no longer free shows
// the free times again with a message saying so (409), and books nothing.
func (s *Server) bookingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	id, err := uuid.Parse(chi.URLParam(r, "resource"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	start, ok := chosenTime(r.PostForm)
	if !ok {
		return s.refuseBooking(w, r, http.StatusUnprocessableEntity, "booking.error.choose")
	}
	b, err := s.bookings.Book(r.Context(), s.citizenID(r.Context()), id, start)
	switch {
	case errors.Is(err, booking.ErrTaken):
		return s.refuseBooking(w, r, http.StatusConflict, "booking.error.taken")
	case errors.Is(err, booking.ErrNotBookable):
		return s.refuseBooking(w, r, http.StatusUnprocessableEntity, "booking.error.notBookable")
	case err != nil:
		return err
	}
	http.Redirect(w, r, bookingURL(b)+"?bokad=1", http.StatusSeeOther)
	return nil
}

// refuseBooking shows the free times again with the reason nothing was booked.
func (s *Server) refuseBooking(w http.ResponseWriter, r *http.Request, status int, errKey string) error {
	res, err := s.bookingResource(r)
	if err != nil {
		return err
	}
	return s.renderTimes(w, r, res, status, errKey)
}

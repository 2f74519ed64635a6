package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
)

// bookingCreate books the chosen time and shows the booking. A time that is no longer free shows
// the free times again with a message saying so (409), and books nothing.
func (s *Server) bookingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	res, err := s.bookingResource(r)
	if err != nil {
		return err
	}
	start, ok := chosenTime(r.PostForm)
	if !ok {
		return s.renderTimes(w, r, res, http.StatusUnprocessableEntity, "booking.error.choose")
	}
	b, err := s.bookings.Book(r.Context(), s.citizenID(r.Context()), res.ID, start)
	switch {
	case errors.Is(err, booking.ErrTaken):
		return s.renderTimes(w, r, res, http.StatusConflict, "booking.error.taken")
	case errors.Is(err, booking.ErrNotBookable):
		return s.renderTimes(w, r, res, http.StatusUnprocessableEntity, "booking.error.notBookable")
	case err != nil:
		return err
	}
	http.Redirect(w, r, bookingURL(b)+"?bokad=1", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/booking"
)

// bookingCancel cancels the citizen's booking. A second press (a double click, a retry) finds it
// cancelled and says so again; after the cancellation limit the page says it is too late (409).
func (s *Server) bookingCancel(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownBooking(r)
	if err != nil {
		return err
	}
	c, err := s.bookings.Cancel(r.Context(), s.citizenID(r.Context()), b.ID)
	if errors.Is(err, booking.ErrTooLateToCancel) {
		return s.renderBooking(w, r, b, http.StatusConflict, "", "booking.error.tooLateToCancel")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, bookingURL(c)+"?avbokad=1", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
)

// bookingCalendarBlock blocks a time of the resource, so that nobody can book it, or opens it
// again, and returns to the calendar.
func (s *Server) bookingCalendarBlock(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	start, err := time.Parse(time.RFC3339, r.PostForm.Get("tid"))
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	block := r.PostForm.Get("blockera") == "ja"
	err = s.bookings.SetBlocked(r.Context(), staffFrom(r.Context()), id, start, block)
	if errors.Is(err, booking.ErrNotBookable) {
		return s.renderCalendar(w, r, r.PostForm, http.StatusUnprocessableEntity, "", "booking.error.notBookable")
	}
	if err != nil {
		return err
	}
	done := "klart=blockerad"
	if !block {
		done = "klart=oppnad"
	}
	day, week := s.calendarPeriod(r.PostForm)
	http.Redirect(w, r, calendarURL(id, day, week, done), http.StatusSeeOther)
	return nil
}

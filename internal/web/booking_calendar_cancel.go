package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// maxCancelNote bounds the message to the citizen when staff cancel a booking.
const maxCancelNote = 1000

// bookingCalendarCancel cancels a booking of the resource with a message to the citizen, who
// reads it with the booking, and returns to the calendar.
func (s *Server) bookingCalendarCancel(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	bookingID, err := uuid.Parse(r.PostForm.Get("bokning"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	note := strings.TrimSpace(r.PostForm.Get("meddelande"))
	if !utf8.ValidString(note) || utf8.RuneCountInString(note) > maxCancelNote {
		return s.renderCalendar(w, r, r.PostForm, http.StatusUnprocessableEntity, "", "booking.staff.noteTooLong")
	}
	if err := s.bookings.CancelAsStaff(r.Context(), staffFrom(r.Context()), id, bookingID, note); err != nil {
		return err
	}
	day, week := s.calendarPeriod(r.PostForm)
	http.Redirect(w, r, calendarURL(id, day, week, "klart=avbokad"), http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingShow is one of the citizen's bookings: what, where and when, the calendar file, and
// cancelling or moving it while the resource allows.
func (s *Server) bookingShow(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownBooking(r)
	if err != nil {
		return err
	}
	flash := ""
	for param, key := range map[string]string{"bokad": "booking.flash.booked", "ombokad": "booking.flash.rebooked", "avbokad": "booking.flash.cancelled"} {
		if r.URL.Query().Get(param) == "1" {
			flash = i18n.T(r.Context(), key)
		}
	}
	return s.renderBooking(w, r, b, http.StatusOK, flash, "")
}

// ownBooking is the logged-in citizen's booking that the address names.
func (s *Server) ownBooking(r *http.Request) (booking.Booking, error) {
	id, err := uuid.Parse(chi.URLParam(r, "booking"))
	if err != nil {
		return booking.Booking{}, apperr.New(apperr.NotFound, "")
	}
	return s.bookings.Get(r.Context(), s.citizenID(r.Context()), id)
}

// renderBooking shows the booking's page.
func (s *Server) renderBooking(w http.ResponseWriter, r *http.Request, b booking.Booking, status int, flash, errKey string) error {
	ctx := r.Context()
	lang := string(i18n.FromContext(ctx).Lang)
	url := bookingURL(b)
	v := templates.BookingView{
		Name: b.Name.In(lang), Place: b.Place.In(lang), Municipality: b.Municipality,
		When: bookingWhen(ctx, b.Start, b.End), BookedAt: i18n.DateTime(b.BookedAt),
		State: bookingState(ctx, b), Note: b.CancelNote, Flash: flash,
		ICSURL: url + "/kalender.ics", RebookURL: url + "/omboka", CancelAction: url + "/avboka",
		CancelUntil: i18n.DateTime(b.CancelUntil()), MayCancel: b.MayCancel(s.bookings.Now()),
	}
	v.CaseRef, v.CaseURL = bookingCase(b)
	if errKey != "" {
		v.Error = i18n.T(ctx, errKey)
	}
	p := s.page(r, "booking.list.heading", "mypages")
	p.Title = v.Name + ", " + v.When
	return s.render(w, r, status, templates.BookingPage(p, v))
}

// bookingCase is the reference and address of the case the booking was made with, if any.
func bookingCase(b booking.Booking) (ref, url string) {
	if b.CaseID == nil || b.CaseRef == "" {
		return "", ""
	}
	return b.CaseRef, "/arenden/" + b.CaseID.String()
}

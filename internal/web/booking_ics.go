package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
)

// bookingICS is the booking as a calendar file to download.
func (s *Server) bookingICS(w http.ResponseWriter, r *http.Request) error {
	b, err := s.ownBooking(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bokning-`+b.Start.In(i18n.Stockholm).Format("2006-01-02-1504")+`.ics"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b.ICS(string(i18n.FromContext(ctx).Lang), i18n.T(ctx, "layout.product"), s.bookings.Now()))
	return err
}

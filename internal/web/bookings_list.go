package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingsList is Mina bokningar: the citizen's upcoming and past bookings in every
// municipality, and the resources of this municipality that they can book.
func (s *Server) bookingsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := string(i18n.FromContext(ctx).Lang)
	mine, err := s.bookings.Mine(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	v := templates.BookingsView{Truncated: len(mine) == booking.MaxListed}
	now := s.bookings.Now()
	for i := len(mine) - 1; i >= 0; i-- { // soonest first
		b := mine[i]
		item := templates.BookingItem{
			Name: b.Name.In(lang), Place: b.Place.In(lang), Municipality: b.Municipality,
			When: bookingWhen(ctx, b.Start, b.End), State: bookingState(ctx, b), URL: bookingURL(b),
		}
		item.CaseRef, item.CaseURL = bookingCase(b)
		if b.State == booking.Booked && b.End.After(now) {
			v.Upcoming = append(v.Upcoming, item)
		} else {
			v.Past = append([]templates.BookingItem{item}, v.Past...) // latest first
		}
	}
	if t, ok := tenantFrom(ctx); ok {
		resources, err := s.bookings.Resources(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, res := range resources {
			v.Resources = append(v.Resources, templates.ResourceItem{
				Name: res.Name.In(lang), Description: res.Description.In(lang), URL: "/boka/" + res.ID.String(),
			})
		}
	}
	return s.render(w, r, http.StatusOK, templates.BookingsPage(s.page(r, "booking.list.heading", "mypages"), v))
}

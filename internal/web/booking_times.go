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

// bookingTimes shows a resource's free times, a week at a time, to book one.
func (s *Server) bookingTimes(w http.ResponseWriter, r *http.Request) error {
	res, err := s.bookingResource(r)
	if err != nil {
		return err
	}
	return s.renderTimes(w, r, res, http.StatusOK, "")
}

// bookingResource is the resource the address names.
func (s *Server) bookingResource(r *http.Request) (booking.Resource, error) {
	id, err := uuid.Parse(chi.URLParam(r, "resource"))
	if err != nil {
		return booking.Resource{}, apperr.New(apperr.NotFound, "")
	}
	return s.bookings.Resource(r.Context(), id)
}

// renderTimes shows the page of free times to book, with an error message when one is given.
func (s *Server) renderTimes(w http.ResponseWriter, r *http.Request, res booking.Resource, status int, errKey string) error {
	ctx := r.Context()
	path := "/boka/" + res.ID.String()
	v, err := s.timesView(ctx, res, path, r.URL.Query(), r.PostFormValue("tid"))
	if err != nil {
		return err
	}
	v.Action, v.Submit, v.BackURL = path, i18n.T(ctx, "booking.book"), "/mina-sidor/bokningar"
	if errKey != "" {
		v.Error = i18n.T(ctx, errKey)
	}
	p := s.page(r, "booking.times.title", "mypages")
	p.Title = i18n.T(ctx, "booking.times.title", v.Name)
	return s.render(w, r, status, templates.BookingTimesPage(p, v))
}

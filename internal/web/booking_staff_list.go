package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingStaffList lists the resources the staff member handles, each leading to its calendar.
func (s *Server) bookingStaffList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := string(i18n.FromContext(ctx).Lang)
	resources, err := s.bookings.Handled(ctx, staffFrom(ctx))
	if err != nil {
		return err
	}
	var v templates.StaffResourcesView
	for _, res := range resources {
		v.Resources = append(v.Resources, templates.ResourceItem{
			Name: res.Name.In(lang), Description: res.Description.In(lang), URL: staffPrefix + "/bokningar/" + res.ID.String(),
		})
	}
	return s.render(w, r, http.StatusOK, templates.StaffResourcesPage(s.page(r, "booking.staff.heading", "staff"), v))
}

package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingAdminList lists the municipality's bookable resources for an e-service admin, to add
// or change one.
func (s *Server) bookingAdminList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := string(i18n.FromContext(ctx).Lang)
	resources, err := s.bookings.Resources(ctx, staffFrom(ctx).TenantID)
	if err != nil {
		return err
	}
	var v templates.ResourceAdminListView
	if r.URL.Query().Get("klart") == "arkiverad" {
		v.Flash = i18n.T(ctx, "booking.admin.archived")
	}
	for _, res := range resources {
		v.Resources = append(v.Resources, templates.ResourceItem{
			Name: res.Name.In(lang), Description: res.Description.In(lang), URL: staffPrefix + "/resurser/" + res.ID.String(),
		})
	}
	return s.render(w, r, http.StatusOK, templates.ResourceAdminListPage(s.page(r, "booking.admin.heading", "eservice_admin"), v))
}

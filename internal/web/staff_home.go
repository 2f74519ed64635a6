package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

type staffKey struct{}

func withStaff(ctx context.Context, m staff.Member) context.Context {
	return context.WithValue(ctx, staffKey{}, m)
}

func staffFrom(ctx context.Context) staff.Member {
	m, _ := ctx.Value(staffKey{}).(staff.Member)
	return m
}

// staffHome is the staff area's start page: who is logged in, in which municipality, and with
// which roles.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m := staffFrom(ctx)
	v := templates.StaffHomeView{Name: m.Name, Unit: m.Unit, Municipality: m.Municipality, Restricted: m.Restricted, Admin: m.Has(staff.MunicipalityAdmin),
		EServiceAdmin: m.Has(staff.EServiceAdmin), Registrar: m.Has(staff.Registrar)}
	for _, role := range m.Roles {
		v.Roles = append(v.Roles, i18n.T(ctx, "role."+role))
	}
	return s.render(w, r, http.StatusOK, templates.StaffHomePage(s.page(r, "staff.heading", "staff"), v))
}

// staffMetadata publishes the staff service provider's metadata, for the municipalities' IdPs.
func (s *Server) staffMetadata(w http.ResponseWriter, r *http.Request) error {
	md, err := s.staffLogins.Metadata()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(md)
	return err
}

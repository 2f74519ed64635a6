package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// requireRole lets through only staff with the role in their municipality; other staff are
// refused.
func (s *Server) requireRole(role string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !staffFrom(r.Context()).Has(role) {
				s.fail(w, r, staff.ErrNotAdmin)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// staffAdmin lists the municipality's staff for its admin.
func (s *Server) staffAdmin(w http.ResponseWriter, r *http.Request) error {
	v, err := s.staffAdminView(r.Context())
	if err != nil {
		return err
	}
	v.Done = doneText(r.Context(), "admin.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.StaffAdminPage(s.page(r, "admin.staff.heading", "staff"), v))
}

func (s *Server) staffAdminView(ctx context.Context) (templates.StaffAdminView, error) {
	admin := staffFrom(ctx)
	list, err := s.staff.List(ctx, admin.TenantID)
	if err != nil {
		return templates.StaffAdminView{}, err
	}
	t, _ := tenantFrom(ctx)
	eservices, err := s.eservices.All(ctx, t.ID)
	if err != nil {
		return templates.StaffAdminView{}, err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	var v templates.StaffAdminView
	for _, role := range staff.Roles {
		v.Roles = append(v.Roles, templates.Choice{Value: role, Label: i18n.T(ctx, "role."+role)})
	}
	for _, m := range list {
		var roles []string
		for _, role := range m.Roles {
			roles = append(roles, i18n.T(ctx, "role."+role))
		}
		row := templates.StaffRow{ID: m.ID.String(), Name: m.Name, EmployeeID: m.EmployeeID, Unit: m.Unit,
			Roles: strings.Join(roles, ", "), Active: m.Active, Self: m.ID == admin.ID}
		for _, e := range eservices {
			row.EServices = append(row.EServices, templates.OptionView{Value: e.ID.String(), Label: e.Title.In(lang), Checked: slices.Contains(m.EServices, e.ID)})
		}
		v.Staff = append(v.Staff, row)
	}
	return v, nil
}

// staffAdminAdd registers a new staff member; a refused form comes back with what was typed.
func (s *Server) staffAdminAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	m := staff.Member{EmployeeID: f.Get("employee_id"), Name: f.Get("name"), Email: strings.TrimSpace(f.Get("email")),
		Unit: strings.TrimSpace(f.Get("unit")), Roles: f["roles"], Restricted: f.Get("restricted") == "yes"}
	_, err := s.staff.AddByAdmin(ctx, staffFrom(ctx), m)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		v, verr := s.staffAdminView(ctx)
		if verr != nil {
			return verr
		}
		v.EmployeeID, v.Name, v.Email, v.Unit = m.EmployeeID, m.Name, m.Email, m.Unit
		for _, fe := range invalid {
			v.Errors = append(v.Errors, templates.FieldMessage{Field: fe.Field, Message: i18n.T(ctx, fe.Key)})
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.StaffAdminPage(s.page(r, "admin.staff.heading", "staff"), v))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/personal?klart=added", http.StatusSeeOther)
	return nil
}

// staffAdminRemove ends a staff member's access.
func (s *Server) staffAdminRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "staff"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := s.staff.RemoveByAdmin(r.Context(), staffFrom(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/personal?klart=removed", http.StatusSeeOther)
	return nil
}

// staffAdminAssign sets which e-services a staff member handles in person.
func (s *Server) staffAdminAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := uuid.Parse(chi.URLParam(r, "staff"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	var eservices []uuid.UUID
	for _, v := range r.PostForm["etjanst"] {
		e, err := uuid.Parse(v)
		if err != nil {
			return apperr.New(apperr.Invalid, "error.staff.eservice")
		}
		eservices = append(eservices, e)
	}
	if err := s.staff.AssignByAdmin(r.Context(), staffFrom(r.Context()), id, eservices); err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/personal?klart=assigned", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/tenant"
	"github.com/minasidor/minasidor/templates"
)

// municipalitySettings shows the municipality's settings to its admin.
func (s *Server) municipalitySettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	settings, err := s.tenants.Settings(ctx, staffFrom(ctx).TenantID)
	if err != nil {
		return err
	}
	v := municipalityView(settings)
	changes, err := s.tenants.History(ctx, settings.TenantID, 100)
	if err != nil {
		return err
	}
	v.Changes = changeRows(r, changes)
	v.Done = doneText(ctx, "municipality.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.MunicipalitySettingsPage(s.page(r, "municipality.settings.heading", "municipality"), v))
}

// municipalitySettingsSave saves the settings; a refused form comes back with what was typed.
func (s *Server) municipalitySettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	admin := staffFrom(ctx)
	in := tenant.Settings{
		TenantID: admin.TenantID,
		Name:     f.Get(tenant.FieldName),
		Code:     f.Get(tenant.FieldCode),
		Contact: tenant.Contact{
			Phone:   f.Get(tenant.FieldContactPhone),
			Email:   f.Get(tenant.FieldContactEmail),
			Address: f.Get(tenant.FieldContactAddress),
			Hours:   f.Get(tenant.FieldContactHours),
		},
		DPO: tenant.DPO{
			Name:  f.Get(tenant.FieldDPOName),
			Email: f.Get(tenant.FieldDPOEmail),
			Phone: f.Get(tenant.FieldDPOPhone),
		},
		Accessibility: form.Text{"sv": f.Get(tenant.FieldAccessibilitySV), "en": f.Get(tenant.FieldAccessibilityEN)},
	}
	err := s.tenants.UpdateSettings(ctx, admin.Actor(), in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		current, err := s.tenants.Settings(ctx, admin.TenantID)
		if err != nil {
			return err
		}
		in.HasLogo, in.UpdatedAt = current.HasLogo, current.UpdatedAt
		return s.municipalityRefused(w, r, in, invalid)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, staffPrefix+"/admin/kommun?klart=saved", http.StatusSeeOther)
	return nil
}

// municipalityRefused shows the settings page again with the form as typed and its errors.
func (s *Server) municipalityRefused(w http.ResponseWriter, r *http.Request, in tenant.Settings, invalid apperr.FieldErrors) error {
	ctx := r.Context()
	v := municipalityView(in)
	for _, fe := range invalid {
		v.Errors = append(v.Errors, templates.FieldMessage{Field: fe.Field, Message: i18n.T(ctx, fe.Key)})
	}
	p := s.page(r, "municipality.settings.heading", "municipality")
	p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	return s.render(w, r, http.StatusUnprocessableEntity, templates.MunicipalitySettingsPage(p, v))
}

func municipalityView(st tenant.Settings) templates.MunicipalitySettingsView {
	v := templates.MunicipalitySettingsView{Form: templates.MunicipalityForm{
		Name:            st.Name,
		Code:            st.Code,
		ContactPhone:    st.Contact.Phone,
		ContactEmail:    st.Contact.Email,
		ContactAddress:  st.Contact.Address,
		ContactHours:    st.Contact.Hours,
		DPOName:         st.DPO.Name,
		DPOEmail:        st.DPO.Email,
		DPOPhone:        st.DPO.Phone,
		AccessibilitySV: st.Accessibility["sv"],
		AccessibilityEN: st.Accessibility["en"],
	}}
	if st.HasLogo {
		v.Logo = "/logotyp?v=" + st.LogoVersion()
	}
	return v
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// eserviceShow is an e-service's start page: what it is, its login rule, and the privacy notice
// that comes before the form.
func (s *Server) eserviceShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	e, err := s.eservices.Published(ctx, t.ID, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.EServiceView{
		Slug:          e.Slug,
		Title:         e.Title.In(lang),
		Description:   e.Description.In(lang),
		Municipality:  e.Municipality,
		LoginRule:     e.LoginRule,
		LoggedIn:      s.citizenID(ctx) != uuid.Nil,
		Anonymous:     e.AnonymousAllowed,
		External:      e.ExternalURL,
		StartDisabled: !e.Startable(),
	}
	for _, f := range []struct {
		key  string
		text string
	}{
		{"privacy.data", e.Privacy.Data.In(lang)},
		{"privacy.purpose", e.Privacy.Purpose.In(lang)},
		{"privacy.legal_basis", e.Privacy.LegalBasis.In(lang)},
		{"privacy.controller", e.Privacy.Controller.In(lang)},
		{"privacy.retention", e.Privacy.Retention.In(lang)},
	} {
		if f.text != "" {
			v.Privacy = append(v.Privacy, templates.Fact{Label: i18n.T(ctx, f.key), Text: f.text})
		}
	}
	p := s.page(r, "eservice.title", "eservices")
	p.Title = v.Title
	return s.render(w, r, http.StatusOK, templates.EServicePage(p, v))
}

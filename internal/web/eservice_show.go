package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
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
	if eservice.PortalPath(e.ExternalURL) { // served by a page of its own, such as the request for public documents
		http.Redirect(w, r, e.ExternalURL, http.StatusFound)
		return nil
	}
	return s.renderEService(w, r, e, http.StatusOK, nil)
}

// renderEService writes an e-service's start page with status: 200, or 409 when a start was
// refused because an operating message closes the e-service or, with refused, because the
// e-service takes one case per person and the person has one.
func (s *Server) renderEService(w http.ResponseWriter, r *http.Request, e eservice.EService, status int, refused *casework.AlreadySubmittedError) error {
	ctx := r.Context()
	p, settings := s.pageSettings(r, "eservice.title", "eservices")
	p.EServiceID = e.ID.String()
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
		Closed:        p.Closed(),
		DPO:           templates.DPOView{Name: settings.DPO.Name, Email: settings.DPO.Email, Phone: settings.DPO.Phone},
	}
	v.Privacy = privacyFacts(ctx, e.Privacy)
	if e.OnceOnly != eservice.OnceNone && e.CurrentVersionID != nil && e.ExternalURL == "" {
		var def *form.Definition
		if e.OnceOnlyField != "" { // the field's label names what counts
			ver, err := s.eservices.Version(ctx, *e.CurrentVersionID)
			if err != nil {
				return err
			}
			def = ver.Definition
		}
		if key, args, ok := e.OnceOnlyBasis(def, lang); ok {
			v.OnceOnly = i18n.T(ctx, key, args...)
		}
	}
	if refused != nil {
		v.OnceRefused = i18n.T(ctx, e.OnceOnlyRefusal())
		if refused.Mine {
			v.ExistingURL, v.ExistingRef = "/arenden/"+refused.CaseID.String(), refused.Reference
		}
	}
	p.Title = v.Title
	return s.render(w, r, status, templates.EServicePage(p, v))
}

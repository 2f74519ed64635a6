package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// publicRequest is the form that asks for public documents: anyone may use it, logged in or not,
// and it asks for no name.
func (s *Server) publicRequest(w http.ResponseWriter, r *http.Request) error {
	return s.renderPublicRequest(w, r, http.StatusOK, url.Values{}, nil)
}

// renderPublicRequest shows the form with the answers as given and their errors.
func (s *Server) renderPublicRequest(w http.ResponseWriter, r *http.Request, status int, f url.Values, errs apperr.FieldErrors) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	list, err := s.eservices.Catalogue(ctx, t.ID, eservice.Filter{})
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.PublicRequestView{
		LoggedIn: s.citizenID(ctx) != uuid.Nil, Errors: fieldMessages(ctx, errs),
		References: f.Get("references"), EService: f.Get("eservice"), From: f.Get("from"), To: f.Get("to"),
		Subject: f.Get("subject"), Delivery: f.Get("delivery"), Email: f.Get("email"), PostalAddress: f.Get("postal_address"),
	}
	for _, e := range list {
		if e.Startable() {
			v.EServices = append(v.EServices, templates.Choice{Value: e.ID.String(), Label: e.Title.In(lang)})
		}
	}
	p := s.page(r, "public.ask.heading", "eservices")
	return s.render(w, r, status, templates.PublicRequestPage(p, v))
}

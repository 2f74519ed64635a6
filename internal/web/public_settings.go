package web

import (
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/templates"
)

// publicSettings is the municipality admin's page of requests for public documents: whether a
// second registrar must approve, the grounds of secrecy registrars choose from, and the log of
// every request's handling (each decision, masking and release), newest first.
func (s *Server) publicSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	set, err := s.disclosure.SettingsOf(ctx, t.ID)
	if err != nil {
		return err
	}
	v := templates.PublicSettingsView{SecondRegistrar: set.SecondRegistrar, Grounds: disclosure.FormatGrounds(set.Grounds),
		Done: doneText(ctx, "public.done", r.URL.Query().Get("klart"))}
	return s.renderPublicSettings(w, r, http.StatusOK, v, nil)
}

func (s *Server) renderPublicSettings(w http.ResponseWriter, r *http.Request, status int, v templates.PublicSettingsView, errs apperr.FieldErrors) error {
	ctx := r.Context()
	log, err := s.disclosure.Log(ctx, staffFrom(ctx), r.URL.Query().Get("efter"), 50)
	if err != nil {
		return err
	}
	for _, e := range log.Events {
		v.Events = append(v.Events, eventView(ctx, e, true))
	}
	if log.Next != "" {
		v.NextURL = staffPrefix + "/admin/allmanna-handlingar?efter=" + url.QueryEscape(log.Next)
	}
	v.Errors = fieldMessages(ctx, errs)
	return s.render(w, r, status, templates.PublicSettingsPage(s.page(r, "public.admin.heading", "public_admin"), v))
}

package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/webhook"
	"github.com/minasidor/minasidor/templates"
)

// webhookCreate registers a webhook and shows its secret, this once, on the page itself (never in
// an address or the session). A refused form comes back with what was typed.
func (s *Server) webhookCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	n := webhook.New{Name: r.PostForm.Get(webhook.FieldName), URL: r.PostForm.Get(webhook.FieldURL), Events: r.PostForm[webhook.FieldEvents]}
	hook, secret, err := s.webhooks.Create(ctx, staffFrom(ctx).Actor(), n)
	var invalid apperr.FieldErrors
	if err != nil && !errors.As(err, &invalid) {
		return err
	}
	status := http.StatusOK
	v, verr := s.integrationsView(ctx, n.Events, nil)
	if verr != nil {
		return verr
	}
	p := s.page(r, "integration.heading", "integrations")
	if len(invalid) > 0 {
		status = http.StatusUnprocessableEntity
		v.WebhookForm = templates.WebhookForm{Name: n.Name, URL: n.URL}
		v.Errors = fieldMessages(ctx, invalid)
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	} else {
		v.Events = uncheck(v.Events)
		v.Secret = &templates.SecretView{Heading: i18n.T(ctx, "integration.webhook.added", hook.Name), Label: i18n.T(ctx, "integration.webhook.secret"),
			Value: secret, Hint: i18n.T(ctx, "integration.secret.once")}
	}
	return s.render(w, r, status, templates.IntegrationsPage(p, v))
}

// uncheck returns the options with none checked.
func uncheck(opts []templates.OptionView) []templates.OptionView {
	for i := range opts {
		opts[i].Checked = false
	}
	return opts
}

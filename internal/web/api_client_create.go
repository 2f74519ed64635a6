package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// apiClientCreate makes an API client and shows its key, this once, on the page itself. A
// refused form comes back with what was typed.
func (s *Server) apiClientCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	typed := templates.APIClientForm{Name: r.PostForm.Get(apiclient.FieldName), RateLimit: strings.TrimSpace(r.PostForm.Get(apiclient.FieldRateLimit))}
	n := apiclient.New{Name: typed.Name, Scopes: r.PostForm[apiclient.FieldScopes]}
	var err error
	if n.RateLimit, err = strconv.Atoi(typed.RateLimit); err != nil {
		n.RateLimit = 0 // refused by the check, with its message
	}
	c, key, err := s.apiClients.Create(ctx, staffFrom(ctx).Actor(), n)
	var invalid apperr.FieldErrors
	if err != nil && !errors.As(err, &invalid) {
		return err
	}
	v, verr := s.integrationsView(ctx, nil, n.Scopes)
	if verr != nil {
		return verr
	}
	status := http.StatusOK
	p := s.page(r, "integration.heading", "integrations")
	if len(invalid) > 0 {
		status = http.StatusUnprocessableEntity
		v.ClientForm = typed
		v.Errors = fieldMessages(ctx, invalid)
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	} else {
		v.Scopes = uncheck(v.Scopes)
		v.Secret = &templates.SecretView{Heading: i18n.T(ctx, "integration.client.added", c.Name), Label: i18n.T(ctx, "integration.client.key"),
			Value: key, Hint: i18n.T(ctx, "integration.secret.once")}
	}
	return s.render(w, r, status, templates.IntegrationsPage(p, v))
}

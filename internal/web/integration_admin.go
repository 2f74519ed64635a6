package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/webhook"
	"github.com/minasidor/minasidor/templates"
)

// integrationsPath is the municipality admin's page of webhooks and API clients.
const integrationsPath = staffPrefix + "/admin/integrationer"

// integrations shows the municipality's webhooks and API clients, with a form to add each.
func (s *Server) integrations(w http.ResponseWriter, r *http.Request) error {
	v, err := s.integrationsView(r.Context(), nil, nil)
	if err != nil {
		return err
	}
	v.Done = doneText(r.Context(), "integration.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.IntegrationsPage(s.page(r, "integration.heading", "integrations"), v))
}

// integrationsView is the page's view, with the events and scopes checked as typed.
func (s *Server) integrationsView(ctx context.Context, events, scopes []string) (templates.IntegrationsView, error) {
	tenantID := staffFrom(ctx).TenantID
	hooks, err := s.webhooks.List(ctx, tenantID)
	if err != nil {
		return templates.IntegrationsView{}, err
	}
	clients, err := s.apiClients.List(ctx, tenantID)
	if err != nil {
		return templates.IntegrationsView{}, err
	}
	v := templates.IntegrationsView{
		ClientForm:    templates.APIClientForm{RateLimit: strconv.Itoa(apiclient.DefaultRateLimit)},
		OpenAPIURL:    apiPrefix + "/openapi.yaml",
		APIURL:        strings.TrimRight(s.cfg.BaseURL.String(), "/") + apiPrefix,
		ReplayMinutes: strconv.Itoa(int(webhook.ReplayWindow.Minutes())),
	}
	for _, w := range hooks {
		v.Webhooks = append(v.Webhooks, webhookRow(ctx, w))
	}
	for _, c := range clients {
		row := templates.APIClientRow{ID: c.ID.String(), Name: c.Name, Scopes: strings.Join(c.Scopes, ", "),
			RateLimit: i18n.T(ctx, "integration.client.perminute", c.RateLimit),
			Created:   stamp(c.CreatedAt, c.CreatedBy), LastUsed: i18n.T(ctx, "integration.client.never"), Revoked: c.Revoked}
		if c.LastUsedAt != nil {
			row.LastUsed = i18n.DateTime(*c.LastUsedAt)
		}
		v.Clients = append(v.Clients, row)
	}
	for _, e := range webhook.Events {
		v.Events = append(v.Events, templates.OptionView{Value: e, Label: i18n.T(ctx, "integration.event."+e), Checked: slices.Contains(events, e)})
	}
	for _, sc := range apiclient.Scopes {
		v.Scopes = append(v.Scopes, templates.OptionView{Value: sc, Label: sc + " – " + i18n.T(ctx, "integration.scope."+strings.ReplaceAll(sc, ":", "_")),
			Checked: slices.Contains(scopes, sc)})
	}
	return v, nil
}

// webhookRow shows a webhook.
func webhookRow(ctx context.Context, w webhook.Webhook) templates.WebhookRow {
	var events []string
	for _, e := range w.Events {
		events = append(events, i18n.T(ctx, "integration.event."+e))
	}
	return templates.WebhookRow{ID: w.ID.String(), Name: w.Name, URL: w.URL, Events: strings.Join(events, ", "), Created: stamp(w.CreatedAt, w.CreatedBy)}
}

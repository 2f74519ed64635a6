package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/webhook"
	"github.com/minasidor/minasidor/templates"
)

// webhookLog is a webhook's delivery log, newest first, a page at a time, each delivery with a
// button that sends it again.
func (s *Server) webhookLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "webhook"))
	if err != nil {
		return apperr.New(apperr.NotFound, "")
	}
	tenantID := staffFrom(ctx).TenantID
	hook, err := s.webhooks.Get(ctx, tenantID, id)
	if err != nil {
		return err
	}
	page, err := s.webhooks.Deliveries(ctx, tenantID, id, r.URL.Query().Get("efter"), 50)
	if err != nil {
		return err
	}
	v := templates.WebhookLogView{Webhook: webhookRow(ctx, hook), Removed: hook.Removed,
		Done: doneText(ctx, "integration.done", r.URL.Query().Get("klart"))}
	if page.Next != "" {
		v.Next = r.URL.Path + "?efter=" + url.QueryEscape(page.Next)
	}
	for _, d := range page.Deliveries {
		row := templates.DeliveryRow{ID: d.ID.String(), Event: i18n.T(ctx, "integration.event."+d.Type), Reference: d.Reference,
			Created: i18n.DateTime(d.CreatedAt), State: i18n.T(ctx, "integration.state."+d.State), Failed: d.State == webhook.StateFailed,
			Attempts: strconv.Itoa(d.Attempts)}
		if d.LastAttemptAt != nil {
			row.LastAttempt = i18n.DateTime(*d.LastAttemptAt)
		}
		switch {
		case d.LastStatus != nil:
			row.Result = fmt.Sprintf("HTTP %d", *d.LastStatus)
		case d.LastError != "":
			row.Result = i18n.T(ctx, "integration.log.noanswer")
		}
		v.Deliveries = append(v.Deliveries, row)
	}
	p := s.page(r, "integration.heading", "integrations")
	p.Title = i18n.T(ctx, "integration.log.heading", hook.Name)
	return s.render(w, r, http.StatusOK, templates.WebhookLogPage(p, v))
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// registryQueue is the registrars' queue of requests for public documents: the open ones oldest
// first, with how long each has waited, or the answered ones.
func (s *Server) registryQueue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	tab := q.Get("flik")
	if !slices.Contains(disclosure.Tabs, tab) {
		tab = disclosure.TabOpen
	}
	page, err := s.disclosure.Queue(ctx, staffFrom(ctx), tab, q.Get("efter"), 25)
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.RegistryQueueView{Tab: tab}
	for _, t := range disclosure.Tabs {
		v.Tabs = append(v.Tabs, templates.Choice{Value: t, Label: i18n.T(ctx, "public.tab."+t)})
	}
	now := s.now()
	for _, l := range page.Requests {
		waited := now.Sub(l.CreatedAt)
		if l.DecidedAt != nil {
			waited = l.DecidedAt.Sub(l.CreatedAt)
		}
		v.Rows = append(v.Rows, templates.RegistryRow{
			URL: staffPrefix + "/registratur/" + l.ID.String(), Reference: l.Reference,
			Received: i18n.DateTime(l.CreatedAt), Waited: waitedText(ctx, waited), Asked: askedSummary(l.Request, lang),
			Delivery: i18n.T(ctx, "public.delivery."+l.Delivery), State: i18n.T(ctx, "public.state.registry."+l.State),
			Documents: l.Documents,
		})
	}
	if page.Next != "" {
		v.NextURL = staffPrefix + "/registratur?flik=" + tab + "&efter=" + url.QueryEscape(page.Next)
	}
	return s.render(w, r, http.StatusOK, templates.RegistryQueuePage(s.page(r, "public.registry.heading", "registry"), v))
}

// waitedText is a time a request waited, to the hour once it is a day or more, else to the minute.
func waitedText(ctx context.Context, d time.Duration) string {
	if d >= 24*time.Hour {
		d = d.Truncate(time.Hour)
	} else {
		d = d.Truncate(time.Minute)
	}
	if d < time.Minute {
		d = time.Minute
	}
	return i18n.Duration(ctx, d)
}

// askedSummary says in one short line what a request asks for.
func askedSummary(q disclosure.Request, lang string) string {
	var parts []string
	if len(q.AskedRefs) > 0 {
		parts = append(parts, strings.Join(q.AskedRefs, ", "))
	}
	if q.EServiceID != nil {
		parts = append(parts, q.EService.In(lang))
	}
	if q.Subject != "" {
		subject := strings.Join(strings.Fields(q.Subject), " ")
		if utf8.RuneCountInString(subject) > 80 {
			subject = string([]rune(subject)[:80]) + "…"
		}
		parts = append(parts, subject)
	}
	return strings.Join(parts, " · ")
}

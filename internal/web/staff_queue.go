package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// staffQueue is a caseworker's queue: the cases of the e-services they handle, by tab, filtered
// by e-service, status and date, newest first and paged by key; or a search, which finds a case by
// its reference among other things. A protected identity's name is never shown in it.
func (s *Server) staffQueue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m := staffFrom(ctx)
	q := r.URL.Query()
	tab := q.Get("flik")
	if !slices.Contains(casework.Tabs, tab) {
		tab = casework.TabMine
	}
	eserviceID, _ := uuid.Parse(q.Get("etjanst"))
	search := strings.TrimSpace(q.Get("sok"))
	qq := casework.QueueQuery{Member: m, Tab: tab, EServiceID: eserviceID, After: q.Get("efter"),
		StatusKey: q.Get("status"), Oldest: q.Get("sortera") == "aldsta", Limit: 25}
	qq.From, _ = time.ParseInLocation(time.DateOnly, q.Get("fran"), i18n.Stockholm)
	if to, err := time.ParseInLocation(time.DateOnly, q.Get("till"), i18n.Stockholm); err == nil {
		qq.To = to.AddDate(0, 0, 1) // the whole last day
	}
	// A search is a read of the cases it finds; the log gets that it happened, never the terms.
	work, err := s.cases.Workload(ctx, qq, search)
	if err != nil {
		return err
	}
	page, handled, statuses := work.Page, work.Handled, work.Statuses
	v := templates.QueueView{Tab: tab, Search: search,
		Status: q.Get("status"), From: q.Get("fran"), To: q.Get("till"), Oldest: q.Get("sortera") == "aldsta"}
	for _, st := range statuses {
		v.Statuses = append(v.Statuses, templates.Choice{Value: st.Key, Label: st.Label.In(string(i18n.FromContext(ctx).Lang))})
	}
	if eserviceID != uuid.Nil {
		v.EService = eserviceID.String()
	}
	for _, t := range casework.Tabs {
		v.Tabs = append(v.Tabs, templates.Choice{Value: t, Label: i18n.T(ctx, "queue.tab."+t)})
	}
	for _, e := range handled {
		v.EServices = append(v.EServices, templates.Choice{Value: e.ID.String(), Label: e.Title})
	}
	for _, row := range page.Rows {
		v.Rows = append(v.Rows, queueRow(ctx, row))
	}
	if page.Next != "" {
		next := url.Values{"flik": {tab}, "efter": {page.Next}}
		for _, k := range []string{"status", "fran", "till", "sortera"} {
			if q.Get(k) != "" {
				next.Set(k, q.Get(k))
			}
		}
		if search != "" {
			next.Set("sok", search)
		}
		if eserviceID != uuid.Nil {
			next.Set("etjanst", eserviceID.String())
		}
		v.NextURL = staffPrefix + "/arenden?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, templates.QueuePage(s.page(r, "queue.heading", "staff"), v))
}

// queueRow is a case as the queue lists it.
func queueRow(ctx context.Context, row casework.QueueRow) templates.QueueRowView {
	return templates.QueueRowView{
		URL: staffPrefix + "/arenden/" + row.ID.String(), Reference: row.Reference, EService: row.EService,
		Submitted: i18n.DateTime(row.SubmittedAt), Status: statusText(ctx, row.StatusLabel, row.Status), Assignee: row.Assignee,
		Citizen: row.Citizen, Protected: row.Protected, Anonymous: row.Anonymous, Flagged: row.Flagged,
	}
}

// statusText is the e-service's name of a status, or the name of its type.
func statusText(ctx context.Context, label form.Text, typ string) string {
	if len(label) > 0 {
		return label.In(string(i18n.FromContext(ctx).Lang))
	}
	return i18n.T(ctx, "status."+typ)
}

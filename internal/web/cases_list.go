package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// SortCookie remembers how the citizen sorts their cases.
const SortCookie = "minasidor_sort"

// casesList is Mina ärenden: drafts, then the ongoing or the closed cases of every municipality,
// sorted as the citizen chose and paged by key.
func (s *Server) casesList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	accountID := s.citizenID(ctx)
	q := r.URL.Query()
	sort := q.Get("sortera")
	if slices.Contains(casework.Sorts, sort) {
		http.SetCookie(w, &http.Cookie{Name: SortCookie, Value: sort, Path: "/mina-sidor", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.IsProduction(), SameSite: http.SameSiteLaxMode})
	} else if c, err := r.Cookie(SortCookie); err == nil && slices.Contains(casework.Sorts, c.Value) {
		sort = c.Value
	} else {
		sort = casework.SortNewest
	}
	closed := q.Get("visa") == "avslutade"

	page, err := s.cases.CasesPage(ctx, casework.ListQuery{AccountID: accountID, Closed: closed, Sort: sort, After: q.Get("efter")})
	if err != nil {
		return err
	}
	v := templates.CasesView{Closed: closed, Sort: sort}
	v.Drafts = draftItems(ctx, page.Drafts)
	for _, so := range casework.Sorts {
		v.Sorts = append(v.Sorts, templates.Choice{Value: so, Label: i18n.T(ctx, "cases.sort."+so)})
	}
	since := s.previousLogin(ctx)
	for _, c := range page.Cases {
		v.Cases = append(v.Cases, caseRow(ctx, c, since))
	}
	if page.Next != "" {
		next := url.Values{"efter": {page.Next}}
		if closed {
			next.Set("visa", "avslutade")
		}
		v.NextURL = "/mina-sidor/arenden?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, templates.CasesPage(s.page(r, "cases.heading", "mypages"), v))
}

// caseRow is a case as Mina ärenden lists it, marked changed when it changed after since (the
// citizen's previous login; nil marks none).
func caseRow(ctx context.Context, c casework.Listed, since *time.Time) templates.CaseRow {
	latest := ""
	if c.LatestEvent != "" {
		latest = i18n.T(ctx, "event."+c.LatestEvent)
	}
	return templates.CaseRow{
		URL:          "/arenden/" + c.ID.String(),
		Reference:    c.Reference,
		EService:     c.Title.In(string(i18n.FromContext(ctx).Lang)),
		Municipality: c.Municipality,
		Submitted:    i18n.DateTime(c.SubmittedAt),
		Status:       statusText(ctx, c.StatusLabel, c.Status),
		LatestEvent:  latest,
		Changed:      since != nil && c.UpdatedAt.After(*since),
		Unread:       c.Unread,
	}
}

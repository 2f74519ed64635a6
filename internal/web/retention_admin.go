package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// retentionAdmin is the municipality admin's page of retention: the municipality's draft and
// audit retention, every deletion that retention and citizens' erasure made (newest first, paged
// by key), and the latest security events with their addresses.
func (s *Server) retentionAdmin(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderRetentionAdmin(w, r, http.StatusOK, q.Get("efter"), nil, nil, q.Get("sparat") == "1")
}

// renderRetentionAdmin shows the page; form, when given, is what the admin typed.
func (s *Server) renderRetentionAdmin(w http.ResponseWriter, r *http.Request, status int, after string, form url.Values, errs apperr.FieldErrors, saved bool) error {
	ctx := r.Context()
	o, err := s.retention.Overview(ctx, staffFrom(ctx).TenantID, after)
	if err != nil {
		return err
	}
	l := lang(ctx)
	v := templates.RetentionAdminView{DraftDays: strconv.Itoa(o.Settings.DraftDays), AuditMonths: strconv.Itoa(o.Settings.AuditMonths),
		AddressDays: int(s.retention.AddressRetention() / (24 * time.Hour)), Errors: fieldMessages(ctx, errs), Saved: saved}
	if form != nil {
		v.DraftDays, v.AuditMonths = form.Get("draft_days"), form.Get("audit_months")
	}
	for _, d := range o.Deletions.Deletions {
		row := templates.DeletionRow{At: i18n.DateTime(d.At), Kind: i18n.T(ctx, "rights.deletion."+d.Kind), EService: d.EService.In(l),
			Reference: d.Reference, Rule: i18n.T(ctx, "rights.rule."+d.Rule)}
		if d.Count > 1 {
			row.Kind = i18n.T(ctx, "rights.deletion.count", row.Kind, d.Count)
		}
		for _, k := range []string{"months", "days"} {
			if n, ok := d.Detail[k].(float64); ok {
				row.Rule += " (" + i18n.T(ctx, "rights.rule."+k, int(n)) + ")"
			}
		}
		v.Deletions = append(v.Deletions, row)
	}
	if o.Deletions.Next != "" {
		v.More = "/personal/admin/gallring?efter=" + url.QueryEscape(o.Deletions.Next) + "#deletions-heading"
	}
	for _, e := range o.Events {
		row := templates.SecurityRow{At: i18n.DateTime(e.At), Kind: i18n.T(ctx, "rights.security."+e.Kind), Reason: e.Reason, Path: e.Method + " " + e.Path}
		if e.Addr.IsValid() {
			row.Addr = e.Addr.String()
		} else {
			row.Addr = i18n.T(ctx, "rights.admin.addr.removed")
		}
		v.Events = append(v.Events, row)
	}
	p := s.page(r, "rights.admin.heading", "retention")
	if len(errs) > 0 {
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.RetentionAdminPage(p, v))
}

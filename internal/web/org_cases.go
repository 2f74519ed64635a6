package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// orgCases is "Företagets ärenden": the organisation's cases and drafts from every municipality,
// with who acted for it on each, for a person who may act for it now. One who no longer may (no
// longer a signatory in the register) is refused.
func (s *Server) orgCases(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.orgs.ForRepresentative(ctx, s.citizenID(ctx), chi.URLParam(r, "kind"), chi.URLParam(r, "number"))
	if err != nil {
		return err
	}
	l := lang(ctx)
	o := d.Organisation
	v := templates.OrgCasesView{Heading: i18n.T(ctx, "org.cases.heading."+o.Kind, o.Name), Name: o.Name, Formatted: o.Formatted(), Kind: i18n.T(ctx, "audience."+o.Kind)}
	for _, c := range d.Cases {
		v.Cases = append(v.Cases, templates.OrgCaseItem{Title: c.EService.In(l), Municipality: c.Municipality, Reference: c.Reference,
			Status: i18n.T(ctx, "status."+c.Status), When: i18n.DateTime(c.At), ActedBy: c.ActedBy, URL: "/arenden/" + c.ID.String()})
	}
	for _, dr := range d.Drafts {
		v.Drafts = append(v.Drafts, templates.OrgCaseItem{Title: dr.EService.In(l), Municipality: dr.Municipality,
			When: i18n.DateTime(dr.At), ActedBy: dr.ActedBy})
	}
	p := s.page(r, "org.heading", "mypages")
	p.Title = v.Heading
	return s.render(w, r, http.StatusOK, templates.OrgCasesPage(p, v))
}

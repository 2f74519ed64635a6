package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/templates"
)

// orgList is "Företag och föreningar": the companies the citizen is an authorised signatory of
// (from the companies register) and the associations they declared, to act for one; and the
// form to declare an association.
func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.orgView(r, url.Values{}, nil)
	if err != nil {
		return err
	}
	v.Done = doneText(r.Context(), "org.done", r.URL.Query().Get("klart"))
	return s.render(w, r, http.StatusOK, templates.OrgPage(s.page(r, "org.heading", "mypages"), v))
}

// orgView is the page with the declaration's inputs f, as posted.
func (s *Server) orgView(r *http.Request, f url.Values, errs apperr.FieldErrors) (templates.OrgView, error) {
	ctx := r.Context()
	c, err := s.orgs.ChoicesOf(ctx, s.citizenID(ctx))
	if err != nil {
		return templates.OrgView{}, err
	}
	v := templates.OrgView{Unavailable: c.Unavailable, Errors: fieldMessages(ctx, errs), Values: map[string]string{}}
	for k := range f {
		v.Values[k] = f.Get(k)
	}
	acting := s.actingFor(ctx)
	if acting != nil {
		v.Acting = acting.Name
	}
	if slug := r.URL.Query().Get("etjanst"); slug != "" {
		t, _ := tenantFrom(ctx)
		if e, err := s.eservices.Published(ctx, t.ID, slug); err == nil {
			v.For = e.Title.In(lang(ctx))
		}
	}
	item := func(o organisation.Organisation) templates.OrgItem {
		it := templates.OrgItem{Kind: o.Kind, Number: o.Number, Name: o.Name, Formatted: o.Formatted(),
			Acting:   acting != nil && acting.Kind == o.Kind && acting.Number == o.Number,
			CasesURL: "/mina-sidor/organisationer/" + o.Kind + "/" + o.Number, CasesLabel: i18n.T(ctx, "org.cases.link."+o.Kind)}
		switch {
		case o.Kind == organisation.Association && o.Refused:
			it.Note, it.Refused = i18n.T(ctx, "orgcheck.note.refused"), true
		case o.Kind == organisation.Association && o.Confirmed:
			it.Note = i18n.T(ctx, "orgcheck.note.confirmed")
		case o.Kind == organisation.Association:
			it.Note = i18n.T(ctx, "org.note.declared")
		case o.Jointly > 1:
			it.Note = i18n.T(ctx, "org.note.jointly", o.Jointly)
		default:
			it.Note = i18n.T(ctx, "org.note.alone")
		}
		return it
	}
	for _, o := range c.Companies {
		v.Companies = append(v.Companies, item(o))
	}
	for _, o := range c.Associations {
		v.Associations = append(v.Associations, item(o))
	}
	return v, nil
}

// orgName is the name of the organisation acted for, the address of its cases and the link's
// text, for a banner.
func (s *Server) orgName(ctx context.Context) (name, casesURL, casesLabel string) {
	if o := s.actingFor(ctx); o != nil {
		return o.Name, "/mina-sidor/organisationer/" + o.Kind + "/" + o.Number, i18n.T(ctx, "org.cases.link."+o.Kind)
	}
	return "", "", ""
}

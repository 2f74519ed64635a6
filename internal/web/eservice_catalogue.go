package web

import (
	"net/http"
	"slices"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// eserviceCatalogue lists the municipality's published e-services, searchable and filterable.
func (s *Server) eserviceCatalogue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	lang := string(i18n.FromContext(ctx).Lang)
	q := r.URL.Query()
	f := eservice.Filter{Query: q.Get("q"), Audience: q.Get("malgrupp"), Category: q.Get("kategori")}
	if !slices.Contains(eservice.Audiences, f.Audience) {
		f.Audience = ""
	}
	if !slices.Contains(eservice.Categories, f.Category) {
		f.Category = ""
	}
	list, err := s.eservices.Catalogue(ctx, t.ID, f)
	if err != nil {
		return err
	}
	p := s.page(r, "catalogue.heading", "eservices")
	closed := map[string]bool{} // the e-services an operating message the page has read closes now
	for _, b := range p.Bulletins {
		if b.Closes {
			closed[b.EServiceID] = true
		}
	}
	v := templates.CatalogueView{Query: f.Query, Audience: f.Audience, Category: f.Category}
	for _, a := range eservice.Audiences {
		v.Audiences = append(v.Audiences, templates.Choice{Value: a, Label: i18n.T(ctx, "audience."+a)})
	}
	for _, c := range eservice.Categories {
		v.Categories = append(v.Categories, templates.Choice{Value: c, Label: i18n.T(ctx, "category."+c)})
	}
	for _, e := range list {
		card := templates.ServiceCard{
			Title:       e.Title.In(lang),
			Description: e.Description.In(lang),
			URL:         "/e-tjanster/" + e.Slug,
			External:    e.ExternalURL != "" && !eservice.PortalPath(e.ExternalURL),
			LoginLabel:  i18n.T(ctx, "login."+e.LoginRule),
			Category:    i18n.T(ctx, "category."+e.Category),
			Closed:      closed[e.ID.String()],
		}
		if e.ExternalURL != "" {
			card.URL = e.ExternalURL // another system, or a page of the portal
		}
		v.Services = append(v.Services, card)
	}
	return s.render(w, r, http.StatusOK, templates.CataloguePage(p, v))
}

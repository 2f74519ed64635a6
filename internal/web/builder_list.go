package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderList lists the municipality's e-services for its e-service admins, with the form that
// creates a new one.
func (s *Server) builderList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.builderListView(r, templates.BuilderListView{})
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("klart"); done == "archived" {
		v.Done = doneText(r.Context(), "builder.done", done)
	}
	return s.render(w, r, http.StatusOK, templates.BuilderListPage(s.page(r, "builder.list.heading", "eservice_admin"), v))
}

// builderListView fills v's list and choices, keeping what v's create form holds.
func (s *Server) builderListView(r *http.Request, v templates.BuilderListView) (templates.BuilderListView, error) {
	ctx := r.Context()
	list, err := s.eservices.ForAdmin(ctx, staffFrom(ctx).TenantID)
	if err != nil {
		return v, err
	}
	for _, e := range list {
		v.EServices = append(v.EServices, templates.BuilderRow{ID: e.ID.String(), Title: e.Title.In(lang(ctx)), State: e.State,
			StateText: i18n.T(ctx, "builder.state."+e.State), Version: e.Version, HasDraft: e.HasDraft, Updated: i18n.DateTime(e.UpdatedAt)})
	}
	for _, c := range eservice.Categories {
		v.Categories = append(v.Categories, templates.Choice{Value: c, Label: i18n.T(ctx, "category."+c)})
	}
	return v, nil
}

package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// page returns what the layout needs for this request.
func (s *Server) page(r *http.Request, titleKey, section string) templates.Page {
	ctx := r.Context()
	p := templates.Page{
		Title:        i18n.T(ctx, titleKey),
		Lang:         string(i18n.FromContext(ctx).Lang),
		Municipality: i18n.T(ctx, "layout.product"),
		Path:         r.URL.RequestURI(),
		Section:      section,
		User:         s.user(ctx),
	}
	if r.Method != http.MethodGet {
		p.Path = r.URL.Path // a page shown for a post: the language switch must not repeat the post
	}
	if m := staffFrom(ctx); m.ID != uuid.Nil {
		p.StaffName, p.User = m.Name, nil
	}
	if t, ok := tenantFrom(ctx); ok {
		p.Municipality = t.Name
	}
	return p
}

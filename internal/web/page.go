package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/tenant"
	"github.com/minasidor/minasidor/templates"
)

// page returns what the layout needs for this request.
func (s *Server) page(r *http.Request, titleKey, section string) templates.Page {
	p, _ := s.pageSettings(r, titleKey, section)
	return p
}

// pageSettings is page with the municipality's settings, for the pages that show more of them
// (the accessibility statement, the data protection officer). The settings come with the
// municipality (see locale); the operating messages shown now are read here, in one query. A
// failure to read them leaves them out: the page, which may be an error page, is shown anyway.
func (s *Server) pageSettings(r *http.Request, titleKey, section string) (templates.Page, tenant.Settings) {
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
		p.StaffRoles = m.Roles
	}
	t, ok := tenantFrom(ctx)
	if !ok {
		return p, tenant.Settings{}
	}
	p.Municipality = t.Name
	settings, _ := tenantSettings(ctx)
	if settings.HasLogo {
		p.Logo = "/logotyp?v=" + settings.LogoVersion()
	}
	c := settings.Contact
	p.Contact = templates.Contact{Phone: c.Phone, Email: c.Email, Address: c.Address, Hours: c.Hours}

	msgs, err := s.bulletins.Active(ctx, t.ID, s.now())
	if err != nil {
		s.pageReadFailed(r, "operating messages", err)
	}
	for _, m := range msgs {
		b := templates.Bulletin{Text: m.Text.In(p.Lang), Closes: m.Closes}
		if m.EServiceID != nil {
			b.EServiceID = m.EServiceID.String()
		}
		p.Bulletins = append(p.Bulletins, b)
	}
	return p, settings
}

// pageReadFailed logs a failed read of what the layout shows, unless the request was given up.
func (s *Server) pageReadFailed(r *http.Request, what string, err error) {
	ctx := r.Context()
	if ctx.Err() != nil {
		return
	}
	s.log.WarnContext(ctx, "page: read "+what, "err", err, "request_id", requestID(ctx), "path", r.URL.Path)
}

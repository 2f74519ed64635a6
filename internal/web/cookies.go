package web

import (
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// cookies describes every cookie the site sets. A new cookie must be added here.
func (s *Server) cookies(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list := []templates.Cookie{
		{Name: SessionCookie, Purpose: i18n.T(ctx, "cookies.session.purpose"),
			Lifetime: i18n.T(ctx, "cookies.session.lifetime", i18n.Duration(ctx, s.cfg.SessionIdleTimeout))},
		{Name: LoginCookie, Purpose: i18n.T(ctx, "cookies.login.purpose"), Lifetime: i18n.T(ctx, "cookies.login.lifetime")},
		{Name: OriginCookie, Purpose: i18n.T(ctx, "cookies.loginstart.purpose"), Lifetime: i18n.T(ctx, "cookies.loginstart.lifetime")},
		{Name: SignCookie, Purpose: i18n.T(ctx, "cookies.sign.purpose"), Lifetime: i18n.T(ctx, "cookies.sign.lifetime")},
		{Name: SortCookie, Purpose: i18n.T(ctx, "cookies.sort.purpose"), Lifetime: i18n.T(ctx, "cookies.lang.lifetime")},
		{Name: LangCookie, Purpose: i18n.T(ctx, "cookies.lang.purpose"), Lifetime: i18n.T(ctx, "cookies.lang.lifetime")},
	}
	return s.render(w, r, http.StatusOK, templates.CookiesPage(s.page(r, "cookies.title", ""), list, int(s.cfg.AddressRetention/(24*time.Hour))))
}

package web

import (
	"context"
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/tenant"
)

// LangCookie remembers the language the user chose.
const LangCookie = "minasidor_lang"

type tenantKey struct{}

// requestTenant is the request's municipality with its settings.
type requestTenant struct {
	tenant.Tenant
	settings tenant.Settings
}

func tenantFrom(ctx context.Context) (tenant.Tenant, bool) {
	t, ok := ctx.Value(tenantKey{}).(requestTenant)
	return t.Tenant, ok
}

// tenantSettings are the settings of the request's municipality, as read with it.
func tenantSettings(ctx context.Context) (tenant.Settings, bool) {
	t, ok := ctx.Value(tenantKey{}).(requestTenant)
	return t.settings, ok
}

// locale puts the request's language and municipality in its context. The language is the one
// the user chose, or Swedish; the municipality comes from the host name, or the default.
func (s *Server) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := i18n.Default
		if c, err := r.Cookie(LangCookie); err == nil {
			if l, ok := i18n.Parse(c.Value); ok {
				lang = l
			}
		}
		ctx := i18n.WithPrinter(r.Context(), s.catalogue.Printer(lang))
		t, settings, err := s.tenants.Resolve(ctx, r.Host, s.cfg.DefaultTenant)
		if err != nil {
			s.fail(w, r.WithContext(ctx), err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, tenantKey{}, requestTenant{t, settings})))
	})
}

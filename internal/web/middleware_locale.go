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

func tenantFrom(ctx context.Context) (tenant.Tenant, bool) {
	t, ok := ctx.Value(tenantKey{}).(tenant.Tenant)
	return t, ok
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
		r = r.WithContext(ctx)

		t, err := s.tenants.Resolve(ctx, r.Host, s.cfg.DefaultTenant)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, tenantKey{}, t)))
	})
}

package web

import (
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/security"
)

// contentSecurityPolicy allows only our own scripts, styles, images and forms: no inline script
// or style, no framing.
var contentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'",
	"base-uri 'none'",
	"object-src 'none'",
}, "; ")

// secureHeaders sets the security headers on every response.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	headers := http.Header{}
	headers.Set("Content-Security-Policy", contentSecurityPolicy)
	headers.Set("X-Content-Type-Options", "nosniff")
	headers.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	headers.Set("X-Frame-Options", "DENY")
	headers.Set("Cross-Origin-Opener-Policy", "same-origin")
	headers.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.cfg.IsProduction() {
		headers.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Every response shares the values, made once: a slice of one, which Set replaces and
		// Add copies before it appends, so no response changes another's.
		h := w.Header()
		for k, v := range headers {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses request bodies over n bytes: at once when the declared length is over, and
// while reading otherwise (the handler's read fails with *http.MaxBytesError, which the adapter
// maps to 413).
func (s *Server) limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				s.fail(w, r, apperr.New(apperr.TooLarge, ""))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// crossOrigin refuses unsafe requests (POST, PUT, DELETE...) that a browser made on behalf of
// another site, using Fetch metadata and the Origin header.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if s.cfg.BaseURL != nil {
		// The configured address is ours even when a proxy in front changes the Host header.
		_ = cop.AddTrustedOrigin(s.cfg.BaseURL.Scheme + "://" + s.cfg.BaseURL.Host)
	}
	// The IdP posts its answer from its own site. The assertion consumer is protected by the signed
	// response and the login's browser binding instead.
	cop.AddInsecureBypassPattern("POST /saml/acs")
	cop.AddInsecureBypassPattern("POST " + staffPrefix + "/saml/acs")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.securityEvent(r, security.ForgedRequest, "cross_origin")
		s.fail(w, r, apperr.New(apperr.Forbidden, "error.403.crossorigin"))
	}))
	return cop.Handler(next)
}

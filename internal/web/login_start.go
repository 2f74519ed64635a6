package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/security"
)

// Login cookies. LoginCookie binds the SAML exchange to the browser on the installation's host;
// OriginCookie binds a login to the browser on the municipality host it started on, until the
// exchange hands it back there.
const (
	LoginCookie  = "minasidor_login"
	OriginCookie = "minasidor_login_start"
)

// loginWho says whose login a request is part of, for the metrics: "staff" or "citizen".
func loginWho(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, staffPrefix+"/") {
		return "staff"
	}
	return "citizen"
}

func loginPath(ret string) string { return "/login?return=" + url.QueryEscape(ret) }

// loginStart starts a citizen's login on the host they are on, remembering where to return.
func (s *Server) loginStart(w http.ResponseWriter, r *http.Request) error {
	ret := safeReturnPath(r.URL.Query().Get("return"))
	if ret == "/" {
		ret = "/mina-sidor"
	}
	if s.citizenID(r.Context()) != uuid.Nil {
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return nil
	}
	return s.startLogin(w, r, auth.StartInput{Provider: auth.Citizen, ReturnPath: ret}, s.citizen)
}

// startLogin makes a pending login for the browser on this host. Started on the installation's
// host, it goes on to the IdP at once (sp.Begin); started on a municipality's host, the browser
// is bound to it here and sent on to the installation's host, which begins the SAML exchange.
func (s *Server) startLogin(w http.ResponseWriter, r *http.Request, in auth.StartInput, sp *auth.ServiceProvider) error {
	ctx := r.Context()
	in.Host, in.ClientAddr = r.Host, s.clientAddr(r)
	if c, err := r.Cookie(OriginCookie); err == nil {
		in.Previous = c.Value
	}
	started, err := s.logins.Start(ctx, in)
	if errors.Is(err, &apperr.Error{Kind: apperr.TooMany}) {
		s.metrics.LoginRefused(loginWho(r), "too_many")
		s.securityEvent(r, security.LoginLimited, "pending_logins")
	}
	if err != nil {
		return err
	}
	if !started.Direct {
		if started.Binding != "" {
			http.SetCookie(w, s.loginCookie(OriginCookie, auth.LoginPath(in.Provider), started.Binding, 600))
		}
		http.Redirect(w, r, started.Next, http.StatusSeeOther)
		return nil
	}
	return s.beginSAML(w, r, sp, started.Handle)
}

// beginSAML makes the SAML request of a pending login and sends the browser to the IdP, bound
// to this browser by a cookie on the installation's host.
func (s *Server) beginSAML(w http.ResponseWriter, r *http.Request, sp *auth.ServiceProvider, handle string) error {
	redirect, binding, err := sp.Begin(r.Context(), handle)
	if err != nil {
		return err
	}
	s.metrics.LoginStarted(loginWho(r))
	http.SetCookie(w, s.loginCookie(LoginCookie, sp.PathPrefix(), binding, 600))
	http.Redirect(w, r, redirect, http.StatusSeeOther)
	return nil
}

// loginCookie is one of the login's cookies. The IdP posts its answer from another site, so in
// production the SAML cookie must be SameSite=None (and so Secure) to come along; in development
// the IdP is this site and Lax does. The origin cookie comes back on a top-level GET: Lax.
func (s *Server) loginCookie(name, path, value string, maxAge int) *http.Cookie {
	c := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     path,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.IsProduction(),
		SameSite: http.SameSiteLaxMode,
	}
	if s.cfg.IsProduction() && name == LoginCookie {
		c.SameSite = http.SameSiteNoneMode
	}
	return c
}

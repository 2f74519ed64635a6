package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
)

// LoginCookie binds a started login to the browser that started it.
const LoginCookie = "minasidor_login"

func loginPath(ret string) string { return "/login?return=" + url.QueryEscape(ret) }

// loginStart sends the browser to the IdP, remembering where to return afterwards.
func (s *Server) loginStart(w http.ResponseWriter, r *http.Request) error {
	ret := safeReturnPath(r.URL.Query().Get("return"))
	if ret == "/" {
		ret = "/mina-sidor"
	}
	if s.citizenID(r.Context()) != uuid.Nil {
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return nil
	}
	redirect, binding, err := s.citizen.Begin(r.Context(), ret)
	if err != nil {
		return err
	}
	http.SetCookie(w, s.loginCookie(binding, 600))
	http.Redirect(w, r, redirect, http.StatusSeeOther)
	return nil
}

// loginCookie holds the login's binding secret. The IdP posts its answer from another site, so in
// production the cookie must be SameSite=None (and so Secure) to come along; in development the
// IdP is this site and Lax does.
func (s *Server) loginCookie(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{
		Name:     LoginCookie,
		Value:    value,
		Path:     "/saml",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.IsProduction(),
		SameSite: http.SameSiteLaxMode,
	}
	if s.cfg.IsProduction() {
		c.SameSite = http.SameSiteNoneMode
	}
	return c
}

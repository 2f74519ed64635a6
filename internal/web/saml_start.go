package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/tenant"
)

// samlStart begins, on the installation's host, the SAML exchange of a citizen's login started
// on a municipality's host.
func (s *Server) samlStart(w http.ResponseWriter, r *http.Request) error {
	if err := s.onInstallationHost(r); err != nil {
		return err
	}
	err := s.beginSAML(w, r, s.citizen, r.URL.Query().Get("h"))
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, loginPath)
	}
	return err
}

// onInstallationHost refuses a SAML endpoint on any other host than the installation's own:
// its cookie would be on the wrong host.
func (s *Server) onInstallationHost(r *http.Request) error {
	if tenant.NormalizeHost(r.Host) != tenant.NormalizeHost(s.cfg.BaseURL.Host) {
		return apperr.New(apperr.NotFound, "")
	}
	return nil
}

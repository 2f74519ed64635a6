package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/auth"
)

// loginReceive ends, on the municipality host it started on, a citizen's login whose SAML
// exchange ran on the installation's host: the single-use code is redeemed by the browser that
// holds this host's origin cookie, and the session starts on this host.
func (s *Server) loginReceive(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	h, err := s.receiveLogin(w, r, auth.Citizen)
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, loginPath)
	}
	if err != nil {
		return err
	}
	if err := s.logInCitizen(ctx, r, h.Subject); err != nil {
		return err
	}
	http.Redirect(w, r, h.ReturnPath, http.StatusSeeOther)
	return nil
}

// receiveLogin redeems the hand-over code of the request with this host's origin cookie, which
// it clears.
func (s *Server) receiveLogin(w http.ResponseWriter, r *http.Request, provider string) (auth.Handover, error) {
	var binding string
	if c, err := r.Cookie(OriginCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, s.loginCookie(OriginCookie, auth.LoginPath(provider), "", -1))
	return s.logins.Receive(r.Context(), provider, r.Host, r.URL.Query().Get("kod"), binding)
}

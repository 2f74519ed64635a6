package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/templates"
)

// samlACS receives the IdP's answer and logs the citizen in: here, when the login started on
// this host, or else by handing the login over to the municipality host it started on.
func (s *Server) samlACS(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	if strings.HasPrefix(r.PostForm.Get("RelayState"), signing.RelayPrefix) {
		return s.signingACS(w, r) // the answer to a signature request, not a login
	}
	var binding string
	if c, err := r.Cookie(LoginCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, s.loginCookie(LoginCookie, "/saml", "", -1))

	ctx := r.Context()
	login, err := s.citizen.Finish(ctx, r.PostForm, binding)
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, loginPath)
	}
	if err != nil {
		return err
	}
	id := login.Identity
	acct, err := s.accounts.Login(ctx, account.LoginInput{
		PersonalNumber: id.PersonalNumber,
		GivenName:      id.GivenName,
		Surname:        id.Surname,
		DisplayName:    id.DisplayName,
	})
	if err != nil {
		return err
	}
	subject := auth.Subject{ID: acct.ID, Name: acct.DisplayName, LoA: id.LoA, AuthAt: id.AuthnInstant, Previous: acct.PreviousLoginAt}
	if !login.Pending.Direct() {
		return s.handOver(w, r, login.Pending, subject)
	}
	if err := s.logInCitizen(ctx, r, subject); err != nil {
		return err
	}
	http.Redirect(w, r, login.ReturnPath, http.StatusSeeOther)
	return nil
}

// logInCitizen starts the citizen's session on the request's host. A visitor who started
// e-services before logging in keeps them, now in the account.
func (s *Server) logInCitizen(ctx context.Context, r *http.Request, who auth.Subject) error {
	if key := s.draftOwner(ctx).SessionKey; len(key) > 0 {
		if err := s.drafts.ClaimSession(ctx, key, who.ID); err != nil {
			return err
		}
		s.sessions.Remove(ctx, sessionDraftKey)
	}
	if err := s.startSession(ctx, r); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionAccount, who.ID.String())
	if who.Previous != nil {
		s.sessions.Put(ctx, sessionPreviousLogin, who.Previous.UnixMicro())
	}
	s.sessions.Put(ctx, sessionName, who.Name)
	s.sessions.Put(ctx, sessionLoA, who.LoA)
	s.sessions.Put(ctx, sessionAuthAt, who.AuthAt.Unix())
	s.metrics.LoginSucceeded("citizen")
	s.log.InfoContext(ctx, "citizen logged in", "request_id", requestID(ctx), "account", who.ID, "loa", who.LoA)
	return nil
}

// loginFailed explains a failed login and offers to try again (retry makes the address of a new
// login). The log gets the reason, never the response or a personal identity number.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, e *auth.LoginError, retry func(string) string) error {
	ctx := r.Context()
	status, key := http.StatusBadRequest, "login.failed"
	switch e.Reason {
	case auth.Cancelled:
		status, key = http.StatusOK, "login.cancelled"
	case auth.Expired:
		key = "login.expired"
	case auth.LoATooLow:
		status, key = http.StatusForbidden, "login.loa"
	}
	level := s.log.WarnContext
	if e.Reason == auth.Cancelled {
		level = s.log.InfoContext
	} else {
		s.securityEvent(r, security.LoginFailed, e.Reason.String())
	}
	msg := "citizen login failed"
	if strings.HasPrefix(r.URL.Path, staffPrefix+"/") {
		msg = "staff login failed"
	}
	level(ctx, msg, "request_id", requestID(ctx), "reason", e.Reason.String(), "err", e.Cause)
	s.metrics.LoginRefused(loginWho(r), e.Reason.String())
	view := templates.LoginFailedView{
		Heading:  i18n.T(ctx, key+".heading"),
		Message:  i18n.T(ctx, key+".text"),
		RetryURL: retry(e.ReturnPath),
	}
	p := s.page(r, key+".heading", "")
	p.Path = e.ReturnPath
	return s.render(w, r, status, templates.LoginFailedPage(p, view))
}

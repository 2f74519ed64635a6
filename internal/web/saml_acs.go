package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// samlACS receives the IdP's answer, logs the citizen in and returns them where they came from.
func (s *Server) samlACS(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	var binding string
	if c, err := r.Cookie(LoginCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, s.loginCookie("", -1))

	login, err := s.citizen.Finish(r.Context(), r.PostForm, binding)
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, loginPath)
	}
	if err != nil {
		return err
	}
	id := login.Identity
	acct, err := s.accounts.Login(r.Context(), account.LoginInput{
		PersonalNumber: id.PersonalNumber,
		GivenName:      id.GivenName,
		Surname:        id.Surname,
		DisplayName:    id.DisplayName,
	})
	if err != nil {
		return err
	}
	ctx := r.Context()
	// A visitor who started e-services before logging in keeps them, now in the account.
	if key := s.draftOwner(ctx).SessionKey; len(key) > 0 {
		if err := s.drafts.ClaimSession(ctx, key, acct.ID); err != nil {
			return err
		}
		s.sessions.Remove(ctx, sessionDraftKey)
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionAccount, acct.ID.String())
	s.sessions.Put(ctx, sessionName, acct.DisplayName)
	s.sessions.Put(ctx, sessionLoA, id.LoA)
	s.sessions.Put(ctx, sessionAuthAt, id.AuthnInstant.Unix())
	s.log.InfoContext(ctx, "citizen logged in", "request_id", requestID(ctx), "account", acct.ID, "loa", id.LoA)
	http.Redirect(w, r, login.ReturnPath, http.StatusSeeOther)
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
	}
	msg := "citizen login failed"
	if strings.HasPrefix(r.URL.Path, staffPrefix+"/") {
		msg = "staff login failed"
	}
	level(ctx, msg, "request_id", requestID(ctx), "reason", e.Reason.String(), "err", e.Cause)
	view := templates.LoginFailedView{
		Heading:  i18n.T(ctx, key+".heading"),
		Message:  i18n.T(ctx, key+".text"),
		RetryURL: retry(e.ReturnPath),
	}
	p := s.page(r, key+".heading", "")
	p.Path = e.ReturnPath
	return s.render(w, r, status, templates.LoginFailedPage(p, view))
}

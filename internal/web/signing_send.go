package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/templates"
)

// signingSend is the applicant's "sign and send for signing": their signature with e-ID starts
// (the draft is sent when it is made), or, when they have signed the content as it is or need not
// sign, the draft goes to the co-signers at once. A problem (a child the register does not know,
// an applicant who is not the child's guardian, an address that is not one) shows the review
// again, with what was typed.
func (s *Server) signingSend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	in := signing.SendInput{DraftID: j.Draft.ID, AccountID: s.citizenID(ctx),
		Origin: s.origin(r), Direct: s.onInstallationHost(r) == nil, Lang: lang(ctx)}
	for i := 1; r.PostForm.Has(fmt.Sprintf("email_%d", i)); i++ {
		in.Emails = append(in.Emails, r.PostForm.Get(fmt.Sprintf("email_%d", i)))
	}
	in.Chosen, _ = strconv.Atoi(r.PostForm.Get("cosigner"))
	next, err := s.signing.Send(ctx, in)
	var incomplete *casework.IncompleteError
	var fields apperr.FieldErrors
	var prob *signing.ProblemError
	var once *casework.AlreadySubmittedError
	switch {
	case errors.As(err, &incomplete):
		http.Redirect(w, r, j.stepURL(incomplete.Step)+"?kontrollera=1", http.StatusSeeOther)
		return nil
	case errors.As(err, &fields), errors.As(err, &prob), errors.As(err, &once):
		v, verr := s.reviewView(ctx, j, r.PostForm, fields)
		if verr != nil {
			return verr
		}
		status := http.StatusUnprocessableEntity
		switch {
		case prob != nil:
			v.Error, status = i18n.T(ctx, prob.Key, prob.Args...), http.StatusConflict
		case once != nil:
			v.Error, status = i18n.T(ctx, "error.submit.once"), http.StatusConflict
			if once.Mine {
				v.ExistingURL, v.ExistingRef = "/arenden/"+once.CaseID.String()+"/kvitto", once.Reference
			}
		default:
			v.Error = i18n.T(ctx, "signing.review.fix")
		}
		return s.render(w, r, status, templates.ReviewPage(s.reviewPage(r, j), v))
	case err != nil:
		return err
	}
	return s.followSigning(w, r, next, "/utkast/"+j.Draft.ID.String()+"/signering?skickat=1")
}

// followSigning sends the browser on after a signature started: to the IdP (bound to this
// browser by a cookie), or to the installation's host to begin there; or, when nothing had to be
// signed, to sent (sent for signing) or the receipt (submitted). A post is never redirected to
// another site: a page that goes on by itself does it.
func (s *Server) followSigning(w http.ResponseWriter, r *http.Request, next signing.Next, sent string) error {
	switch {
	case next.CaseID != uuid.Nil:
		http.Redirect(w, r, "/arenden/"+next.CaseID.String()+"/kvitto", http.StatusSeeOther)
		return nil
	case next.Sent:
		http.Redirect(w, r, sent, http.StatusSeeOther)
		return nil
	}
	if next.Binding != "" {
		http.SetCookie(w, s.signCookie(next.Binding, 600))
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, next.Redirect, http.StatusSeeOther)
		return nil
	}
	p := s.page(r, "signing.onward.heading", "")
	p.Refresh = next.Redirect
	return s.render(w, r, http.StatusOK, templates.SigningOnwardPage(p, i18n.T(r.Context(), "signing.onward.idp"), next.Redirect))
}

// SignCookie binds a signature's SAML exchange to the browser on the installation's host, as
// LoginCookie binds a login's.
const SignCookie = "minasidor_sign"

// signCookie is the signature's cookie: like the login's, SameSite=None (and Secure) in
// production, where the IdP posts its answer from another site.
func (s *Server) signCookie(value string, maxAge int) *http.Cookie {
	c := s.loginCookie(SignCookie, "/saml", value, maxAge)
	if s.cfg.IsProduction() {
		c.SameSite = http.SameSiteNoneMode
	}
	return c
}

// origin is the scheme and host the request came to, where a signature returns.
func (s *Server) origin(r *http.Request) string { return s.cfg.BaseURL.Scheme + "://" + r.Host }

package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/internal/tenant"
	"github.com/minasidor/minasidor/templates"
)

// signingACS receives the IdP's answer to a signature request (the citizens' assertion
// consumer hands it over by its relay state), keeps the signature, and sends the signer back to
// the page they came from on their own host: the applicant to the receipt of the sending (or of
// the case, when theirs was the last signature), a co-signer to their page of the draft.
func (s *Server) signingACS(w http.ResponseWriter, r *http.Request) error {
	var binding string
	if c, err := r.Cookie(SignCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, s.signCookie("", -1))
	ctx := r.Context()
	done, err := s.signing.Finish(ctx, r.PostForm, binding)
	var failed *signing.FinishError
	if errors.As(err, &failed) {
		return s.signingFailed(w, r, failed)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signature made", "request_id", requestID(ctx), "role", done.Role, "submitted", done.Submitted != uuid.Nil)
	to := done.Return + "?signerat=1"
	if done.Submitted != uuid.Nil && done.Role == signing.RoleApplicant {
		u := *s.cfg.BaseURL
		if back, err := u.Parse(done.Return); err == nil {
			back.Path, back.RawQuery = "/arenden/"+done.Submitted.String()+"/kvitto", ""
			to = back.String()
		}
	}
	// Back on another host: a page that goes on by itself, as a login's hand-over does (the
	// IdP's post may not be redirected to another site).
	if u, err := url.Parse(to); err == nil && tenant.NormalizeHost(u.Host) != tenant.NormalizeHost(r.Host) {
		p := s.page(r, "signing.onward.heading", "")
		p.Refresh = to
		return s.render(w, r, http.StatusOK, templates.SigningOnwardPage(p, i18n.T(ctx, "signing.onward.back", u.Hostname()), to))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// signingFailed explains a signature that was not made and links back to where the signer came
// from. The log gets the reason, never the response or a personal identity number.
func (s *Server) signingFailed(w http.ResponseWriter, r *http.Request, e *signing.FinishError) error {
	ctx := r.Context()
	status := http.StatusBadRequest
	level := s.log.WarnContext
	switch e.Reason {
	case signing.ReasonCancelled:
		status, level = http.StatusOK, s.log.InfoContext
	case signing.ReasonWrongSigner, signing.ReasonNotEligible:
		status = http.StatusForbidden
	case signing.ReasonChanged, signing.ReasonClosed:
		status = http.StatusConflict
	}
	level(ctx, "signature not made", "request_id", requestID(ctx), "reason", e.Reason, "err", e.Cause)
	key := "signing.failed." + e.Reason
	v := templates.SigningFailedView{Heading: i18n.T(ctx, key+".heading"), Message: i18n.T(ctx, key+".text"), BackURL: e.Return}
	switch {
	case e.Reason == signing.ReasonWrongSigner:
		v.Message = i18n.T(ctx, key+".text", e.Actual, e.Expected)
	case e.Problem != nil:
		v.Message = i18n.T(ctx, e.Problem.Key, e.Problem.Args...)
	}
	return s.render(w, r, status, templates.SigningFailedPage(s.page(r, key+".heading", ""), v))
}

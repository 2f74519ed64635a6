package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
)

// signingDecline is a co-signer's "decline", with a reason: the draft goes back to the
// applicant, who is told and reads the reason. A missing reason shows the page again.
func (s *Server) signingDecline(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := partyID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	err = s.signing.Decline(ctx, id, s.citizenID(ctx), r.PostForm.Get("reason"))
	var fields apperr.FieldErrors
	var prob *signing.ProblemError
	switch {
	case errors.As(err, &fields), errors.As(err, &prob):
		v, verr := s.signerView(r)
		if verr != nil {
			return verr
		}
		status := http.StatusUnprocessableEntity
		if prob != nil {
			status = http.StatusConflict
			if v.Problem == "" {
				v.Status, v.StatusOK = i18n.T(ctx, prob.Key, prob.Args...), false
			}
		} else {
			v.Reason, v.ReasonError = r.PostForm.Get("reason"), i18n.T(ctx, fields.For("reason"))
		}
		return s.renderSigner(w, r, status, v)
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/signera/"+id.String()+"?avbojt=1", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/signing"
)

// signingStart is a co-signer's "sign with e-ID": the signature of the content as they read it
// starts at the IdP, which shows them the sign message. Someone who cannot sign it is told why.
func (s *Server) signingStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := partyID(r)
	if err != nil {
		return err
	}
	next, err := s.signing.Start(ctx, signing.StartInput{PartyID: id, AccountID: s.citizenID(ctx), Origin: s.origin(r),
		Direct: s.onInstallationHost(r) == nil, Lang: lang(ctx)})
	var prob *signing.ProblemError
	if errors.As(err, &prob) {
		v, verr := s.signerView(r)
		if verr != nil {
			return verr
		}
		if v.Problem == "" {
			v.Status, v.StatusOK = i18n.T(ctx, prob.Key, prob.Args...), false
		}
		return s.renderSigner(w, r, http.StatusConflict, v)
	}
	if err != nil {
		return err
	}
	return s.followSigning(w, r, next, "")
}

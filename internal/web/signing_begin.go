package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/signing"
)

// signingBegin begins, on the installation's host, the SAML exchange of a signature started on
// a municipality's host.
func (s *Server) signingBegin(w http.ResponseWriter, r *http.Request) error {
	if err := s.onInstallationHost(r); err != nil {
		return err
	}
	next, err := s.signing.Begin(r.Context(), r.URL.Query().Get("h"))
	var failed *signing.FinishError
	if errors.As(err, &failed) {
		return s.signingFailed(w, r, failed)
	}
	if err != nil {
		return err
	}
	return s.followSigning(w, r, next, "")
}

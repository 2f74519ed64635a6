package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/i18n"
)

// registryDecide answers the request: the redacted documents, with the written decision when
// anything is masked or withheld, or a refusal of the whole request. It is released at once, or
// waits for a second registrar when the municipality wants one.
func (s *Server) registryDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := registryRequestID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	state, err := s.disclosure.Decide(ctx, staffFrom(ctx), id, disclosure.Ruling{
		RefuseAll: f.Get("avsla") == "yes", Ground: f.Get("avslag-grund"), Reasoning: f.Get("motivering")})
	var invalid apperr.FieldErrors
	var refused *apperr.Error
	switch {
	case errors.As(err, &invalid):
		return s.renderRegistryRequest(w, r, http.StatusUnprocessableEntity, registryForm{errs: invalid, form: f})
	case errors.As(err, &refused) && refused.Kind == apperr.Conflict:
		return s.renderRegistryRequest(w, r, http.StatusConflict, registryForm{err: i18n.T(ctx, refused.Key)})
	case err != nil:
		return err
	}
	done := "released"
	if state == disclosure.StateProposed {
		done = "proposed"
	}
	http.Redirect(w, r, staffPrefix+"/registratur/"+id.String()+"?klart="+done, http.StatusSeeOther)
	return nil
}

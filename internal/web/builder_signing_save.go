package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderSigningSave stores the e-service's signing rule; a refused form comes back with what
// was chosen and a message at each input concerned.
func (s *Server) builderSigningSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	f := r.PostForm
	rule := eservice.SigningRule{Applicant: f.Get("applicant") == "yes", CoSigners: f.Get("cosigners"), Field: f.Get("field"),
		AssociationCheck: f.Get("association_check") == "yes"}
	// A number that cannot be read is refused by the range checks, with their messages.
	if rule.RemindDays, err = strconv.Atoi(strings.TrimSpace(f.Get("remind_days"))); err != nil {
		rule.RemindDays = -1
	}
	if rule.DeadlineDays, err = strconv.Atoi(strings.TrimSpace(f.Get("deadline_days"))); err != nil {
		rule.DeadlineDays = -1
	}
	err = s.eservices.SetSigning(ctx, staffFrom(ctx).Actor(), e.ID, rule)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		working, _, werr := s.eservices.Working(ctx, e.ID)
		if werr != nil {
			return werr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ESSigningPage(s.page(r, "esigning.heading", "eservice_admin"),
			s.signingRuleView(r, e, working, f, invalid)))
	}
	if err != nil {
		return err
	}
	builderDone(w, r, e.ID, "signering", "signing")
	return nil
}

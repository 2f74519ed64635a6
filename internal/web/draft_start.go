package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// draftStart starts filling in an e-service on its current version.
func (s *Server) draftStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	e, err := s.eservices.Published(ctx, t.ID, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	if !e.Startable() {
		return apperr.New(apperr.NotFound, "")
	}
	// An operating message may close the e-service for new cases: its page says so instead.
	if _, closed, err := s.bulletins.ClosedFor(ctx, e.ID, time.Now()); err != nil {
		return err
	} else if closed {
		return s.renderEService(w, r, e, http.StatusConflict, nil)
	}
	owner := draft.Owner{AccountID: s.citizenID(ctx)}
	var acct account.Account
	if owner.AccountID == uuid.Nil {
		if e.LoginRule == eservice.LoginRequired {
			http.Redirect(w, r, loginPath("/e-tjanster/"+e.Slug), http.StatusSeeOther)
			return nil
		}
		owner.SessionKey = s.visitorKey(ctx)
	} else {
		if acct, err = s.accounts.ByID(ctx, owner.AccountID); err != nil {
			return err
		}
		// An e-service that takes one case per person says so before anything is filled in
		// when the person is the one logged in; a person named in the form is checked at the
		// step that names them.
		who := casework.Submitter{AccountID: acct.ID, PersonalNumber: acct.PersonalNumber.String(), Email: acct.Email}
		var prior *casework.AlreadySubmittedError
		if err := s.cases.PriorCase(ctx, e, form.Answers{}, who); errors.As(err, &prior) {
			return s.renderEService(w, r, e, http.StatusConflict, prior)
		} else if err != nil {
			return err
		}
	}
	v, err := s.eservices.Version(ctx, *e.CurrentVersionID)
	if err != nil {
		return err
	}
	steps := v.Definition.VisibleSteps(form.Answers{})
	d, err := s.drafts.Create(ctx, e.TenantID, e.ID, v.ID, owner, steps[0].Key)
	if err != nil {
		return err
	}
	if owner.AccountID != uuid.Nil {
		if d, err = s.drafts.Save(ctx, d.ID, owner, prefill(v.Definition, acct), d.CurrentStep); err != nil {
			return err
		}
	}
	j := journey{draft: d, eservice: e, version: v}
	http.Redirect(w, r, j.stepURL(steps[0].Key), http.StatusSeeOther)
	return nil
}

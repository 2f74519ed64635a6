package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/organisation"
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
	// An e-service for companies or associations is used acting for one: the citizen chooses it
	// first. One that also serves private persons is made for the organisation acted for, if any.
	var org *organisation.Organisation
	if acting := s.actingFor(ctx); acting != nil && slices.Contains(e.Audience, acting.Kind) {
		org = acting
	}
	if e.AimedAtOrganisations() && org == nil {
		if owner.AccountID == uuid.Nil {
			http.Redirect(w, r, loginPath("/e-tjanster/"+e.Slug), http.StatusSeeOther)
			return nil
		}
		http.Redirect(w, r, "/mina-sidor/organisationer?etjanst="+url.QueryEscape(e.Slug), http.StatusSeeOther)
		return nil
	}
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
		answers := prefill(v.Definition, acct)
		if org != nil {
			// The right to act for it is checked again as the draft is made for it.
			o, err := s.orgs.Act(ctx, owner.AccountID, org.Kind, org.Number)
			if err != nil {
				s.setActing(ctx, nil)
				return err
			}
			if err := s.orgs.AttachDraft(ctx, owner.AccountID, d.ID, o); err != nil {
				return err
			}
			prefillOrganisation(v.Definition, answers, o)
		}
		if d, err = s.drafts.Save(ctx, d.ID, owner, answers, d.CurrentStep); err != nil {
			return err
		}
	}
	j := journey{draft.Journey{Draft: d, EService: e, Version: v}}
	http.Redirect(w, r, j.stepURL(steps[0].Key), http.StatusSeeOther)
	return nil
}

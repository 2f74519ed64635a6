package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
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
		return s.renderEService(w, r, e, http.StatusConflict)
	}
	owner := draft.Owner{AccountID: s.citizenID(ctx)}
	if owner.AccountID == uuid.Nil {
		if e.LoginRule == eservice.LoginRequired {
			http.Redirect(w, r, loginPath("/e-tjanster/"+e.Slug), http.StatusSeeOther)
			return nil
		}
		owner.SessionKey = s.visitorKey(ctx)
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
		acct, err := s.accounts.ByID(ctx, owner.AccountID)
		if err != nil {
			return err
		}
		if d, err = s.drafts.Save(ctx, d.ID, owner, prefill(v.Definition, acct), d.CurrentStep); err != nil {
			return err
		}
	}
	j := journey{draft: d, eservice: e, version: v}
	http.Redirect(w, r, j.stepURL(steps[0].Key), http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// draftStep shows one step of the draft with the answers given so far. After a submit that
// found the step incomplete (?kontrollera=1) it shows the step's errors.
func (s *Server) draftStep(w http.ResponseWriter, r *http.Request) error {
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	step, ok := visibleStep(j.Version.Definition, j.Draft.Answers, chi.URLParam(r, "step"))
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	var errs apperr.FieldErrors
	if r.URL.Query().Get("kontrollera") == "1" {
		errs = j.Version.Definition.CheckStep(step.Key, j.Draft.Answers, time.Now())
	}
	return s.renderStep(w, r, j, step, errs, http.StatusOK)
}

func (s *Server) renderStep(w http.ResponseWriter, r *http.Request, j journey, step form.Step, errs apperr.FieldErrors, status int) error {
	ctx := r.Context()
	files, err := s.drafts.Files(ctx, j.Draft.ID)
	if err != nil {
		return err
	}
	v := s.stepView(ctx, j, step, errs, files)
	if err := s.withBookingTimes(ctx, j, &v, j.stepURL(step.Key), r.URL.Query(), true); err != nil {
		return err
	}
	q := r.URL.Query()
	if q.Get("sparat") == "1" && j.Draft.Saved() {
		v.SavedAt = i18n.Clock(j.Draft.UpdatedAt)
	}
	v.SaveNeedsLogin = q.Get("sparat") == "inloggning"
	if j.Signing {
		given, err := s.signing.GivenOf(ctx, j.Draft.ID, s.citizenID(ctx))
		if err != nil {
			return err
		}
		v.SignedBy, v.SentForSigning = strings.Join(given.Signers, ", "), given.Sent
	}
	p := s.page(r, "step.title", "eservices")
	p.EServiceID = j.EService.ID.String()
	p.Title = v.Title + " – " + v.EService
	if len(errs) > 0 {
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.StepPage(p, v))
}

// visibleStep returns the step with the key if the answers show it.
func visibleStep(def *form.Definition, a form.Answers, key string) (form.Step, bool) {
	for _, st := range def.VisibleSteps(a) {
		if st.Key == key {
			return st, true
		}
	}
	return form.Step{}, false
}

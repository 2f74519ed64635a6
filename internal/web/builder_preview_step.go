package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderPreviewStep shows one step of the preview with the answers given so far, as the
// citizen's step page does; after a failed "Nästa" (?kontrollera=1) with the step's errors.
func (s *Server) builderPreviewStep(w http.ResponseWriter, r *http.Request) error {
	j, _, ok, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	step, visible := visibleStep(j.Version.Definition, j.Draft.Answers, chi.URLParam(r, "step"))
	if !ok || !visible {
		return apperr.New(apperr.NotFound, "")
	}
	var errs apperr.FieldErrors
	if r.URL.Query().Get("kontrollera") == "1" {
		errs = j.Version.Definition.CheckStep(step.Key, j.Draft.Answers, time.Now())
	}
	return s.renderPreviewStep(w, r, j, step, errs, http.StatusOK)
}

func (s *Server) renderPreviewStep(w http.ResponseWriter, r *http.Request, j journey, step form.Step, errs apperr.FieldErrors, status int) error {
	ctx := r.Context()
	files := previewFiles(j.Version.Definition, j.Draft.Answers)
	links := previewLinks(ctx, j)
	v := s.stepViewWith(ctx, j, links, step, errs, files)
	if err := s.withBookingTimes(ctx, j, &v, links.step(step.Key), r.URL.Query(), false); err != nil {
		return err
	}
	p := s.previewPage(r, j, v.Title+" – "+v.EService)
	if len(errs) > 0 {
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
	}
	return s.render(w, r, status, templates.StepPage(p, v))
}

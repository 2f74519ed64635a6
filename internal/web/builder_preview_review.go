package web

import (
	"net/http"
	"time"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderPreviewReview is the preview's "Kontrollera dina svar": the citizen's review page with
// every answer and its change link, where the submit button says that no case is made. Answers
// that a submit would refuse lead to the first step with problems, as a citizen's submit does.
func (s *Server) builderPreviewReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	j, _, ok, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	if !ok {
		http.Redirect(w, r, previewPath(j, ""), http.StatusSeeOther)
		return nil
	}
	def, a := j.Version.Definition, j.Draft.Answers
	if step, invalid := def.FirstInvalidStep(def.CheckAll(a, time.Now())); invalid {
		http.Redirect(w, r, previewPath(j, "steg/"+step)+"?kontrollera=1", http.StatusSeeOther)
		return nil
	}
	l := lang(ctx)
	steps := def.VisibleSteps(a)
	v := templates.ReviewView{
		EService:     j.EService.Title.In(l),
		Municipality: j.EService.Municipality,
		BackURL:      previewPath(j, "steg/"+steps[len(steps)-1].Key),
		Preview:      previewInfo(ctx, j),
	}
	v.Steps = summarize(ctx, l, def, a, previewFileNames(previewFiles(def, a)), func(step, input string) string {
		return previewPath(j, "steg/"+step) + "#" + input
	})
	return s.render(w, r, http.StatusOK, templates.ReviewPage(s.previewPage(r, j, i18n.T(ctx, "review.heading")), v))
}

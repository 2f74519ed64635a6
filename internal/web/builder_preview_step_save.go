package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// builderPreviewStepSave takes a step of the preview as the citizen's step does (see
// draftStepSave): the answers replace the step's earlier ones, Nästa checks the step and goes on,
// Tillbaka goes back. They are kept in the admin's session only. A file is checked with the
// citizen's rules (size, type as its content tells, number of files) and only its name is kept.
func (s *Server) builderPreviewStepSave(w http.ResponseWriter, r *http.Request) error {
	j, _, ok, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	def := j.Version.Definition
	step, visible := visibleStep(def, j.Draft.Answers, chi.URLParam(r, "step"))
	if !ok || !visible {
		return apperr.New(apperr.NotFound, "")
	}
	if err := parseStepPost(r); err != nil {
		return err
	}
	files, uploadErrs, err := previewUploads(r, step, j.Draft.Answers)
	if err != nil {
		return err
	}
	m := def.MergeStep(j.Draft.Answers, step, r.PostForm, files)
	s.savePreview(r.Context(), j, m.Keep)
	j.Draft.Answers = m.Keep

	// A refused file or text is reported whatever the button, as on the citizen's page.
	action := r.PostForm.Get("action")
	if r.PostForm.Has("remove_file") {
		action = "stay"
	}
	if len(uploadErrs) > 0 || (len(m.Unreadable) > 0 && slices.Contains([]string{"back", "save", "stay"}, action)) {
		return s.renderPreviewStep(w, r, j, step, append(m.Unreadable, uploadErrs...), http.StatusUnprocessableEntity)
	}
	switch action {
	case "save", "stay":
		http.Redirect(w, r, previewPath(j, "steg/"+step.Key), http.StatusSeeOther)
		return nil
	case "back":
		http.Redirect(w, r, previewNeighbour(j, step.Key, -1), http.StatusSeeOther)
		return nil
	}
	if errs := def.CheckStep(step.Key, m.Answers, time.Now()); len(errs) > 0 {
		return s.renderPreviewStep(w, r, j, step, errs, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, previewNeighbour(j, step.Key, +1), http.StatusSeeOther)
	return nil
}

// previewNeighbour is the address of the visible step before (-1) or after (+1) the given one:
// the preview's start before the first, its review after the last.
func previewNeighbour(j journey, key string, dir int) string {
	steps := j.Version.Definition.VisibleSteps(j.Draft.Answers)
	i := slices.IndexFunc(steps, func(st form.Step) bool { return st.Key == key })
	switch n := i + dir; {
	case i < 0 || n >= len(steps):
		return previewPath(j, "granska")
	case n < 0:
		return previewPath(j, "")
	default:
		return previewPath(j, "steg/"+steps[n].Key)
	}
}

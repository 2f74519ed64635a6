package web

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// draftStepSave stores the step's answers and files, then goes on: Next checks the step and
// moves to the next one (or to the review), Back returns to the previous one, and Spara stays.
// The answers are stored whatever the button, so nothing the user typed is lost; a failed
// check shows the step again with the answers and the errors.
func (s *Server) draftStepSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	j, err := s.loadJourney(r)
	if err != nil {
		return err
	}
	def := j.Version.Definition
	step, ok := visibleStep(def, j.Draft.Answers, chi.URLParam(r, "step"))
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	if err := parseStepPost(r); err != nil {
		return err
	}
	files, uploadErrs, err := s.draftUploads(r, j, step)
	if err != nil {
		return err
	}
	// The step's answers replace what was there; text that is not valid UTF-8 cannot be stored as
	// typed, so it is left out of the draft and the step asks for it again, whatever the button.
	m := def.MergeStep(j.Draft.Answers, step, r.PostForm, files)
	action := r.PostForm.Get("action")
	if r.PostForm.Has("remove_file") {
		action = "stay"
	}
	// A time picked in a booking field is held for the draft as the answers are stored.
	var holdErrs apperr.FieldErrors
	if j.Draft, holdErrs, err = s.drafts.SaveStep(ctx, j.Draft, s.draftOwner(ctx), def, step, m.Keep); err != nil {
		return err
	}

	// A refused file, text or time is reported whatever the button: the user must not believe it
	// was kept. Going on, the whole step is checked, the unreadable text included.
	if len(holdErrs) > 0 {
		return s.renderStep(w, r, j, step, append(holdErrs, uploadErrs...), http.StatusConflict)
	}
	if len(uploadErrs) > 0 || (len(m.Unreadable) > 0 && slices.Contains([]string{"back", "save", "stay"}, action)) {
		return s.renderStep(w, r, j, step, append(m.Unreadable, uploadErrs...), http.StatusUnprocessableEntity)
	}
	switch action {
	case "back":
		http.Redirect(w, r, s.neighbour(j, step.Key, -1), http.StatusSeeOther)
		return nil
	case "save":
		flag := "1"
		if !j.Draft.Saved() {
			flag = "inloggning"
		}
		http.Redirect(w, r, j.stepURL(step.Key)+"?sparat="+flag, http.StatusSeeOther)
		return nil
	case "stay":
		http.Redirect(w, r, j.stepURL(step.Key), http.StatusSeeOther)
		return nil
	}
	if errs := def.CheckStep(step.Key, m.Answers, time.Now()); len(errs) > 0 {
		return s.renderStep(w, r, j, step, errs, http.StatusUnprocessableEntity)
	}
	// The step that names the person of a one-case-per-person e-service (a child's personal
	// number) tells at once when that person has a case, instead of at the submit.
	if j.CaseRef == "" && stepHasField(step, j.EService.OnceOnlyField) {
		var prior *casework.AlreadySubmittedError
		if err := s.cases.PriorCase(ctx, j.EService, m.Answers, casework.Submitter{AccountID: s.citizenID(ctx)}); errors.As(err, &prior) {
			return s.renderStep(w, r, j, step, apperr.FieldErrors{{Field: j.EService.OnceOnlyField, Key: eservice.KeyOnceExistsField}}, http.StatusConflict)
		} else if err != nil {
			return err
		}
	}
	http.Redirect(w, r, s.neighbour(j, step.Key, +1), http.StatusSeeOther)
	return nil
}

// stepHasField reports whether the step asks the field (key "" is no field).
func stepHasField(step form.Step, key string) bool {
	return key != "" && slices.ContainsFunc(step.Fields, func(f form.Field) bool { return f.Key == key })
}

// neighbour is the address of the visible step before (-1) or after (+1) the given one: the
// e-service's page before the first, the review after the last.
func (s *Server) neighbour(j journey, key string, dir int) string {
	steps := j.Version.Definition.VisibleSteps(j.Draft.Answers)
	for i, st := range steps {
		if st.Key != key {
			continue
		}
		switch n := i + dir; {
		case n < 0:
			return "/e-tjanster/" + j.EService.Slug
		case n >= len(steps):
			return j.reviewURL()
		default:
			return j.stepURL(steps[n].Key)
		}
	}
	return j.reviewURL()
}

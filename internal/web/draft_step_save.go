package web

import (
	"errors"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
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
	def := j.version.Definition
	step, ok := visibleStep(def, j.draft.Answers, chi.URLParam(r, "step"))
	if !ok {
		return apperr.New(apperr.NotFound, "")
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}

	// The step's answers replace what was there; fields not posted (an unticked box) are cleared.
	answers := form.Answers{}
	for k, v := range j.draft.Answers {
		answers[k] = v
	}
	for _, f := range step.Fields {
		for _, name := range f.InputNames() {
			delete(answers, name)
		}
	}
	collected := step.Collect(r.PostForm)
	for k, v := range collected {
		answers[k] = v
	}
	// Text that is not valid UTF-8 cannot be stored as typed: it is left out of the draft, and
	// the step asks for it again, whatever the button.
	unreadable := step.Unreadable(collected)

	// Files: removals, then new uploads; the field's answer is the list of its file ids.
	var uploadErrs apperr.FieldErrors
	if id, err := uuid.Parse(r.PostForm.Get("remove_file")); err == nil {
		if err := s.drafts.RemoveFile(ctx, j.draft.ID, id); err != nil {
			return err
		}
	}
	for _, f := range step.Fields {
		if f.Type != form.File || r.MultipartForm == nil {
			continue
		}
		for _, fh := range r.MultipartForm.File[f.Key] {
			if err := s.storeUpload(r, j, f, fh); err != nil {
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
					return err
				}
				uploadErrs.Add(f.Key, ae.Key)
			}
		}
	}
	files, err := s.drafts.Files(ctx, j.draft.ID)
	if err != nil {
		return err
	}
	for _, f := range step.Fields {
		if f.Type == form.File {
			delete(answers, f.Key)
			for _, file := range files {
				if file.Field == f.Key {
					answers[f.Key] = append(answers[f.Key], file.ID.String())
				}
			}
		}
	}

	action := r.PostForm.Get("action")
	if r.PostForm.Has("remove_file") {
		action = "stay"
	}
	stored := answers
	if len(unreadable) > 0 {
		stored = maps.Clone(answers)
		for _, fe := range unreadable {
			delete(stored, fe.Field)
		}
	}
	if j.draft, err = s.drafts.Save(ctx, j.draft.ID, s.draftOwner(ctx), stored, step.Key); err != nil {
		return err
	}

	// A refused file or text is reported whatever the button: the user must not believe it was
	// kept. Going on, the whole step is checked, the unreadable text included.
	if len(uploadErrs) > 0 || (len(unreadable) > 0 && slices.Contains([]string{"back", "save", "stay"}, action)) {
		return s.renderStep(w, r, j, step, append(unreadable, uploadErrs...), http.StatusUnprocessableEntity)
	}
	switch action {
	case "back":
		http.Redirect(w, r, s.neighbour(j, step.Key, -1), http.StatusSeeOther)
		return nil
	case "save":
		flag := "1"
		if !j.draft.Saved() {
			flag = "inloggning"
		}
		http.Redirect(w, r, j.stepURL(step.Key)+"?sparat="+flag, http.StatusSeeOther)
		return nil
	case "stay":
		http.Redirect(w, r, j.stepURL(step.Key), http.StatusSeeOther)
		return nil
	}
	if errs := def.CheckStep(step.Key, answers, time.Now()); len(errs) > 0 {
		return s.renderStep(w, r, j, step, errs, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, s.neighbour(j, step.Key, +1), http.StatusSeeOther)
	return nil
}

// neighbour is the address of the visible step before (-1) or after (+1) the given one: the
// e-service's page before the first, the review after the last.
func (s *Server) neighbour(j journey, key string, dir int) string {
	steps := j.version.Definition.VisibleSteps(j.draft.Answers)
	for i, st := range steps {
		if st.Key != key {
			continue
		}
		switch n := i + dir; {
		case n < 0:
			return "/e-tjanster/" + j.eservice.Slug
		case n >= len(steps):
			return j.reviewURL()
		default:
			return j.stepURL(steps[n].Key)
		}
	}
	return j.reviewURL()
}

func (s *Server) storeUpload(r *http.Request, j journey, f form.Field, fh *multipart.FileHeader) error {
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, f.Upload.MaxBytes+1))
	if err != nil {
		return err
	}
	_, err = s.drafts.AddFile(r.Context(), j.draft, f, fh.Filename, data)
	return err
}

package web

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
)

// builderPreviewStepSave takes a step of the preview as the citizen's step does (see
// draftStepSave): the answers replace the step's earlier ones, Nästa checks the step and goes on,
// Tillbaka goes back. They are kept in the admin's session only. A file is checked with the
// citizen's rules (size, type as its content tells, number of files) and only its name is kept.
func (s *Server) builderPreviewStepSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	j, ok, err := s.previewJourney(r)
	if err != nil {
		return err
	}
	def := j.version.Definition
	step, visible := visibleStep(def, j.draft.Answers, chi.URLParam(r, "step"))
	if !ok || !visible {
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

	// The step's answers replace what was there, except the files, which are removed or added one
	// by one.
	answers := maps.Clone(j.draft.Answers)
	for _, f := range step.Fields {
		if f.Type == form.File {
			continue
		}
		for _, name := range f.InputNames() {
			delete(answers, name)
		}
	}
	maps.Copy(answers, step.Collect(r.PostForm))

	var uploadErrs apperr.FieldErrors
	remove := r.PostForm.Get("remove_file")
	for _, f := range step.Fields {
		if f.Type != form.File {
			continue
		}
		names := slices.DeleteFunc(slices.Clone(answers[f.Key]), func(n string) bool { return previewFileID(f.Key, n).String() == remove })
		if r.MultipartForm != nil {
			for _, fh := range r.MultipartForm.File[f.Key] {
				name, err := checkPreviewUpload(f, fh, names)
				var ae *apperr.Error
				switch {
				case errors.As(err, &ae) && ae.Kind == apperr.Invalid:
					uploadErrs.Add(f.Key, ae.Key)
				case err != nil:
					return err
				default:
					names = append(names, name)
				}
			}
		}
		delete(answers, f.Key)
		if len(names) > 0 {
			answers[f.Key] = names
		}
	}
	s.savePreview(ctx, j, answers)
	j.draft.Answers = answers

	// A refused file is reported whatever the button, as on the citizen's page.
	if len(uploadErrs) > 0 {
		return s.renderPreviewStep(w, r, j, step, uploadErrs, http.StatusUnprocessableEntity)
	}
	switch action := r.PostForm.Get("action"); {
	case r.PostForm.Has("remove_file") || action == "save" || action == "stay":
		http.Redirect(w, r, previewPath(j, "steg/"+step.Key), http.StatusSeeOther)
		return nil
	case action == "back":
		http.Redirect(w, r, previewNeighbour(j, step.Key, -1), http.StatusSeeOther)
		return nil
	}
	if errs := def.CheckStep(step.Key, answers, time.Now()); len(errs) > 0 {
		return s.renderPreviewStep(w, r, j, step, errs, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, previewNeighbour(j, step.Key, +1), http.StatusSeeOther)
	return nil
}

// previewNeighbour is the address of the visible step before (-1) or after (+1) the given one:
// the preview's start before the first, its review after the last.
func previewNeighbour(j journey, key string, dir int) string {
	steps := j.version.Definition.VisibleSteps(j.draft.Answers)
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

// checkPreviewUpload checks a file chosen in the preview with the rules a citizen's upload meets
// (see draft.Store.AddFile), with the names of the field's files so far, and returns the name to
// keep: its clean name, numbered when the field already has a file of that name.
func checkPreviewUpload(f form.Field, fh *multipart.FileHeader, names []string) (string, error) {
	file, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, f.Upload.MaxBytes+1))
	if err != nil {
		return "", err
	}
	if _, err := draft.CheckFile(f, data); err != nil {
		return "", err
	}
	if len(names) >= f.Upload.MaxFiles {
		return "", draft.ErrFileCount
	}
	name := draft.CleanName(fh.Filename)
	ext := path.Ext(name)
	for n := 2; slices.Contains(names, name); n++ {
		name = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(draft.CleanName(fh.Filename), ext), n, ext)
	}
	return name, nil
}

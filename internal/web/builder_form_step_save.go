package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// builderFormStepAdd adds a step at the end of the form, from the editor's add-step form: a
// Swedish title and, optionally, a key (made from the title otherwise). A refused step shows the
// editor again with what was typed.
func (s *Server) builderFormStepAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return err
	}
	title, typedKey := r.PostForm.Get("new_step_title"), strings.TrimSpace(r.PostForm.Get("new_step_key"))
	st := form.Step{Key: typedKey, Title: formread.Text(title, ""), Fields: []form.Field{}}
	if st.Key == "" {
		st.Key = d.SuggestStepKey(title)
	}
	c := formChange{action: "form_step_added", target: st.Key, Change: form.Change{
		Edit: func(d *form.Definition) error { return d.AddStep(st) },
		Item: func(d *form.Definition) string { return d.StepPath(st.Key) }}}
	refused, err := s.change(ctx, e, d, c, nil, formread.NewStepInput)
	if err != nil {
		return err
	}
	if refused != nil {
		v, _, err := s.editorView(r, e)
		if err != nil {
			return err
		}
		v.StepTitle, v.StepKey, v.Errors, v.Refused = title, typedKey, refused.Errors, refused.Others
		return s.render(w, r, http.StatusUnprocessableEntity, templates.EditorPage(s.page(r, "editor.title", "eservice_admin"), v))
	}
	formDone(w, r, e, "stepadded", "steg-"+st.Key)
	return nil
}

// builderFormStepSave saves a step's form; the step keeps its fields and place. A refused form
// comes back with what was typed and each problem at its input.
func (s *Server) builderFormStepSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return err
	}
	old := chi.URLParam(r, "step")
	i := d.StepIndex(old)
	if i < 0 {
		return form.ErrStepNotFound
	}
	in := formread.ReadStep(r.PostForm)
	st := in.Parse()
	if st.Key == "" {
		st.Key = old
	}
	c := formChange{action: "form_step_changed", target: st.Key, Change: form.Change{
		Edit: func(d *form.Definition) error { return d.UpdateStep(old, st) },
		Item: func(d *form.Definition) string { return d.StepPath(st.Key) }}}
	refused, err := s.change(ctx, e, d, c, nil, formread.StepInput)
	if err != nil {
		return err
	}
	if refused != nil {
		v := s.stepPage(r, e, d, i, in)
		v.Errors, v.Others = refused.Errors, refused.Others
		return s.render(w, r, http.StatusUnprocessableEntity, templates.EditorStepPage(s.page(r, "editor.step.title", "eservice_admin"), v))
	}
	formDone(w, r, e, "stepsaved", "steg-"+st.Key)
	return nil
}

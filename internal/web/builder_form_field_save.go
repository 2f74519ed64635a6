package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// builderFormFieldCreate adds a field at the end of a step from the new-field form. "Byt typ"
// shows the form again for the type chosen, keeping what was typed. A refused field comes back
// with what was typed and each problem at its input.
func (s *Server) builderFormFieldCreate(w http.ResponseWriter, r *http.Request) error {
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
	stepKey := chi.URLParam(r, "step")
	i := d.StepIndex(stepKey)
	if i < 0 {
		return form.ErrStepNotFound
	}
	in := formread.ReadField(r.PostForm)
	status := http.StatusOK
	var refused *refusal
	if r.PostForm.Get("action") == "type" {
		in.WithUploadDefaults()
	} else {
		f, formErrs := in.Parse()
		if f.Key == "" {
			f.Key = d.SuggestFieldKey(f.Label["sv"])
		}
		if err := s.checkResource(ctx, e.TenantID, f, &formErrs); err != nil {
			return err
		}
		c := formChange{action: "form_field_added", target: f.Key, Change: form.Change{
			Edit: func(d *form.Definition) error { return d.AddField(stepKey, f) },
			Item: func(d *form.Definition) string { return d.FieldPath(f.Key) }}}
		if refused, err = s.change(ctx, e, d, c, formErrs, formread.FieldInput); err != nil {
			return err
		}
		if refused == nil {
			formDone(w, r, e, "fieldadded", "falt-"+f.Key)
			return nil
		}
		status = http.StatusUnprocessableEntity
	}
	v, err := s.newFieldPage(r, e, d, i, in)
	if err != nil {
		return err
	}
	if refused != nil {
		v.Errors, v.Others = refused.Errors, refused.Others
	}
	return s.render(w, r, status, templates.EditorFieldPage(s.page(r, "editor.field.newTitle", "eservice_admin"), v))
}

// builderFormFieldSave saves a field's form, in its place. A new key also changes the conditions
// that use the field. "Byt typ" shows the form again for the type chosen, keeping what was typed;
// a refused field comes back with what was typed and each problem at its input.
func (s *Server) builderFormFieldSave(w http.ResponseWriter, r *http.Request) error {
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
	old := chi.URLParam(r, "field")
	i, j := d.FieldIndex(old)
	if i < 0 {
		return form.ErrFieldNotFound
	}
	in := formread.ReadField(r.PostForm)
	status := http.StatusOK
	var refused *refusal
	if r.PostForm.Get("action") == "type" {
		in.WithUploadDefaults()
	} else {
		f, formErrs := in.Parse()
		if f.Key == "" {
			f.Key = old
		}
		if err := s.checkResource(ctx, e.TenantID, f, &formErrs); err != nil {
			return err
		}
		c := formChange{action: "form_field_changed", target: f.Key, Change: form.Change{
			Edit: func(d *form.Definition) error { return d.UpdateField(old, f) },
			Item: func(d *form.Definition) string { return d.FieldPath(f.Key) }}}
		if refused, err = s.change(ctx, e, d, c, formErrs, formread.FieldInput); err != nil {
			return err
		}
		if refused == nil {
			formDone(w, r, e, "fieldsaved", "falt-"+f.Key)
			return nil
		}
		status = http.StatusUnprocessableEntity
	}
	v, err := s.fieldPage(r, e, d, i, j, in)
	if err != nil {
		return err
	}
	if refused != nil {
		v.Errors, v.Others = refused.Errors, refused.Others
	}
	return s.render(w, r, status, templates.EditorFieldPage(s.page(r, "editor.field.title", "eservice_admin"), v))
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/form"
)

// builderFormFieldRemove removes a field. When a condition uses it, the removal is refused on the
// editor page, pointing to the step or field whose condition it is.
func (s *Server) builderFormFieldRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return err
	}
	key := chi.URLParam(r, "field")
	f, ok := d.Field(key)
	if !ok {
		return form.ErrFieldNotFound
	}
	i, _ := locateField(d, key)
	anchor := "steg-" + d.Steps[i].Key
	_, err = s.applyChange(ctx, e, formChange{action: "form_field_removed", target: key,
		op: func(d *form.Definition) error { return d.RemoveField(key) }})
	if de, refused := form.AsDefinitionErrors(err); refused {
		return s.editorRefused(w, r, e, removalProblems(r, e, d, de, []form.Field{f}))
	}
	if err != nil {
		return err
	}
	formDone(w, r, e, "fieldremoved", anchor)
	return nil
}

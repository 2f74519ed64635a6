package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// builderFormFieldMove moves a field one place up or down: within its step, or from the first
// field of a step to the end of the one before, and from the last to the start of the one after.
// A move that would put a condition before the field it uses is refused on the editor page,
// pointing to the condition.
func (s *Server) builderFormFieldMove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	delta, err := moveDelta(r.PostForm.Get("riktning"))
	if err != nil {
		return err
	}
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return err
	}
	key := chi.URLParam(r, "field")
	_, err = s.applyChange(ctx, e, formChange{action: "form_field_moved", target: key,
		op: func(d *form.Definition) error { return d.MoveField(key, delta) }})
	if de, refused := form.AsDefinitionErrors(err); refused {
		return s.editorRefused(w, r, e, definitionProblems(ctx, e.ID.String(), d, de))
	}
	if err != nil {
		return err
	}
	formDone(w, r, e, "fieldmoved", "falt-"+key)
	return nil
}

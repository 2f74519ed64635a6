package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/form"
)

// builderFormStepRemove removes a step with its fields. When a later condition uses one of its
// fields, the removal is refused on the editor page, pointing to that condition.
func (s *Server) builderFormStepRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return err
	}
	key := chi.URLParam(r, "step")
	i := locateStep(d, key)
	if i < 0 {
		return form.ErrStepNotFound
	}
	_, err = s.applyChange(ctx, e, formChange{action: "form_step_removed", target: key,
		op: func(d *form.Definition) error { return d.RemoveStep(key) }})
	if de, refused := form.AsDefinitionErrors(err); refused {
		return s.editorRefused(w, r, e, removalProblems(r, e, d, de, d.Steps[i].Fields))
	}
	if err != nil {
		return err
	}
	formDone(w, r, e, "stepremoved", "")
	return nil
}

package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// builderFormStepMove moves a step one place up or down. A move that would put a step before the
// fields its condition uses is refused on the editor page, pointing to the condition.
func (s *Server) builderFormStepMove(w http.ResponseWriter, r *http.Request) error {
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
	key := chi.URLParam(r, "step")
	_, err = s.applyChange(ctx, e, formChange{action: "form_step_moved", target: key,
		op: func(d *form.Definition) error { return d.MoveStep(key, delta) }})
	if de, refused := form.AsDefinitionErrors(err); refused {
		return s.editorRefused(w, r, e, definitionProblems(ctx, e.ID.String(), d, de))
	}
	if err != nil {
		return err
	}
	formDone(w, r, e, "stepmoved", "steg-"+key)
	return nil
}

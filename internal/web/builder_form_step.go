package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// builderFormStep is the form of one step: its titles, introduction, key and condition.
func (s *Server) builderFormStep(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	d, err := s.workingForm(r.Context(), e)
	if err != nil {
		return err
	}
	i := d.StepIndex(chi.URLParam(r, "step"))
	if i < 0 {
		return form.ErrStepNotFound
	}
	v := s.stepPage(r, e, d, i, formread.StepOf(d.Steps[i]))
	return s.render(w, r, http.StatusOK, templates.EditorStepPage(s.page(r, "editor.step.title", "eservice_admin"), v))
}

// stepPage is the form of step i of d, as typed.
func (s *Server) stepPage(r *http.Request, e eservice.Listed, d *form.Definition, i int, in formread.Step) templates.EditorStepView {
	ctx := r.Context()
	head := s.builderHead(r, e)
	st := d.Steps[i]
	v := stepFormView(ctx, head, d, in, d.FieldsBefore(i, 0))
	v.Heading = i18n.T(ctx, "editor.step.heading", stepName(st, lang(ctx)))
	v.Action = formPath(e, "/steg/"+st.Key)
	v.Back = formPath(e, "#steg-"+st.Key)
	return v
}

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

// builderFormField is the form of one field.
func (s *Server) builderFormField(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	d, err := s.workingForm(r.Context(), e)
	if err != nil {
		return err
	}
	i, j := d.FieldIndex(chi.URLParam(r, "field"))
	if i < 0 {
		return form.ErrFieldNotFound
	}
	v, err := s.fieldPage(r, e, d, i, j, formread.FieldOf(d.Steps[i].Fields[j], lang(r.Context())))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.EditorFieldPage(s.page(r, "editor.field.title", "eservice_admin"), v))
}

// builderFormFieldNew is the form of a new field of the type ?typ= (a short text when none), to
// be added at the end of the step.
func (s *Server) builderFormFieldNew(w http.ResponseWriter, r *http.Request) error {
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
	t := form.FieldType(r.URL.Query().Get("typ"))
	if !t.Known() {
		t = form.ShortText
	}
	v, err := s.newFieldPage(r, e, d, i, formread.NewField(t))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.EditorFieldPage(s.page(r, "editor.field.newTitle", "eservice_admin"), v))
}

// fieldPage is the form of field j of step i, as typed.
func (s *Server) fieldPage(r *http.Request, e eservice.Listed, d *form.Definition, i, j int, in formread.Field) (templates.EditorFieldView, error) {
	ctx := r.Context()
	head := s.builderHead(r, e)
	f := d.Steps[i].Fields[j]
	v := fieldFormView(ctx, head, d, in, d.FieldsBefore(i, j))
	v.Heading = i18n.T(ctx, "editor.field.heading", fieldName(f, lang(ctx)))
	v.Action = formPath(e, "/falt/"+f.Key)
	v.Back = formPath(e, "#falt-"+f.Key)
	return v, s.withResources(ctx, e.TenantID, &v)
}

// newFieldPage is the form of a new field of step i, as typed.
func (s *Server) newFieldPage(r *http.Request, e eservice.Listed, d *form.Definition, i int, in formread.Field) (templates.EditorFieldView, error) {
	ctx := r.Context()
	head := s.builderHead(r, e)
	st := d.Steps[i]
	v := fieldFormView(ctx, head, d, in, d.FieldsBefore(i, len(st.Fields)))
	v.New = true
	v.Heading = i18n.T(ctx, "editor.field.newHeading", stepName(st, lang(ctx)))
	v.Action = formPath(e, "/steg/"+st.Key+"/nytt-falt")
	v.Back = formPath(e, "#steg-"+st.Key)
	return v, s.withResources(ctx, e.TenantID, &v)
}

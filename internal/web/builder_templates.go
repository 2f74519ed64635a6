package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/templates"
)

// builderTemplates lists the e-service's message templates, each with its form, and a form to
// add one.
func (s *Server) builderTemplates(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, err := s.templatesView(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.ESTemplatesPage(s.page(r, "esettings.page.templates", "eservice_admin"), v))
}

// templatesView is the message templates page with every form as stored and an empty one to add.
func (s *Server) templatesView(r *http.Request, e eservice.Listed) (templates.ESTemplatesView, error) {
	h := s.builderHead(r, e)
	list, err := s.eservices.MessageTemplates(r.Context(), e.ID)
	if err != nil {
		return templates.ESTemplatesView{}, err
	}
	v := templates.ESTemplatesView{Head: h, New: templates.ESTemplateForm{Prefix: "new-"}}
	for _, tp := range list {
		id := tp.ID.String()
		v.Templates = append(v.Templates, templates.ESTemplateRow{ID: id, Title: tp.Title, Path: h.Path("mallar/" + id),
			Form: templates.ESTemplateForm{Prefix: "template-" + id + "-", Title: tp.Title, Body: tp.Body}})
	}
	return v, nil
}

// templateInput reads a message template's form.
func templateInput(r *http.Request) (eservice.TemplateInput, templates.ESTemplateForm, error) {
	if err := r.ParseForm(); err != nil {
		return eservice.TemplateInput{}, templates.ESTemplateForm{}, apperr.Wrap(apperr.Invalid, "", err)
	}
	in := eservice.TemplateInput{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body")}
	return in, templates.ESTemplateForm{Title: in.Title, Body: in.Body, Open: true}, nil
}

// templateID is the request's {template}; one that is no id is not found.
func templateID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "template"))
	if err != nil {
		return uuid.Nil, eservice.ErrTemplateNotFound
	}
	return id, nil
}

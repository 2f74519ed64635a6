package web

import (
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// builderForm is the form editor: the steps and fields of the form being edited, in order, with
// what can be done to each, and the problems that stop the form from being published.
func (s *Server) builderForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.builderEService(r)
	if err != nil {
		return err
	}
	v, _, err := s.editorView(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, templates.EditorPage(s.page(r, "editor.title", "eservice_admin"), v))
}

// editorView is the editor page of the working form, with the problems of the full check.
func (s *Server) editorView(r *http.Request, e eservice.Listed) (templates.EditorView, *form.Definition, error) {
	ctx := r.Context()
	head := s.builderHead(r, e)
	d, err := s.workingForm(ctx, e)
	if err != nil {
		return templates.EditorView{}, nil, err
	}
	l := lang(ctx)
	v := templates.EditorView{Head: head, Types: fieldTypeChoices(ctx)}
	for i, st := range d.Steps {
		es := templates.EditorStep{Key: st.Key, Title: stepName(st, l), Condition: conditionSummary(ctx, d, st.ShowIf),
			CanMoveUp: i > 0, CanMoveDown: i < len(d.Steps)-1}
		for j, f := range st.Fields {
			es.Fields = append(es.Fields, templates.EditorField{Key: f.Key, Label: fieldName(f, l),
				Type: i18n.T(ctx, "editor.type."+string(f.Type)), Required: f.Required, Condition: conditionSummary(ctx, d, f.ShowIf),
				CanMoveUp: i > 0 || j > 0, CanMoveDown: j < len(st.Fields)-1 || i < len(d.Steps)-1})
		}
		v.Steps = append(v.Steps, es)
	}
	v.Problems = definitionProblems(ctx, e.ID.String(), d, d.Check())
	return v, d, nil
}

// workingForm is the form being edited: the draft version's, else the published one's, else an
// empty form.
func (s *Server) workingForm(ctx context.Context, e eservice.Listed) (*form.Definition, error) {
	v, _, err := s.eservices.Working(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	if v.Definition == nil {
		return &form.Definition{Steps: []form.Step{}}, nil
	}
	return v.Definition, nil
}

// editorRefused shows the editor again with the problems of a change it refused (a move or a
// removal), each linked to where it is fixed.
func (s *Server) editorRefused(w http.ResponseWriter, r *http.Request, e eservice.Listed, problems []templates.DefinitionProblem) error {
	v, _, err := s.editorView(r, e)
	if err != nil {
		return err
	}
	v.Refused = problems
	return s.render(w, r, http.StatusUnprocessableEntity, templates.EditorPage(s.page(r, "editor.title", "eservice_admin"), v))
}

// formDone goes back to the editor after a change, with its confirmation, at the step or field
// (anchor) changed.
func formDone(w http.ResponseWriter, r *http.Request, e eservice.Listed, done, anchor string) {
	to := "/personal/etjanster/" + e.ID.String() + "/formular?klart=" + done
	if anchor != "" {
		to += "#" + anchor
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// formPath is the address of a page of the e-service's form editor.
func formPath(e eservice.Listed, rest string) string {
	return "/personal/etjanster/" + e.ID.String() + "/formular" + rest
}

// stepName is the step's title, or its key when it has none.
func stepName(s form.Step, lang string) string {
	if t := s.Title.In(lang); t != "" {
		return t
	}
	return s.Key
}

// shorten cuts a text to n characters, with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

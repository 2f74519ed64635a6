package web

import (
	"context"
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// placeProblems splits the problems of a refused change: those of the changed step or field (at
// path; every problem when path is empty, as when the change itself was refused) go to the input
// that inputName names for the rest of their path, the others are listed with links to where
// they are fixed.
func placeProblems(ctx context.Context, eserviceID string, d *form.Definition, de form.DefinitionErrors, path string, inputName func(string) string) ([]templates.FieldMessage, []templates.DefinitionProblem) {
	var own []templates.FieldMessage
	var others form.DefinitionErrors
	for _, e := range de {
		item, rest := e.Item()
		name := ""
		if path == "" || item == path {
			name = inputName(rest)
		}
		if name == "" {
			others = append(others, e)
			continue
		}
		own = append(own, templates.FieldMessage{Field: name, Message: editorMessage(ctx, e)})
	}
	var problems []templates.DefinitionProblem
	if len(others) > 0 {
		problems = definitionProblems(ctx, eserviceID, d, others)
	}
	return own, problems
}

// editorMessage translates a problem for the editor's forms: a rule is named by its input's label.
func editorMessage(ctx context.Context, e form.DefinitionError) string {
	args := slices.Clone(e.Args)
	if strings.HasPrefix(e.Key, "error.form.def.rule.") {
		for i, a := range args {
			if name, ok := a.(string); ok && formread.RuleInput(name) != "" {
				args[i] = "”" + i18n.T(ctx, "editor.rule."+name) + "”"
			}
		}
	}
	return i18n.T(ctx, e.Key, args...)
}

// refusedEditProblems are the problems of a refused move or removal on the editor page: a
// condition that used a removed field says so, at the step or field whose condition it is.
func refusedEditProblems(ctx context.Context, e eservice.Listed, d *form.Definition, de form.DefinitionErrors, removed []form.Field) []templates.DefinitionProblem {
	out := make(form.DefinitionErrors, 0, len(de))
	for _, pr := range de {
		if pr.Key == "error.form.def.condition.field" && len(pr.Args) > 0 {
			for _, f := range removed {
				if pr.Args[0] == f.Key {
					pr.Key, pr.Args = "error.editor.removeInUse", []any{fieldName(f, lang(ctx))}
				}
			}
		}
		out = append(out, pr)
	}
	return definitionProblems(ctx, e.ID.String(), d, out)
}

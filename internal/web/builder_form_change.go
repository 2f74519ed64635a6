package web

import (
	"context"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/templates"
)

// formChange is a change of the form editor with its name (action) and item (target) in the
// e-service's history.
type formChange struct {
	action, target string
	form.Change
}

// applyChange makes the change on the draft version; path is the changed item's path when the
// change got as far as the check.
func (s *Server) applyChange(ctx context.Context, e eservice.Listed, c formChange) (path string, err error) {
	_, err = s.eservices.EditDraft(ctx, staffFrom(ctx).Actor(), e.ID, c.action, c.target, func(d *form.Definition) error {
		path, err = c.Apply(d)
		return err
	})
	return path, err
}

// refusal is what a refused change shows at its form: the messages at the inputs and the
// problems the change causes elsewhere in the form.
type refusal struct {
	Errors []templates.FieldMessage
	Others []templates.DefinitionProblem
}

// change makes the change of a step's or field's form. When the form has errors of its own
// (formErrs), nothing is stored: the change is only tried, for the problems it would have besides.
// A refused change is returned as a refusal, with a nil error; another failure as the error.
// inputName names the form's input of a problem of the changed item (see formread.FieldInput).
func (s *Server) change(ctx context.Context, e eservice.Listed, d *form.Definition, c formChange, formErrs apperr.FieldErrors, inputName func(string) string) (*refusal, error) {
	var path string
	var err error
	if len(formErrs) == 0 {
		path, err = s.applyChange(ctx, e, c)
	} else {
		path, err = c.Try(d)
	}
	de, refused := form.AsDefinitionErrors(err)
	if err != nil && !refused {
		return nil, err
	}
	if !refused && len(formErrs) == 0 {
		return nil, nil
	}
	own, others := placeProblems(ctx, e.ID.String(), d, de, path, inputName)
	return &refusal{Errors: append(fieldMessages(ctx, formErrs), own...), Others: others}, nil
}

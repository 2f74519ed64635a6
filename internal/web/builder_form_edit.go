package web

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/formread"
)

// editorEdit is a button of the form editor that changes one step or field in place: a move or a
// removal. builderFormEdit makes its handler.
type editorEdit struct {
	item   string // "step" or "field": what it changes, and the route parameter of its key
	action string // the change's name in the e-service's history
	done   string // the confirmation shown after it
	// edit reads the button's post and returns its change of the item with the key.
	edit func(key string, post url.Values) (func(*form.Definition) error, error)
}

// The editor's buttons. A move one place up or down (riktning=upp or ner) that would put a
// condition before the field it uses is refused, and so is a removal of a field (or of a step with
// a field) that a condition uses: the editor page shows the problems, each pointing to the
// condition. A field moves within its step, or from the first field of a step to the end of the
// one before, and from the last to the start of the one after.
var (
	stepMove    = editorEdit{"step", "form_step_moved", "stepmoved", moving((*form.Definition).MoveStep)}
	stepRemove  = editorEdit{"step", "form_step_removed", "stepremoved", removing((*form.Definition).RemoveStep)}
	fieldMove   = editorEdit{"field", "form_field_moved", "fieldmoved", moving((*form.Definition).MoveField)}
	fieldRemove = editorEdit{"field", "form_field_removed", "fieldremoved", removing((*form.Definition).RemoveField)}
)

// moving is the edit of a move button: move in the direction posted.
func moving(move func(*form.Definition, string, form.Direction) error) func(string, url.Values) (func(*form.Definition) error, error) {
	return func(key string, post url.Values) (func(*form.Definition) error, error) {
		dir, err := formread.Direction(post)
		return func(d *form.Definition) error { return move(d, key, dir) }, err
	}
}

// removing is the edit of a remove button.
func removing(remove func(*form.Definition, string) error) func(string, url.Values) (func(*form.Definition) error, error) {
	return func(key string, _ url.Values) (func(*form.Definition) error, error) {
		return func(d *form.Definition) error { return remove(d, key) }, nil
	}
}

// builderFormEdit makes the handler of a button of the form editor (see editorEdit). It returns
// to the editor at the item, or at the step a removed field was in; a refused change shows the
// editor with its problems.
func (s *Server) builderFormEdit(b editorEdit) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		e, err := s.builderEService(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return apperr.Wrap(apperr.Invalid, "", err)
		}
		key := chi.URLParam(r, b.item)
		edit, err := b.edit(key, r.PostForm)
		if err != nil {
			return err
		}
		d, err := s.workingForm(ctx, e)
		if err != nil {
			return err
		}
		// The change on a copy first: an item that is not there, or a move past the end, is an
		// error before anything is stored; the copy tells which fields the change removes.
		after := d.Clone()
		if err := edit(after); err != nil {
			return err
		}
		_, err = s.applyChange(ctx, e, formChange{action: b.action, target: key, Change: form.Change{Edit: edit}})
		if de, refused := form.AsDefinitionErrors(err); refused {
			return s.editorRefused(w, r, e, refusedEditProblems(ctx, e, d, de, d.FieldsGone(after)))
		}
		if err != nil {
			return err
		}
		formDone(w, r, e, b.done, editorAnchor(d, after, b.item, key))
		return nil
	}
}

// editorAnchor is where the editor page returns to after a change of the step or field with the
// key (before is the form before it, after the form after it): the item, or when it is gone, the
// step the field was in; nowhere for a removed step.
func editorAnchor(before, after *form.Definition, item, key string) string {
	if item == "step" {
		if after.StepIndex(key) < 0 {
			return ""
		}
		return "steg-" + key
	}
	if i, _ := after.FieldIndex(key); i >= 0 {
		return "falt-" + key
	}
	if i, _ := before.FieldIndex(key); i >= 0 {
		return "steg-" + before.Steps[i].Key
	}
	return ""
}

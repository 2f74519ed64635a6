package form

import (
	"maps"
	"net/url"
	"slices"

	"github.com/minasidor/minasidor/internal/apperr"
)

// MergedStep is a post of one step's page merged into the stored answers (see MergeStep).
type MergedStep struct {
	// Answers are the answers after the post, to check (CheckStep) and to show.
	Answers Answers
	// Keep are the answers to store: Answers without the text that is not valid UTF-8, which
	// cannot be stored as it was typed.
	Keep Answers
	// Unreadable has a problem (KeyEncoding) for each input left out of Keep, in form order; the
	// step is shown again with them whatever the button.
	Unreadable apperr.FieldErrors
}

// MergeStep merges a post of the page of step into the stored answers. The citizen's step and the
// admin's preview both store a step with it.
//
//   - The answers to the fields on the page (see PageFields) are replaced by what was posted, as
//     Collect reads it: an input left out of the post, such as an unticked box, is cleared.
//   - A field of the step that the page does not show (hidden by an answer on an earlier step)
//     keeps its answer, whatever was posted under its name, and so do the fields of other steps
//     and keys that are not inputs of the definition: nothing is cleared that the page did not
//     ask for. The answers to hidden fields are dropped when the case is submitted (Prune).
//   - A file field's answer is the list of its files as they are after the post's removals and
//     uploads, given by files (field key to file ids); a file field without files has no answer.
//     Values posted under a file field's name are ignored. files may hold other fields too.
//
// stored is not modified.
func (d *Definition) MergeStep(stored Answers, step Step, posted url.Values, files Answers) MergedStep {
	answers := Answers{}
	maps.Copy(answers, stored)
	page := Step{Key: step.Key, Fields: d.PageFields(step, stored)}
	for _, name := range page.InputNames() {
		delete(answers, name)
	}
	collected := page.Collect(posted)
	maps.Copy(answers, collected)
	for _, f := range step.Fields {
		if f.Type != File {
			continue
		}
		delete(answers, f.Key)
		if ids := files[f.Key]; len(ids) > 0 {
			answers[f.Key] = slices.Clone(ids)
		}
	}

	m := MergedStep{Answers: answers, Keep: answers, Unreadable: page.Unreadable(collected)}
	if len(m.Unreadable) > 0 {
		m.Keep = maps.Clone(answers)
		for _, fe := range m.Unreadable {
			delete(m.Keep, fe.Field)
		}
	}
	return m
}

// PageFields returns the fields of the step that its page shows for the stored answers, in
// order: the fields shown (see Visible), and those whose condition is on a field of the same
// step, which the page shows with a hint and its script hides until the condition holds. A field
// hidden by an answer on an earlier step is not on the page.
func (d *Definition) PageFields(step Step, a Answers) []Field {
	visible := d.Visible(a)
	var fields []Field
	for _, f := range step.Fields {
		if visible[f.Key] || f.ShowIf != nil && slices.ContainsFunc(step.Fields, func(g Field) bool { return g.Key == f.ShowIf.Field }) {
			fields = append(fields, f)
		}
	}
	return fields
}

package form

import (
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
)

// CheckStep validates the answers to the shown fields of one step (see Visible) and returns a
// problem per input, in the order of the form; nil when all is well, when the step is hidden
// and when there is no step with the key. FieldError.Field is the input name: the field key, or
// "key.part" for a part of an address or contact block, so the page can link to that input.
//
// Date rules and the date of birth of a personal identity number are judged by now's calendar
// date in Europe/Stockholm. The messages are generic ("the answer is too long"): a limit the
// user should know of belongs in the field's help text. The one exception is a pattern: when the
// key is KeyPattern and the field has a PatternMessage, the page shows that text instead.
func (d *Definition) CheckStep(stepKey string, a Answers, now time.Time) apperr.FieldErrors {
	v := d.visibility(a)
	for i, s := range d.Steps {
		if s.Key == stepKey {
			if !v.steps[i] {
				return nil
			}
			return checkFields(s.Fields, v.fields, a, now)
		}
	}
	return nil
}

// CheckAll validates the answers to every shown step, as before a case is submitted, and returns
// the problems by step key; an empty map when all is well.
func (d *Definition) CheckAll(a Answers, now time.Time) map[string]apperr.FieldErrors {
	v := d.visibility(a)
	out := map[string]apperr.FieldErrors{}
	for i, s := range d.Steps {
		if !v.steps[i] {
			continue
		}
		if errs := checkFields(s.Fields, v.fields, a, now); len(errs) > 0 {
			out[s.Key] = errs
		}
	}
	return out
}

// FirstInvalidStep returns the key of the first step, in form order, that has problems in errs
// (as returned by CheckAll), and false when there is none: the step to send the user back to.
func (d *Definition) FirstInvalidStep(errs map[string]apperr.FieldErrors) (string, bool) {
	for _, s := range d.Steps {
		if len(errs[s.Key]) > 0 {
			return s.Key, true
		}
	}
	return "", false
}

// Unreadable returns a problem (KeyEncoding) for each input of the step whose answer is not
// valid UTF-8, in the order of the form; nil when there is none. Such text cannot be stored as it
// was typed (a JSON document would hold replacement characters instead): the caller leaves it
// out of what it stores and shows the step again, whatever the button. CheckStep reports the
// same problems.
func (s Step) Unreadable(a Answers) apperr.FieldErrors {
	var errs apperr.FieldErrors
	for _, f := range s.Fields {
		for _, name := range f.InputNames() {
			if !readable(a[name]) {
				errs.Add(name, KeyEncoding)
			}
		}
	}
	return errs
}

func checkFields(fields []Field, visible map[string]bool, a Answers, now time.Time) apperr.FieldErrors {
	var errs apperr.FieldErrors
	c := fieldChecker{a: a, now: now.In(stockholm), today: today(now), errs: &errs}
	for i := range fields {
		if visible[fields[i].Key] {
			c.check(&fields[i])
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

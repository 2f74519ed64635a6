package form

import "strings"

// Holds reports whether the condition holds for the answers, comparing the referenced field's
// answer as text, exactly (after trimming surrounding white space). A nil condition always holds.
//
//   - equals: some answer value equals Value. For a multiple_choice field this means "Value is
//     one of the ticked options".
//   - oneOf: some answer value equals one of Values.
//   - notEquals: no answer value equals Value; so it holds for an unanswered field.
//
// An unknown operator never holds. Holds does not know whether the referenced field is shown:
// use Definition.Visible, which also treats a condition on a hidden field as false and compares
// number fields by value ("12,5" equals "12.5").
func (c *Condition) Holds(a Answers) bool { return c.holds(a, "") }

// holds is Holds for a referenced field of type t.
func (c *Condition) holds(a Answers, t FieldType) bool {
	if c == nil {
		return true
	}
	match := func(want string) bool {
		for _, v := range a[c.Field] {
			if equalAnswer(strings.TrimSpace(v), want, t) {
				return true
			}
		}
		return false
	}
	switch c.Op {
	case OpEquals:
		return match(c.Value)
	case OpNotEquals:
		return !match(c.Value)
	case OpOneOf:
		for _, w := range c.Values {
			if match(w) {
				return true
			}
		}
	}
	return false
}

// equalAnswer compares an answer value with a condition's value: numbers by value, the rest as
// text. Blank answers equal nothing.
func equalAnswer(got, want string, t FieldType) bool {
	if got == "" {
		return false
	}
	if t == Number {
		g, ok1 := parseNumber(got)
		w, ok2 := parseNumber(want)
		if ok1 && ok2 {
			return numberValue(g) == numberValue(w)
		}
	}
	return got == want
}

// visibility is which steps (by index) and fields (by key) are shown for some answers.
type visibility struct {
	steps  []bool
	fields map[string]bool
}

// visibility evaluates every condition in form order. Because a condition may only refer to an
// earlier field, one pass suffices; a condition on an unknown, later or hidden field is false.
func (d *Definition) visibility(a Answers) visibility {
	v := visibility{steps: make([]bool, len(d.Steps)), fields: map[string]bool{}}
	types := map[string]FieldType{}
	holds := func(c *Condition) bool {
		if c == nil {
			return true
		}
		return v.fields[c.Field] && c.holds(a, types[c.Field])
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		v.steps[i] = holds(s.ShowIf)
		for j := range s.Fields {
			f := &s.Fields[j]
			if _, dup := types[f.Key]; dup {
				continue // an invalid definition: the first field of a key counts
			}
			v.fields[f.Key] = v.steps[i] && holds(f.ShowIf)
			types[f.Key] = f.Type
		}
	}
	return v
}

// Visible reports for each field key whether the field is shown for the answers: its step is
// shown, and its condition holds on a field that is itself shown. This is the single source of
// truth for what is asked, checked, kept and summarized.
func (d *Definition) Visible(a Answers) map[string]bool { return d.visibility(a).fields }

// VisibleSteps returns the steps that are shown for the answers, in order.
func (d *Definition) VisibleSteps(a Answers) []Step {
	v := d.visibility(a)
	var steps []Step
	for i, s := range d.Steps {
		if v.steps[i] {
			steps = append(steps, s)
		}
	}
	return steps
}

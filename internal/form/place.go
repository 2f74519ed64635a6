package form

import (
	"fmt"
	"slices"
)

// Where the steps and fields are in a definition.

// StepIndex returns the index of the step with the key, or -1.
func (d *Definition) StepIndex(key string) int {
	return slices.IndexFunc(d.Steps, func(s Step) bool { return s.Key == key })
}

// FieldIndex returns the step and field index of the field with the key, or -1, -1.
func (d *Definition) FieldIndex(key string) (int, int) {
	for i := range d.Steps {
		if j := slices.IndexFunc(d.Steps[i].Fields, func(f Field) bool { return f.Key == key }); j >= 0 {
			return i, j
		}
	}
	return -1, -1
}

// FieldsBefore counts the fields of the form before field j of step i: those a condition of that
// field may use. j may be the number of the step's fields, for a field added at its end.
func (d *Definition) FieldsBefore(i, j int) int {
	n := j
	for _, s := range d.Steps[:i] {
		n += len(s.Fields)
	}
	return n
}

// StepPath returns the path of the step with the key ("steps[1]"), as DefinitionError.Path
// begins for its problems; "" when there is none.
func (d *Definition) StepPath(key string) string {
	i := d.StepIndex(key)
	if i < 0 {
		return ""
	}
	return fmt.Sprintf("steps[%d]", i)
}

// FieldPath returns the path of the field with the key ("steps[1].fields[2]"); "" when there is
// none.
func (d *Definition) FieldPath(key string) string {
	i, j := d.FieldIndex(key)
	if i < 0 {
		return ""
	}
	return fmt.Sprintf("steps[%d].fields[%d]", i, j)
}

// FieldsGone returns the fields of d that after, a changed copy of it, no longer has: the fields
// a change removed.
func (d *Definition) FieldsGone(after *Definition) []Field {
	var gone []Field
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if i, _ := after.FieldIndex(f.Key); i < 0 {
				gone = append(gone, f)
			}
		}
	}
	return gone
}

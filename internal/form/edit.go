package form

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/minasidor/minasidor/internal/apperr"
	"golang.org/x/text/unicode/norm"
)

// The editing operations of the form editor. Each changes one step or field of a definition and
// keeps the definition consistent where it can by itself (unique keys, conditions following a
// renamed field); whether the result can be used is for CheckDraft or Check to say.

// Errors of the editing operations.
var (
	ErrStepNotFound  = apperr.New(apperr.NotFound, "error.editor.stepNotFound")
	ErrFieldNotFound = apperr.New(apperr.NotFound, "error.editor.fieldNotFound")
	// ErrCannotMove is a move past the start or the end of the form.
	ErrCannotMove = apperr.New(apperr.Invalid, "error.editor.cannotMove")
)

// Direction is where a move takes a step, a field or an e-service's status: one place up
// (towards the start) or down.
type Direction int

// The directions of a move.
const (
	Up   Direction = -1
	Down Direction = 1
)

// Valid reports whether dir is Up or Down.
func (dir Direction) Valid() bool { return dir == Up || dir == Down }

// definitionError returns a single problem as Check would report it.
func definitionError(path, step, field, key string, args ...any) error {
	return apperr.Wrap(apperr.Invalid, ErrDefinition.Key, DefinitionErrors{{Path: path, Step: step, Field: field, Key: "error.form.def." + key, Args: args}})
}

// AddStep adds the step at the end of the form. Its key must not be used by another step.
func (d *Definition) AddStep(s Step) error {
	if d.StepIndex(s.Key) >= 0 {
		return definitionError(fmt.Sprintf("steps[%d].key", len(d.Steps)), s.Key, "", "step.keyDuplicate", s.Key)
	}
	if s.Fields == nil {
		s.Fields = []Field{}
	}
	d.Steps = append(d.Steps, s)
	return nil
}

// UpdateStep replaces the key, title, intro and condition of the step with oldKey by those of s;
// the step keeps its fields and place.
func (d *Definition) UpdateStep(oldKey string, s Step) error {
	i := d.StepIndex(oldKey)
	if i < 0 {
		return ErrStepNotFound
	}
	if s.Key != oldKey && d.StepIndex(s.Key) >= 0 {
		return definitionError(fmt.Sprintf("steps[%d].key", i), s.Key, "", "step.keyDuplicate", s.Key)
	}
	st := &d.Steps[i]
	st.Key, st.Title, st.Intro, st.ShowIf = s.Key, s.Title, s.Intro, s.ShowIf
	return nil
}

// MoveStep moves the step with the key one place up (towards the start) or down.
func (d *Definition) MoveStep(key string, dir Direction) error {
	i := d.StepIndex(key)
	if i < 0 {
		return ErrStepNotFound
	}
	to := i + int(dir)
	if !dir.Valid() || to < 0 || to >= len(d.Steps) {
		return ErrCannotMove
	}
	d.Steps[i], d.Steps[to] = d.Steps[to], d.Steps[i]
	return nil
}

// RemoveStep removes the step with the key and its fields.
func (d *Definition) RemoveStep(key string) error {
	i := d.StepIndex(key)
	if i < 0 {
		return ErrStepNotFound
	}
	d.Steps = slices.Delete(d.Steps, i, i+1)
	return nil
}

// AddField adds the field at the end of the step with stepKey. Its key must not be used by any
// field of the form.
func (d *Definition) AddField(stepKey string, f Field) error {
	i := d.StepIndex(stepKey)
	if i < 0 {
		return ErrStepNotFound
	}
	if si, _ := d.FieldIndex(f.Key); si >= 0 {
		return definitionError(fmt.Sprintf("steps[%d].fields[%d].key", i, len(d.Steps[i].Fields)), stepKey, f.Key, "field.keyDuplicate", f.Key)
	}
	d.Steps[i].Fields = append(d.Steps[i].Fields, f)
	return nil
}

// UpdateField replaces the field with oldKey by f, in its place. A new key must not be used by
// another field; the conditions that referred to the old key then refer to the new one.
func (d *Definition) UpdateField(oldKey string, f Field) error {
	i, j := d.FieldIndex(oldKey)
	if i < 0 {
		return ErrFieldNotFound
	}
	if f.Key != oldKey {
		if si, _ := d.FieldIndex(f.Key); si >= 0 {
			return definitionError(fmt.Sprintf("steps[%d].fields[%d].key", i, j), d.Steps[i].Key, f.Key, "field.keyDuplicate", f.Key)
		}
	}
	d.Steps[i].Fields[j] = f
	if f.Key != oldKey {
		rename := func(c *Condition) {
			if c != nil && c.Field == oldKey {
				c.Field = f.Key
			}
		}
		for si := range d.Steps {
			rename(d.Steps[si].ShowIf)
			for fi := range d.Steps[si].Fields {
				rename(d.Steps[si].Fields[fi].ShowIf)
			}
		}
	}
	return nil
}

// MoveField moves the field with the key one place up (towards the start) or down. A place is
// one step of the order of the whole form: within its step, and from the first field of a step up
// to the end of the previous step, or from the last field down to the start of the next one, so
// that any order can be reached one place at a time. A move past the start or the end of the form
// changes nothing.
func (d *Definition) MoveField(key string, dir Direction) error {
	i, j := d.FieldIndex(key)
	if i < 0 {
		return ErrFieldNotFound
	}
	if !dir.Valid() || !d.moveFieldOnce(i, j, dir == Up) {
		return ErrCannotMove
	}
	return nil
}

// moveFieldOnce moves the field at (i, j) one place, and reports whether it could; it changes
// nothing when it cannot.
func (d *Definition) moveFieldOnce(i, j int, up bool) bool {
	fields := d.Steps[i].Fields
	switch {
	case up && j > 0:
		fields[j-1], fields[j] = fields[j], fields[j-1]
	case up && i > 0:
		f := fields[j]
		d.Steps[i].Fields = slices.Delete(fields, j, j+1)
		d.Steps[i-1].Fields = append(d.Steps[i-1].Fields, f)
	case !up && j < len(fields)-1:
		fields[j+1], fields[j] = fields[j], fields[j+1]
	case !up && i+1 < len(d.Steps):
		f := fields[j]
		d.Steps[i].Fields = slices.Delete(fields, j, j+1)
		d.Steps[i+1].Fields = slices.Insert(d.Steps[i+1].Fields, 0, f)
	default:
		return false
	}
	return true
}

// RemoveField removes the field with the key. Conditions that refer to it are left for
// CheckDraft to report.
func (d *Definition) RemoveField(key string) error {
	i, j := d.FieldIndex(key)
	if i < 0 {
		return ErrFieldNotFound
	}
	d.Steps[i].Fields = slices.Delete(d.Steps[i].Fields, j, j+1)
	return nil
}

// maxKeyLength is the longest key keyPattern accepts.
const maxKeyLength = 41

// SuggestFieldKey makes a field key from a label that no field of the form has: "Barnets namn"
// becomes "barnets_namn", or "barnets_namn_2" when that is taken.
func (d *Definition) SuggestFieldKey(label string) string {
	return SuggestKey(label, "falt", func(k string) bool { i, _ := d.FieldIndex(k); return i >= 0 })
}

// SuggestStepKey makes a step key from a title that no step of the form has.
func (d *Definition) SuggestStepKey(title string) string {
	return SuggestKey(title, "steg", func(k string) bool { return d.StepIndex(k) >= 0 })
}

// Slug makes a value for keys and option values from a text: lower case a–z, 0–9 and
// underscores, with the marks of letters removed (å, ä → a, ö → o, é → e) and every other
// character a separator. It is "" for a text without letters or digits.
func Slug(text string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(strings.ToLower(text)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a mark of the letter before
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		default:
			sep = true
		}
	}
	return b.String()
}

// SuggestKey makes a key from text that taken does not report, starting with a letter (prefix
// when the text has none first) and no longer than a key may be (see ValidKey). Step and field
// keys are made with it, and so are other keys of the same syntax (an e-service's statuses).
func SuggestKey(text, prefix string, taken func(string) bool) string {
	base := Slug(text)
	if base == "" {
		base = prefix
	} else if base[0] < 'a' || base[0] > 'z' {
		base = prefix + "_" + base
	}
	cut := func(s string, n int) string {
		if len(s) > n {
			s = strings.TrimRight(s[:n], "_")
		}
		return s
	}
	base = cut(base, maxKeyLength)
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := "_" + strconv.Itoa(n)
		if k := cut(base, maxKeyLength-len(suffix)) + suffix; !taken(k) {
			return k
		}
	}
}

// Clone returns a deep copy of the definition, for trying a change without touching the original.
func (d *Definition) Clone() *Definition {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // a definition always encodes
	}
	var c Definition
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	if c.Steps == nil {
		c.Steps = []Step{}
	}
	return &c
}

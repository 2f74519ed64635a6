package form

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// The parts of compound fields, in input order: the input name of a part is "key.part". Do not
// modify.
var (
	AddressParts = []string{"street", "care_of", "postal_code", "city"}
	ContactParts = []string{"name", "email", "phone"}
)

// InputNames returns the names of the field's inputs, as keys of Answers and names of the form
// post: the key, or "key.part" for each part of an address (street, care_of, postal_code, city)
// or a contact block (name, email, phone); none for an info field. A file field's input holds the
// ids of its stored files.
func (f Field) InputNames() []string {
	var parts []string
	switch f.Type {
	case Info:
		return nil
	case Address:
		parts = AddressParts
	case Contact:
		parts = ContactParts
	default:
		return []string{f.Key}
	}
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = f.Key + "." + p
	}
	return names
}

// InputNames returns the input names of all the step's fields, in order.
func (s Step) InputNames() []string {
	var names []string
	for _, f := range s.Fields {
		names = append(names, f.InputNames()...)
	}
	return names
}

// Step returns the step with the key.
func (d *Definition) Step(key string) (Step, bool) {
	for _, s := range d.Steps {
		if s.Key == key {
			return s, true
		}
	}
	return Step{}, false
}

// Field returns the field with the key, from any step.
func (d *Definition) Field(key string) (Field, bool) {
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if f.Key == key {
				return f, true
			}
		}
	}
	return Field{}, false
}

// Collect takes the answers to the step's fields from a posted form, whether the fields are
// shown or not (conditions are evaluated afterwards, on the merged answers). Values are cleaned:
// line breaks become "\n" (a long_text keeps them and tabs; other
// inputs get spaces instead), other control characters are removed, and surrounding white space
// is trimmed. Blank values are dropped, and so are inputs without a value: a missing key means
// "not answered". A multiple_choice keeps every ticked value (once); other inputs keep their
// first value. File and info fields are skipped: the caller handles uploads.
//
// A value that is not valid UTF-8 is kept as it was posted, not cleaned: the check refuses it
// (KeyEncoding, see Step.Unreadable), where replacing its bytes would keep characters the user
// never typed.
//
// A step is saved with Definition.MergeStep, which collects the fields its page shows.
func (s Step) Collect(form url.Values) Answers {
	a := Answers{}
	for _, f := range s.Fields {
		if f.Type == File || f.Type == Info {
			continue
		}
		multiline := f.Type == LongText
		for _, name := range f.InputNames() {
			var vals []string
			for _, raw := range form[name] {
				v := cleanInput(raw, multiline)
				if v == "" || slices.Contains(vals, v) {
					continue
				}
				vals = append(vals, v)
				if f.Type != MultipleChoice {
					break
				}
			}
			if len(vals) > 0 {
				a[name] = vals
			}
		}
	}
	return a
}

// cleanInput cleans one posted value; see Collect.
func cleanInput(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if multiline {
				if r == '\r' {
					return '\n'
				}
				return r
			}
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Prune returns the answers to the fields that are shown (see Visible), and nothing else: no
// answers to hidden fields or hidden steps, no keys that are not inputs of the definition, no
// empty value lists. Call it before a case is submitted. The answers are not modified; the caller
// deletes the stored files whose ids are no longer in a file field's answer.
func (d *Definition) Prune(a Answers) Answers {
	visible := d.Visible(a)
	out := Answers{}
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if !visible[f.Key] {
				continue
			}
			for _, name := range f.InputNames() {
				if vals := a[name]; len(vals) > 0 {
					out[name] = slices.Clone(vals)
				}
			}
		}
	}
	return out
}

// IsPersonal reports whether RemovePersonal drops the field's answers: a field marked Personal,
// and every contact, personal_number, email and phone field (their answers identify or reach a
// person, whatever the field is called).
func (f Field) IsPersonal() bool {
	switch f.Type {
	case Contact, PersonalNumber, Email, Phone:
		return true
	}
	return f.Personal
}

// RemovePersonal returns the answers for an anonymous case: the answers to the definition's
// fields except those of personal fields (see Field.IsPersonal). Keys that are not inputs of the
// definition are dropped as well, since nothing is known about them. The answers are not
// modified. Addresses, free texts and files are kept unless marked Personal: the e-service admin
// marks those that hold contact data.
func (d *Definition) RemovePersonal(a Answers) Answers {
	out := Answers{}
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if f.IsPersonal() {
				continue
			}
			for _, name := range f.InputNames() {
				if vals := a[name]; len(vals) > 0 {
					out[name] = slices.Clone(vals)
				}
			}
		}
	}
	return out
}

// Normalize returns the answers in the canonical form for storage: every value of the
// definition's inputs trimmed (blank values dropped), phone numbers in E.164 (+46701234567),
// personal identity numbers as 12 digits, organisation numbers as 10 digits, postal codes as
// "NNN NN" and numbers with a decimal point and no grouping ("1 000,5" -> "1000.5"). A value that
// is not valid is kept as it is (trimmed), for the validation to report. Keys that are not inputs
// of the definition are kept unchanged (see Prune). Normalize is idempotent and does not modify
// its argument.
func (d *Definition) Normalize(a Answers) Answers { return d.normalizeAt(a, time.Now()) }

func (d *Definition) normalizeAt(a Answers, now time.Time) Answers {
	out := make(Answers, len(a))
	for k, v := range a {
		out[k] = slices.Clone(v)
	}
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			for _, name := range f.InputNames() {
				vals, ok := a[name]
				if !ok {
					continue
				}
				part := name[len(f.Key):]
				var clean []string
				for _, v := range vals {
					if v = strings.TrimSpace(v); v != "" {
						clean = append(clean, canonical(f.Type, part, v, now))
					}
				}
				if len(clean) == 0 {
					delete(out, name)
				} else {
					out[name] = clean
				}
			}
		}
	}
	return out
}

// canonical returns the canonical form of a trimmed value of an input of a field of type t (part
// is "" or ".part"), or v when it is not valid.
func canonical(t FieldType, part, v string, now time.Time) string {
	var c string
	ok := false
	switch {
	case t == Number:
		c, ok = parseNumber(v)
	case t == Phone || t == Contact && part == ".phone":
		c, ok = normalizePhone(v)
	case t == PersonalNumber:
		if n, err := personnummer.ParseAt(v, now.In(stockholm)); err == nil {
			c, ok = n.String(), true
		}
	case t == OrgNumber:
		var problem string
		c, problem = parseOrgNumber(v)
		ok = problem == ""
	case t == Address && part == ".postal_code":
		c, ok = parsePostalCode(v)
	}
	if ok {
		return c
	}
	return v
}

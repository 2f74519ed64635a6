package eservice

import "github.com/minasidor/minasidor/internal/form"

// The catalogue keys that say what a once-only e-service counts.
const (
	KeyOnceByPersonalNumber = "once.counts.personal_number" // the logged-in person's number
	KeyOnceByEmail          = "once.counts.email"           // the logged-in person's e-mail address
	KeyOnceByField          = "once.counts.field"           // the answer to a field, named by its label

	KeyOnceExistsPersonalNumber = "once.exists.personal_number" // a start refused: the person has a case
	KeyOnceExistsEmail          = "once.exists.email"
	KeyOnceExistsField          = "once.exists.field" // the step that names the person refused
)

// OnceOnlyRefusal is the catalogue key that refuses a start because the logged-in person has a
// case already, naming what counted.
func (e EService) OnceOnlyRefusal() string {
	if e.OnceOnly == OnceEmail {
		return KeyOnceExistsEmail
	}
	return KeyOnceExistsPersonalNumber
}

// OnceOnlyBasis says what an e-service that accepts one case per person counts as the person, so
// that the citizen is told before filling it in: a catalogue key, and for a field of the form
// (a child's personal number) its label in the language. def is the version the citizen starts
// on; ok is false when the e-service accepts any number of cases.
func (e EService) OnceOnlyBasis(def *form.Definition, lang string) (key string, args []any, ok bool) {
	switch {
	case e.OnceOnly == OnceNone || e.OnceOnly == "":
		return "", nil, false
	case e.OnceOnlyField != "":
		if f, found := def.Field(e.OnceOnlyField); def != nil && found {
			return KeyOnceByField, []any{f.Label.In(lang)}, true
		}
	}
	if e.OnceOnly == OnceEmail {
		return KeyOnceByEmail, nil, true
	}
	return KeyOnceByPersonalNumber, nil, true
}

// Package form is the definition of an e-service's form (steps, fields, rules and conditions),
// stored as JSON with each e-service version, and the checking of a citizen's answers against it.
// It knows nothing of HTTP or the database.
package form

// Definition is the form of one e-service version: its steps in order.
type Definition struct {
	Steps []Step `json:"steps"`
}

// Text is a text in several languages, keyed by language tag ("sv", "en"). Swedish is required;
// other languages fall back to it.
type Text map[string]string

// Step is one page of the form.
type Step struct {
	Key    string     `json:"key"`
	Title  Text       `json:"title"`
	Intro  Text       `json:"intro,omitempty"`
	Fields []Field    `json:"fields"`
	ShowIf *Condition `json:"showIf,omitempty"` // the whole step is shown only when this holds
}

// FieldType is the kind of a field.
type FieldType string

// The field types.
const (
	ShortText      FieldType = "short_text"
	LongText       FieldType = "long_text"
	Number         FieldType = "number"
	Date           FieldType = "date"
	Email          FieldType = "email"
	Phone          FieldType = "phone"
	PersonalNumber FieldType = "personal_number" // personnummer or samordningsnummer
	OrgNumber      FieldType = "org_number"      // organisationsnummer
	Address        FieldType = "address"         // postal address: street, care of, postal code, city
	SingleChoice   FieldType = "single_choice"   // radio buttons
	MultipleChoice FieldType = "multiple_choice" // check boxes
	Dropdown       FieldType = "dropdown"        // a select
	YesNo          FieldType = "yes_no"          // answers "yes" or "no"
	File           FieldType = "file"            // uploads, stored in PostgreSQL
	Info           FieldType = "info"            // information text: no answer
	Consent        FieldType = "consent"         // one check box that must be ticked when required
	Contact        FieldType = "contact"         // name, e-mail and phone, prefilled from the account
	Booking        FieldType = "booking"         // a time of a bookable resource, held for the draft, booked with the case
)

// Field is one question.
type Field struct {
	Key      string    `json:"key"` // unique in the form; [a-z][a-z0-9_]*
	Type     FieldType `json:"type"`
	Label    Text      `json:"label"`
	Help     Text      `json:"help,omitempty"`
	Required bool      `json:"required,omitempty"`
	Options  []Option  `json:"options,omitempty"` // single_choice, multiple_choice, dropdown
	Rules    Rules     `json:"rules,omitzero"`
	Upload   *Upload   `json:"upload,omitempty"` // file
	// Resource is the slug of the municipality's bookable resource whose times a booking field
	// offers. The answer is the chosen time as "start/end" (see BookingValue).
	Resource string     `json:"resource,omitempty"`
	ShowIf   *Condition `json:"showIf,omitempty"` // shown only when this holds
	// Personal marks a field that holds contact data, removed from an anonymous case.
	Personal bool `json:"personal,omitempty"`
	// Prefill fills the field from the logged-in person's account when a draft starts: their
	// address (never for a protected identity), personal identity number, e-mail, phone, or
	// for a short text their name. Only for fields about the person filling in; a contact block
	// is always prefilled.
	Prefill bool `json:"prefill,omitempty"`
}

// Option is one choice of a choice field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Rules limit an answer. Only the rules that fit the field's type may be set.
type Rules struct {
	MinLength      *int     `json:"minLength,omitempty"` // short_text, long_text (characters)
	MaxLength      *int     `json:"maxLength,omitempty"`
	Pattern        string   `json:"pattern,omitempty"`        // short_text: a Go regular expression the whole answer must match
	PatternMessage Text     `json:"patternMessage,omitempty"` // shown when the pattern does not match
	Min            *float64 `json:"min,omitempty"`            // number
	Max            *float64 `json:"max,omitempty"`
	Integer        bool     `json:"integer,omitempty"` // number: whole numbers only
	MinDate        string   `json:"minDate,omitempty"` // date: YYYY-MM-DD, or "today", "today+N", "today-N" (days)
	MaxDate        string   `json:"maxDate,omitempty"`
	MinChoices     *int     `json:"minChoices,omitempty"` // multiple_choice
	MaxChoices     *int     `json:"maxChoices,omitempty"`
}

// Upload limits a file field.
type Upload struct {
	MaxFiles int      `json:"maxFiles"` // at least 1
	MaxBytes int64    `json:"maxBytes"` // per file
	Types    []string `json:"types"`    // accepted content types, as sniffed: application/pdf, image/jpeg, image/png...
}

// Condition shows a field or step depending on an earlier answer.
type Condition struct {
	Field  string   `json:"field"`            // key of a field that comes earlier in the form
	Op     string   `json:"op"`               // "equals", "oneOf" or "notEquals"
	Value  string   `json:"value,omitempty"`  // for equals and notEquals
	Values []string `json:"values,omitempty"` // for oneOf
}

// Condition operators.
const (
	OpEquals    = "equals"
	OpOneOf     = "oneOf"
	OpNotEquals = "notEquals"
)

// Answers are a citizen's answers, keyed by input name, as a form post delivers them: the field
// key for most fields, "key.part" for the parts of an address (street, care_of, postal_code,
// city) and a contact block (name, email, phone). A multiple choice has one value per ticked
// option; a file field holds the ids of its stored files.
type Answers map[string][]string

// Empty reports whether the definition has no steps: a form not begun.
func (d *Definition) Empty() bool { return len(d.Steps) == 0 }

// FieldsOfType returns the definition's fields of type t, in form order.
func (d *Definition) FieldsOfType(t FieldType) []Field {
	var out []Field
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if f.Type == t {
				out = append(out, f)
			}
		}
	}
	return out
}

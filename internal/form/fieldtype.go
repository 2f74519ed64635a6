package form

import "slices"

// What the editor offers for each field type.

// FieldTypes returns every field type, in the order the editor offers them.
func FieldTypes() []FieldType { return slices.Clone(knownTypes) }

// HasOptions reports whether fields of the type have options (Field.Options).
func (t FieldType) HasOptions() bool { return t.hasOptions() }

// Prefillable reports whether a field of the type may be filled from the account (Field.Prefill).
func (t FieldType) Prefillable() bool { return slices.Contains(prefillable, t) }

// Comparable reports whether a condition may refer to a field of the type.
func (t FieldType) Comparable() bool { return slices.Contains(comparableTypes, t) }

// Settings are the settings of a field that its type has, besides its key, texts, condition and
// the Personal mark, which every field has.
type Settings struct {
	Required bool // Field.Required
	Prefill  bool // Field.Prefill
	Options  bool // Field.Options
	Length   bool // Rules.MinLength and MaxLength
	Pattern  bool // Rules.Pattern and PatternMessage
	Number   bool // Rules.Min, Max and Integer
	Dates    bool // Rules.MinDate and MaxDate
	Choices  bool // Rules.MinChoices and MaxChoices
	Upload   bool // Field.Upload
	Resource bool // Field.Resource
}

// Settings returns the settings a field of the type has.
func (t FieldType) Settings() Settings {
	return Settings{
		Required: t != Info,
		Prefill:  t.Prefillable(),
		Options:  t.HasOptions(),
		Length:   t == ShortText || t == LongText,
		Pattern:  t == ShortText,
		Number:   t == Number,
		Dates:    t == Date,
		Choices:  t == MultipleChoice,
		Upload:   t == File,
		Resource: t == Booking,
	}
}

// ConditionValues returns the values a condition on the field can compare: its options' values,
// "yes" and "no" for a yes/no question, "yes" for a consent; none for a field whose answers are
// free text or numbers.
func (f Field) ConditionValues() []string {
	switch {
	case f.Type.HasOptions():
		var vs []string
		for _, o := range f.Options {
			vs = append(vs, o.Value)
		}
		return vs
	case f.Type == YesNo:
		return []string{"yes", "no"}
	case f.Type == Consent:
		return []string{"yes"}
	}
	return nil
}

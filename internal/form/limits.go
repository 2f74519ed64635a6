package form

import (
	"strconv"
	"strings"
)

// Limit is what a field allows, in words for the citizen: a catalogue key and its arguments
// ("Skriv ett tal mellan 0 och 150."). The form shows it as a hint before the citizen answers,
// and the same text is the error when an answer is outside the limits, so that the citizen is
// told what is allowed instead of only that the answer is wrong.
type Limit struct {
	Key  string
	Args []any
}

// The catalogue keys of limits.
const (
	KeyLimitNumberBetween  = "form.limit.number.between"  // min and max
	KeyLimitNumberMin      = "form.limit.number.min"      // min only
	KeyLimitNumberMax      = "form.limit.number.max"      // max only
	KeyLimitIntegerBetween = "form.limit.integer.between" // whole numbers, min and max
	KeyLimitIntegerMin     = "form.limit.integer.min"
	KeyLimitIntegerMax     = "form.limit.integer.max"
	KeyLimitChoicesBetween = "form.limit.choices.between" // multiple_choice, min and max
	KeyLimitChoicesExactly = "form.limit.choices.exactly" // min equals max
	KeyLimitChoicesMin     = "form.limit.choices.min"
	KeyLimitChoicesMax     = "form.limit.choices.max"
)

// LimitOf returns the limits of a number field or a multiple choice in words, with numbers
// written as in the language (a decimal comma in Swedish), and false when the field has none.
func LimitOf(f *Field, lang string) (Limit, bool) {
	switch f.Type {
	case Number:
		minV, maxV := f.Rules.Min, f.Rules.Max
		between, lo, hi := KeyLimitNumberBetween, KeyLimitNumberMin, KeyLimitNumberMax
		if f.Rules.Integer {
			between, lo, hi = KeyLimitIntegerBetween, KeyLimitIntegerMin, KeyLimitIntegerMax
		}
		switch {
		case minV != nil && maxV != nil:
			return Limit{between, []any{FormatNumber(*minV, lang), FormatNumber(*maxV, lang)}}, true
		case minV != nil:
			return Limit{lo, []any{FormatNumber(*minV, lang)}}, true
		case maxV != nil:
			return Limit{hi, []any{FormatNumber(*maxV, lang)}}, true
		}
	case MultipleChoice:
		minC, maxC := f.Rules.MinChoices, f.Rules.MaxChoices
		if minC != nil && *minC <= 1 {
			// At least one is what any ticked answer is; a required question says so itself.
			minC = nil
		}
		switch {
		case minC != nil && maxC != nil && *minC == *maxC:
			return Limit{KeyLimitChoicesExactly, []any{*minC}}, true
		case minC != nil && maxC != nil:
			return Limit{KeyLimitChoicesBetween, []any{*minC, *maxC}}, true
		case minC != nil:
			return Limit{KeyLimitChoicesMin, []any{*minC}}, true
		case maxC != nil:
			return Limit{KeyLimitChoicesMax, []any{*maxC}}, true
		}
	}
	return Limit{}, false
}

// IsLimitError reports whether an answer's error key says the answer is outside the field's
// limits, so that the field's Limit can say what is allowed instead.
func IsLimitError(key string) bool {
	switch key {
	case KeyTooSmall, KeyTooLarge, KeyTooFewChoices, KeyTooManyChoices:
		return true
	}
	return false
}

// FormatNumber writes a number for people: no exponent, no trailing zeros, a decimal comma in
// Swedish and a point in English, and a minus sign.
func FormatNumber(x float64, lang string) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return strings.Replace(s, "-", "\u2212", 1)
}

package apperr

import "strings"

// FieldError is a problem with one input field: which field, and the catalogue key of the message.
type FieldError struct {
	Field string
	Key   string
}

// FieldErrors is a validation failure of a form: kind Invalid, with a message per field. The page
// shows them as a summary at the top, linked to each field, and at the fields themselves.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Key
	}
	return "invalid input (" + strings.Join(parts, ", ") + ")"
}

// For returns the message key for field, or "".
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Key
		}
	}
	return ""
}

// Add appends a problem with field.
func (fe *FieldErrors) Add(field, key string) { *fe = append(*fe, FieldError{Field: field, Key: key}) }

// Err returns fe as an error, or nil when it is empty.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

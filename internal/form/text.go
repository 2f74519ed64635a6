package form

import "strings"

// In returns the text in lang, falling back to Swedish ("sv") when the text has no (or only an
// empty) translation into lang. It returns "" for a text without Swedish either.
func (t Text) In(lang string) string {
	if s := t[lang]; strings.TrimSpace(s) != "" {
		return s
	}
	return t["sv"]
}

// hasSwedish reports whether the text has a Swedish version that is not blank.
func (t Text) hasSwedish() bool { return strings.TrimSpace(t["sv"]) != "" }

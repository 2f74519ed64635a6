package form

import "unicode/utf8"

// maxFirstAnswer bounds FirstAnswer, in characters.
const maxFirstAnswer = 60

// FirstAnswer is the first answer that tells a draft apart from another draft of the same
// e-service (the child's name, the street), as the answers' summary shows it in lang and
// shortened to 60 characters; "" when nothing telling is answered yet. Yes or no, consent and
// file answers tell nothing and are passed over.
func (d *Definition) FirstAnswer(a Answers, lang string) string {
	if d == nil {
		return ""
	}
	for _, st := range d.Summary(a, lang, nil) {
		for _, it := range st.Items {
			switch it.Type {
			case YesNo, Consent, File:
				continue
			}
			if len(it.Values) == 0 || it.Values[0] == "" {
				continue
			}
			v := it.Values[0]
			if utf8.RuneCountInString(v) > maxFirstAnswer {
				v = string([]rune(v)[:maxFirstAnswer-1]) + "…"
			}
			return v
		}
	}
	return ""
}

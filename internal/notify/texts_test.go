package notify

import (
	"strings"
	"testing"
)

// Every kind has its texts in both languages, and no placeholder is left unfilled.
func TestTexts(t *testing.T) {
	v := vars{Municipality: "Alingsås kommun", EService: "Bygglov", Reference: "ALI-2026-000001", URL: "https://x.se/mina-sidor"}
	for kind := range texts {
		for _, lang := range []string{"sv", "en", "de"} {
			m, ok := render(kind, lang, v)
			if !ok {
				t.Fatalf("%s: no text", kind)
			}
			for _, s := range []string{m.Subject, m.Body, m.SMS} {
				if s == "" || strings.Contains(s, "{") {
					t.Errorf("%s/%s: %q", kind, lang, s)
				}
				if !strings.Contains(s, v.Reference) {
					t.Errorf("%s/%s: %q lacks the reference", kind, lang, s)
				}
			}
			if !strings.Contains(m.Body, v.URL) || !strings.Contains(m.SMS, v.URL) {
				t.Errorf("%s/%s: no login address", kind, lang)
			}
		}
	}
	for _, channel := range []string{ChannelEmail, ChannelSMS} {
		for _, lang := range []string{"sv", "en"} {
			m := renderCode(channel, lang, "123456")
			text := m.Body
			if channel == ChannelSMS {
				text = m.SMS
			}
			if !strings.Contains(text, "123456") || strings.Contains(text, "{") {
				t.Errorf("code %s/%s: %q", channel, lang, text)
			}
		}
	}
}

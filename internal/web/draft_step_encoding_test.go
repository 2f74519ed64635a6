package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A text answer that is not valid UTF-8 (here Latin-1 bytes, and a stray byte) is refused on its
// field and never stored with replacement characters: the step comes back with 422, the error
// summary and the message at the field, the other answers kept, whatever the button.
func TestStepRefusesUnreadableText(t *testing.T) {
	p := webtest.Start(t)
	b := newBrowser(t, p)
	draftID, stepURL := b.start("felanmalan-gatubelysning")
	const message = "Texten innehåller tecken som inte kan läsas. Skriv in den igen."
	stored := func(key string) (value string, present bool) {
		t.Helper()
		p.Pool.QueryRow(t.Context(), `SELECT answers->$2->>0, answers ? $2 FROM draft WHERE id = $1`, draftID, key).Scan(&value, &present)
		return value, present
	}
	noReplacement := func() {
		t.Helper()
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1 AND strpos(answers::text, U&'\FFFD') > 0`, draftID); n != 0 {
			t.Errorf("the draft holds replacement characters")
		}
	}

	for _, tt := range []struct {
		name   string
		post   func(url.Values) (*http.Response, string)
		action string
	}{
		{"going on, as a form", func(v url.Values) (*http.Response, string) { return b.step(stepURL, v, "next") }, "next"},
		{"saving, as multipart", func(v url.Values) (*http.Response, string) {
			v.Set("action", "save")
			return b.multipart(stepURL, v)
		}, "save"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tt.post(url.Values{
				"location":    {"Kungsgatan 12"},
				"fault_type":  {"slackt"},
				"description": {"Lyktan vid G\xf6tgatan blinkar \xff hela natten."},
			})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(body))
			}
			assertContains(t, "the step", body, "Det finns fel i formuläret", "<title>Fel: ", `href="#description"`,
				`value="Kungsgatan 12"`)
			if n := strings.Count(body, message); n != 2 {
				t.Errorf("the message is shown %d times, want 2 (the summary and the field): %s", n, errorText(body))
			}
			assertLacks(t, "the step", body, "\uFFFD", "Fyll i ett svar")
			if v, _ := stored("location"); v != "Kungsgatan 12" {
				t.Errorf("location stored as %q", v)
			}
			if v, ok := stored("description"); ok {
				t.Errorf("description stored as %q", v)
			}
			noReplacement()
		})
	}

	t.Run("a part of a contact block", func(t *testing.T) {
		feedbackURL := "/utkast/" + draftID + "/steg/feedback"
		resp, body := b.step(feedbackURL, url.Values{
			"wants_feedback": {"yes"}, "contact.name": {"J\xf6rgen"}, "contact.email": {"jorgen@example.se"},
		}, "next")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the step", body, `href="#contact.name"`, message, `value="jorgen@example.se"`)
		noReplacement()
	})

	t.Run("typed again", func(t *testing.T) {
		resp, body := b.step(stepURL, url.Values{
			"location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Lyktan vid Götgatan blinkar hela natten."},
		}, "next")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303: %s", resp.StatusCode, errorText(body))
		}
		if v, _ := stored("description"); v != "Lyktan vid Götgatan blinkar hela natten." {
			t.Errorf("description stored as %q", v)
		}
	})
}

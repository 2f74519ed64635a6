package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A number field and a check box group say what they allow before the citizen answers, and the
// error of an answer outside the limits says it again ("Skriv ett tal mellan 0 och 20"), instead
// of only "Talet är för stort".
func TestFieldLimitsInHintAndError(t *testing.T) {
	p := webtest.Start(t)
	b := loggedIn(t, p, "guardian1")
	_, loc := b.start("anmalan-till-kulturskola")
	courses := b.walk(loc, map[string]url.Values{"child": cultureSchoolSteps("20160514-9820", "Johan Bergström")["child"]})

	page := b.page(courses)
	assertContains(t, "the courses step", page,
		`<p class="hint" id="instruments-limit">Välj högst 3 alternativ.</p>`,
		`<p class="hint" id="years_played-limit">Skriv ett heltal mellan 0 och 20.</p>`,
		`aria-describedby="years_played-limit years_played-condition"`)

	answers := cultureSchoolSteps("20160514-9820", "Johan Bergström")["courses"]
	answers["instruments"] = []string{"piano", "fiol", "cello", "sang"}
	answers["played_before"] = []string{"yes"}
	answers["years_played"] = []string{"12345"}
	resp, body := b.step(courses, answers, "next")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(body))
	}
	assertContains(t, "the errors", body, "Välj högst 3 alternativ.", "Skriv ett heltal mellan 0 och 20.")
	assertLacks(t, "the errors", body, "Talet är för stort", "Du har valt för många alternativ")
}

package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// An e-service that takes one case per person says so, and what counts, before the citizen fills
// it in; a person who has a case is told when they start (the logged-in person) or at the step
// that names the person (a child's personal number), with a link to their case, instead of only
// at the submit.
func TestOnceOnlyToldBeforeFillingIn(t *testing.T) {
	p := webtest.Start(t)

	t.Run("a person named in the form", func(t *testing.T) {
		const child = "20160514-9820"
		page := newBrowser(t, p).page("/e-tjanster/anmalan-till-kulturskola")
		assertContains(t, "the e-service's page", page, `id="once-only"`,
			"Det som räknas är svaret på frågan ”Barnets personnummer”")

		guardian := loggedIn(t, p, "guardian1")
		draftID, loc := guardian.start("anmalan-till-kulturskola")
		guardian.walk(loc, cultureSchoolSteps(child, "Johan Bergström"))
		guardian.submit(draftID, nil)

		_, loc = guardian.start("anmalan-till-kulturskola")
		resp, body := guardian.step(loc, cultureSchoolSteps("201605149820", "Johan Bergström")["child"], "next")
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("the child's step for a child with a case: status %d, want 409: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the child's step", body, "Det finns redan en ansökan med det här svaret",
			`href="#child_personal_number"`, `id="child_personal_number-error"`)
		other := cultureSchoolSteps(childNumber(t, "20150302", "238"), "Johan Bergström")["child"]
		if resp, body := guardian.step(loc, other, "next"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("another child: status %d: %s", resp.StatusCode, errorText(body))
		}
	})

	t.Run("the person logged in", func(t *testing.T) {
		if _, err := p.Pool.Exec(t.Context(), `UPDATE eservice SET once_only = 'personal_number', login_rule = 'required', anonymous_allowed = false WHERE slug = 'felanmalan-gatubelysning'`); err != nil {
			t.Fatal(err)
		}
		karin := loggedIn(t, p, "adult")
		assertContains(t, "the e-service's page", karin.page("/e-tjanster/felanmalan-gatubelysning"),
			"Du kan skicka in den här e-tjänsten en gång. Det som räknas är ditt personnummer")
		draftID, loc := karin.start("felanmalan-gatubelysning")
		karin.walk(loc, streetLightingSteps())
		caseID := karin.submit(draftID, nil)
		reference, _ := karin.receipt(caseID)
		drafts := dbInt(t, p, `SELECT count(*) FROM draft`)

		resp, body := karin.post("/e-tjanster/felanmalan-gatubelysning/starta", url.Values{})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("starting again: status %d, want 409: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the refusal", body, "Du har redan ett ärende i den här e-tjänsten", "Det som räknas är ditt personnummer",
			`href="/arenden/`+caseID+`"`, "Se ditt ärende "+reference)
		if n := dbInt(t, p, `SELECT count(*) FROM draft`); n != drafts {
			t.Errorf("the refused start made a draft: %d drafts, were %d", n, drafts)
		}
	})
}

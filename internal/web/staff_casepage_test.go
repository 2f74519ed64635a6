package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The caseworker's case page, over HTTP, on one portal: staff wording (the applicant by name,
// "Sökandens svar", "Handläggare" once, a history that says who did what), "Anonym" in the queue,
// the supplements with what they changed, a refused action that keeps what was typed in its own
// field, and the closing that asks once more and closes nothing until it is confirmed.
func TestStaffCasePage(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	anna := staffBrowser(t, p, "caseworker-alingsas")
	caseID := csSubmitStreetLighting(karin, nil, nil)
	ref, _ := karin.receipt(caseID)
	casePage := "/personal/arenden/" + caseID
	act := func(action string, form url.Values) {
		t.Helper()
		resp, body := anna.post(casePage+"/"+action, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d: %s", action, resp.StatusCode, errorText(body))
		}
	}

	t.Run("staff wording", func(t *testing.T) {
		act("tilldela", url.Values{"till": {"mig"}})
		act("meddelande", url.Values{"text": {"Vilken stolpe gäller det?"}})
		if resp, body := karin.post("/arenden/"+caseID+"/meddelanden", url.Values{"body": {"Stolpen vid busshållplatsen."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the citizen's message: %d: %s", resp.StatusCode, errorText(body))
		}
		page := anna.page(casePage)
		assertContains(t, "staff case page", page, "Sökandens svar", "Karin Lindqvist · ",
			"<strong>Karin Lindqvist</strong> skickade in ärendet",
			"<strong>Anna Handläggare</strong> fördelade ärendet till Anna Handläggare",
			"<strong>Anna Handläggare</strong> skickade ett meddelande",
			"<strong>Karin Lindqvist</strong> skickade ett meddelande")
		assertLacks(t, "staff case page", page, "Dina svar", ">Du · ", "Du kompletterade")
		if n := strings.Count(page, ">Handläggare<"); n != 1 {
			t.Errorf(`"Handläggare" is on the page %d times, want once`, n)
		}
		// The answers come before the forms that act on the case.
		if a, f := strings.Index(page, "Sökandens svar"), strings.Index(page, `action="`+casePage+`/meddelande"`); a < 0 || f < 0 || a > f {
			t.Errorf("the answers (at %d) do not come before the actions (at %d)", a, f)
		}
		// The citizen's own page still speaks to the citizen.
		assertContains(t, "the citizen's case page", karin.page("/arenden/"+caseID), "Dina svar", "Du · ")
	})

	t.Run("anonymous in the queue", func(t *testing.T) {
		anonID := csSubmitStreetLighting(karin, nil, url.Values{"anonymous": {"yes"}})
		var anonRef string
		if err := p.Pool.QueryRow(t.Context(), `SELECT reference FROM cases WHERE id = $1`, anonID).Scan(&anonRef); err != nil {
			t.Fatal(err)
		}
		queue := anna.page("/personal/arenden?flik=unassigned")
		row := regexp.MustCompile(`(?s)<tr>\s*<td>\s*<a href="/personal/arenden/` + anonID + `">.*?</tr>`).FindString(queue)
		if row == "" {
			t.Fatalf("the queue lacks the anonymous case %s", anonRef)
		}
		assertContains(t, "the anonymous case's row", row, "<td>Anonym</td>")
		assertLacks(t, "the anonymous case's row", row, "Karin Lindqvist")
		page := anna.page("/personal/arenden/" + anonID)
		assertContains(t, "the anonymous case", page, "Ärendet skickades in anonymt", "<strong>Anonym</strong> skickade in ärendet")
		assertLacks(t, "the anonymous case", page, "Karin Lindqvist", "19850412-9829")
	})

	t.Run("the reference filter is gone, the search finds by reference", func(t *testing.T) {
		queue := anna.page("/personal/arenden")
		assertLacks(t, "the queue", queue, `name="referens"`)
		assertContains(t, "a search by reference", anna.page("/personal/arenden?sok="+url.QueryEscape(ref)), ref)
	})

	t.Run("supplements and what they changed", func(t *testing.T) {
		act("komplettering", url.Values{"text": {"Ange närmaste husnummer och skicka en bild."}})
		resp, body := karin.post("/arenden/"+caseID+"/komplettera", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("start the supplement: %d: %s", resp.StatusCode, errorText(body))
		}
		fields := url.Values{"action": {"next"}}
		for k, v := range streetLightingSteps()["fault"] {
			fields[k] = v
		}
		fields.Set("location", "Kungsgatan 14")
		resp, body = karin.multipart(resp.Header.Get("Location"), fields, upload{"photos", "lykta.png", pngImage(t)})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the fault step of the supplement: %d: %s", resp.StatusCode, errorText(body))
		}
		review := karin.walk(resp.Header.Get("Location"), map[string]url.Values{"feedback": streetLightingSteps()["feedback"]})
		draft := strings.Split(strings.TrimPrefix(review, "/utkast/"), "/")[0]
		if resp, body := karin.post("/utkast/"+draft+"/skicka", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit the supplement: %d: %s", resp.StatusCode, errorText(body))
		}
		page := anna.page(casePage)
		assertContains(t, "the supplements", page, "Kompletteringar och vad som ändrades", "Komplettering 1",
			"Begäran:</span> Ange närmaste husnummer och skicka en bild.",
			"<del>Kungsgatan 12</del>", "<ins>Kungsgatan 14</ins>",
			"Nya filer:</span> lykta.png", "<strong>Karin Lindqvist</strong> kompletterade ärendet")
		// Only what changed: the fault type and the description stayed.
		supplements := page[strings.Index(page, `id="supplements-heading"`):]
		supplements = supplements[:strings.Index(supplements, "</section>")]
		assertLacks(t, "the changes", supplements, "Lyktan vid busshållplatsen")
	})

	t.Run("a refused action keeps the text in its own field", func(t *testing.T) {
		resp, body := anna.post(casePage+"/status", url.Values{"status": {"avslutat"}, "text": {"Vi har börjat titta på lyktan."}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a status the form does not offer: %d", resp.StatusCode)
		}
		assertContains(t, "the refused status", body, `<a href="#status">`,
			`<textarea id="status-message" name="text" rows="3">Vi har börjat titta på lyktan.</textarea>`,
			`<textarea id="message-body" name="text" rows="5"></textarea>`)
	})

	t.Run("closing asks once more", func(t *testing.T) {
		const decision = "Lyktan är lagad.\n\nTack för anmälan."
		open := func(what string) {
			t.Helper()
			if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND closed_at IS NULL`, caseID); n != 1 {
				t.Fatalf("%s: the case is closed", what)
			}
		}
		// The question reads the case: only for those who may see it.
		erik := staffBrowser(t, p, "eservice-admin-alingsas")
		if resp, _ := erik.post(casePage+"/avsluta", url.Values{"text": {decision}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the e-service admin asked to close: %d", resp.StatusCode)
		}
		// Without a decision: refused, on the case page, with the field named.
		resp, body := anna.post(casePage+"/avsluta", url.Values{"text": {"  "}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("closing without a decision: %d", resp.StatusCode)
		}
		assertContains(t, "closing without a decision", body, `<a href="#decision">`)
		open("without a decision")

		// The first post asks, with the decision kept to check; nothing is closed.
		resp, body = anna.post(casePage+"/avsluta", url.Values{"text": {decision}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("the question: %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the question", body, "Vill du avsluta ärende "+ref+"?", ">"+decision+"</textarea>",
			`name="confirm" value="1"`, "Ja, avsluta ärendet", `name="back" value="1"`)
		open("after the question")

		// Back to the case: the decision is still in its field.
		resp, body = anna.post(casePage+"/avsluta", url.Values{"text": {decision}, "back": {"1"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("back: %d", resp.StatusCode)
		}
		assertContains(t, "back on the case page", body, "Sökandens svar", `aria-describedby="decision-hint">`+decision+"</textarea>")
		assertLacks(t, "back on the case page", body, "error-summary")
		open("after going back")

		// Confirmed with the decision emptied on the question: refused, nothing closed.
		if resp, _ := anna.post(casePage+"/avsluta", url.Values{"text": {""}, "confirm": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("confirmed without a decision: %d", resp.StatusCode)
		}
		open("confirmed without a decision")

		act("avsluta", url.Values{"text": {decision}, "confirm": {"1"}})
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND closed_at IS NOT NULL AND decision = $2`, caseID, decision); n != 1 {
			t.Fatal("the confirmed closing did not close the case with the decision")
		}
		page := anna.page(casePage + "?klart=close")
		assertContains(t, "the closed case", page, "Ärendet är avslutat.", "Tack för anmälan.", "<strong>Anna Handläggare</strong> avslutade ärendet med beslut")
		assertLacks(t, "the closed case", page, `action="`+casePage+`/avsluta"`, `action="`+casePage+`/meddelande"`)

		// A message written as the case was closed is refused, and shown so that it is not lost.
		resp, body = anna.post(casePage+"/meddelande", url.Values{"text": {"Ett sent meddelande."}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a message to the closed case: %d", resp.StatusCode)
		}
		assertContains(t, "a message to the closed case", body, "Det här skrev du", `<p class="body">Ett sent meddelande.</p>`)

		// A second closing of the closed case asks nothing.
		if resp, _ := anna.post(casePage+"/avsluta", url.Values{"text": {"Igen."}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("closing a closed case: %d", resp.StatusCode)
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
	"github.com/minasidor/minasidor/internal/webhook"
)

// A citizen withdraws their open case: the page asks once more and says what it means, a reason
// that is too long comes back as typed with an error summary, and the withdrawal closes the case
// without a decision, says so on its page, names the reason on the caseworker's timeline and
// sends the municipality's case system the case_withdrawn event. A closed case cannot be
// withdrawn, and nobody else's case can.
func TestCaseWithdraw(t *testing.T) {
	p := webtest.Start(t, fastRetries)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	rc := newReceiver(t)
	rc.secret = addWebhook(t, maria, "Ärendesystem", rc.srv.URL+"/minasidor", webhook.CaseWithdrawn)

	karin := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(karin, nil, nil)
	page := "/arenden/" + caseID
	assertContains(t, "the open case's page", karin.page(page), `href="`+page+`/aterkalla"`, "Återkalla ärendet")

	form := karin.page(page + "/aterkalla")
	assertContains(t, "the withdraw page", form, "avslutas det utan beslut", `name="reason"`, "Tillbaka till ärendet utan att återkalla")

	long := strings.Repeat("å", 2001)
	resp, body := karin.post(page+"/aterkalla", url.Values{"reason": {long}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a too long reason: status %d", resp.StatusCode)
	}
	assertContains(t, "a too long reason", body, `class="error-summary"`, `href="#reason"`, "Skriv högst 2 000 tecken", long+"</textarea>")

	// Someone else cannot withdraw it, nor open its page.
	other := loggedIn(t, p, "guardian1")
	if resp, _ := other.get(page + "/aterkalla"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen's withdraw page: status %d", resp.StatusCode)
	}
	if resp, _ := other.post(page+"/aterkalla", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen withdraws: status %d", resp.StatusCode)
	}

	resp, _ = karin.post(page+"/aterkalla", url.Values{"reason": {"Lampan lagades av grannen."}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?aterkallat=1" {
		t.Fatalf("withdraw: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	shown := karin.page(page + "?aterkallat=1")
	assertContains(t, "the withdrawn case", shown, "Du har återkallat ärendet", "Du återkallade ärendet")
	assertLacks(t, "the withdrawn case", shown, page+"/aterkalla", `id="decision-heading"`)

	// Closed: nothing more to withdraw.
	if resp, _ := karin.get(page + "/aterkalla"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the withdraw page of a closed case: status %d", resp.StatusCode)
	}
	if resp, _ := karin.post(page+"/aterkalla", url.Values{}); resp.StatusCode != http.StatusConflict {
		t.Errorf("withdraw a closed case: status %d", resp.StatusCode)
	}

	anna := staffBrowser(t, p, "caseworker-alingsas")
	assertContains(t, "the caseworker's timeline", anna.page("/personal/arenden/"+caseID), "återkallade ärendet: Lampan lagades av grannen.")

	got := rc.wait(1)
	if got[0].VerifyOK != nil || got[0].Body.Type != webhook.CaseWithdrawn || got[0].Body.Case.ID != caseID {
		t.Errorf("the webhook got %+v", got[0].Body)
	}
}

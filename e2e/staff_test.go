package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A caseworker's pages in a browser, each checked with axe: the staff login through the
// municipality's IdP, the start page, the queue and the case page with its actions; and the
// citizen then reads the decision and who read the case.
func TestCaseworkerInBrowser(t *testing.T) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithTimeout(120*time.Second))

	// A citizen submits a fault report, then logs out.
	b.Navigate(p.URL + "/login?return=%2Fmina-sidor")
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
	b.Navigate(p.URL + "/e-tjanster/felanmalan-gatubelysning")
	b.ClickAndWait(`form[action$="/starta"] button`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#location"), "Kungsgatan 12"))
	setSelect(t, b, "fault_type", "slackt")
	b.ClickAndWait(`button[value="next"]`)
	b.Click(`label[for="wants_feedback-1"]`)
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`form[action$="/skicka"] button[type="submit"]`)
	reference := b.Text(".reference strong")
	caseURL := strings.TrimSuffix(b.Location(), "/kvitto")
	b.ClickAndWait(`form.logout button`)

	// The caseworker logs in through the municipality's IdP.
	b.Navigate(p.URL + "/personal")
	clickThroughSAMLPost(t, b, pickPerson("Anna Handläggare"), "/personal")
	if !strings.Contains(b.Text("main"), "Inloggad som Anna Handläggare") {
		t.Fatalf("staff start page: %s", b.Text("main"))
	}
	b.ClickAndWait(`main a[href="/personal/arenden"]`)
	b.Navigate(p.URL + "/personal/arenden?flik=unassigned")
	if !strings.Contains(b.Text("table.cases"), reference) {
		t.Fatalf("the queue lacks %s", reference)
	}
	b.ClickAndWait(`table.cases a`)
	b.ClickAndWait(`form[action$="/tilldela"] button`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#message-body"), "Tack, vi lagar lyktan."))
	b.ClickAndWait(`form[action$="/meddelande"] button`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#decision"), "Lyktan är lagad."))
	b.ClickAndWait(`form[action$="/avsluta"] button`)
	if !strings.Contains(b.Text("main"), "Ärendet är avslutat.") {
		t.Errorf("after closing: %s", b.Text("main"))
	}
	b.ClickAndWait(`form.logout button`)

	// The citizen reads the decision, the message and who read the case.
	b.Navigate(strings.Replace(caseURL, "/arenden/", "/login?return=%2Farenden%2F", 1))
	clickThroughSAMLPost(t, b, pickPerson(karinName), strings.TrimPrefix(caseURL, p.URL))
	main := b.Text("main")
	for _, want := range []string{"Lyktan är lagad.", "Tack, vi lagar lyktan.", "Anna Handläggare, Samhällsbyggnad", "Avslutat"} {
		if !strings.Contains(main, want) {
			t.Errorf("the citizen's case page lacks %q", want)
		}
	}
}

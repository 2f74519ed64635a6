package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The whole loop in one browser, every page checked with axe: a citizen submits; a caseworker
// logs in through the municipality's IdP, assigns the case to themself and writes; the citizen
// answers; the caseworker asks for a supplement and the citizen supplements; the caseworker
// closes the case with a decision; the citizen sees the closed case, the messages, who read the
// case, and the notices in the development mailbox.
func TestCaseworkerInBrowser(t *testing.T) {
	p := webtest.Start(t)
	b := browsertest.New(t)

	// The citizen confirms an e-mail address for notices, submits a fault report, and logs out.
	b.Navigate(p.URL + "/login?return=%2Fmina-sidor%2Fuppgifter")
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor/uppgifter")
	b.Run(chromedp.SendKeys(chromedp.CSS("#email"), "karin@example.se"))
	b.Click(`label[for="channel-email"]`)
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter"] button[type="submit"]`)
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/kod"] button`)
	b.Navigate(p.URL + "/dev/brevlada")
	code := codeIn(t, b.Text("main"))
	b.Navigate(p.URL + "/mina-sidor/uppgifter")
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/kod"] button`) // asks again: within the minute, refused with a message
	b.Navigate(p.URL + "/mina-sidor/uppgifter?skickad=email")
	b.Run(chromedp.SendKeys(chromedp.CSS("#code-email"), code))
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/bekrafta"] button`)
	if !strings.Contains(b.Text("main"), "Tack, uppgiften är bekräftad") {
		t.Fatalf("the e-mail address was not confirmed: %s", b.Text("main"))
	}
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
	staffCase := b.Location()
	b.ClickAndWait(`form[action$="/tilldela"] button`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#message-body"), "Vilken stolpe gäller det?"))
	b.ClickAndWait(`form[action$="/meddelande"] button`)
	b.ClickAndWait(`form.logout button`)

	// The citizen answers.
	citizenLogin := func() {
		b.Navigate(strings.Replace(caseURL, "/arenden/", "/login?return=%2Farenden%2F", 1))
		clickThroughSAMLPost(t, b, pickPerson(karinName), strings.TrimPrefix(caseURL, p.URL))
	}
	citizenLogin()
	b.Run(chromedp.SendKeys(chromedp.CSS("#body"), "Stolpen vid busshållplatsen."))
	b.ClickAndWait(`form[action$="/meddelanden"] button[type="submit"]`)
	b.ClickAndWait(`form.logout button`)

	// The caseworker asks for a supplement.
	staffLogin := func() {
		b.Navigate(p.URL + "/personal/login?return=" + strings.TrimPrefix(staffCase, p.URL))
		clickThroughSAMLPost(t, b, pickPerson("Anna Handläggare"), strings.TrimPrefix(staffCase, p.URL))
	}
	staffLogin()
	if !strings.Contains(b.Text(".thread"), "Stolpen vid busshållplatsen.") {
		t.Errorf("the caseworker does not see the citizen's answer")
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#supplement-request"), "Ange husnumret."))
	b.ClickAndWait(`form[action$="/komplettering"] button`)
	b.ClickAndWait(`form.logout button`)

	// The citizen supplements.
	citizenLogin()
	b.ClickAndWait(`.supplement button`)
	browsertest.Eval[string](b, `document.getElementById("location").value = ""`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#location"), "Kungsgatan 14"))
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`form[action$="/skicka"] button[type="submit"]`)
	b.ClickAndWait(`form.logout button`)

	// The caseworker sees the change and closes the case with a decision.
	staffLogin()
	if !strings.Contains(b.Text("main"), "Kungsgatan 14") {
		t.Errorf("the caseworker does not see the supplemented answer")
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#decision"), "Lyktan är lagad."))
	b.ClickAndWait(`form[action$="/avsluta"] button`) // asks once more
	b.ClickAndWait(`button[name="confirm"]`)
	if !strings.Contains(b.Text("main"), "Ärendet är avslutat.") {
		t.Errorf("after closing: %s", b.Text("main"))
	}
	b.ClickAndWait(`form.logout button`)

	// The citizen sees the closed case, the messages, who read it, and the notices.
	citizenLogin()
	main := b.Text("main")
	for _, want := range []string{"Lyktan är lagad.", "Vilken stolpe gäller det?", "Stolpen vid busshållplatsen.", "Anna Handläggare, Samhällsbyggnad", "Avslutat"} {
		if !strings.Contains(main, want) {
			t.Errorf("the citizen's case page lacks %q", want)
		}
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		b.Navigate(p.URL + "/dev/brevlada")
		inbox := b.Text("main")
		if strings.Count(inbox, reference) >= 4 { // submitted, message, supplement requested, closed
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mailbox lacks the notices of %s:\n%s", reference, inbox)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// codeIn finds the one-time code in the development mailbox's text.
func codeIn(t *testing.T, text string) string {
	t.Helper()
	m := regexp.MustCompile(`\b(\d{3}) ?(\d{3})\b`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no code in the mailbox: %s", text)
	}
	return m[1] + m[2]
}

// The admin's staff page and the queue's search, checked with axe.
func TestStaffAdminAndSearchPages(t *testing.T) {
	p := webtest.Start(t)
	b := browsertest.New(t)
	b.Navigate(p.URL + "/personal")
	clickThroughSAMLPost(t, b, pickPerson("Maria Admin"), "/personal")
	b.ClickAndWait(`main a[href="/personal/admin/personal"]`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#employee_id"), "ali-1088"))
	b.ClickAndWait(`form[action="/personal/admin/personal"] button[type="submit"]`) // no name, no role: refused
	if !strings.Contains(b.Text(".error-summary"), "Skriv namnet.") {
		t.Errorf("the refused form: %s", b.Text("main"))
	}
	b.ClickAndWait(`form.logout button`)

	b.Navigate(p.URL + "/personal")
	clickThroughSAMLPost(t, b, pickPerson("Anna Handläggare"), "/personal")
	b.Navigate(p.URL + "/personal/arenden?sok=Lindqvist")
	b.Navigate(p.URL + "/personal/arenden?flik=overdue")
}

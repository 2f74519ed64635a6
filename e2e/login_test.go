package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The login flow in the browser: the menu's "Logga in" → the development IdP's picker → the SAML
// post page (app.js submits it at once; without JavaScript the user presses "Fortsätt") → the
// assertion consumer → the page the login returns to.
const (
	menuLogin       = `nav.menu a[href^="/login"]`
	logoutButton    = `form.logout button[type=submit]`
	samlContinue    = `form[data-autosubmit] button[type=submit]`
	pickerCancel    = `form:has(input[name="cancel"]) button[type=submit]`
	profileSave     = `form.form button[type=submit]`
	sessionDialog   = `dialog.session-dialog`
	sessionStay     = `dialog.session-dialog button[type=submit]`
	pickerHeading   = "Testinloggning"
	samlPostHeading = "Du skickas vidare"

	karinName    = "Karin Lindqvist"
	karinPNR     = "19850412-9829"
	karinStreet  = "Kungsgatan 12"
	karinPostal  = "441 30 Alingsås"
	saraName     = "Sara Nyström"
	protectedMsg = "Du har skyddade personuppgifter. Därför hämtar, sparar och visar vi ingen adress för dig."
	phoneError   = "Skriv ett telefonnummer med riktnummer, till exempel 070-123 45 67"
)

// pickPerson is the picker's button that logs in as the test person.
func pickPerson(name string) string {
	return fmt.Sprintf(`button[aria-label="Logga in som %s"]`, name)
}

func TestLoginEditPhoneLogout(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	b.Navigate(p.URL + "/")
	if status := b.ClickAndWait(menuLogin); status != 200 {
		t.Errorf("the login link ended with status %d, want 200 (the picker)", status)
	}
	checkPath(t, b, "/idp/sso")
	if got := b.Text("h1"); got != pickerHeading {
		t.Fatalf("h1 after Logga in = %q, want the development IdP's picker %q", got, pickerHeading)
	}

	// A login started from the start page returns to Mina sidor.
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
	if got := b.Text("h1"); got != "Mina sidor" {
		t.Errorf("h1 after login = %q, want %q", got, "Mina sidor")
	}
	if got, want := b.Text(".session-bar p"), "Inloggad som "+karinName+"."; !strings.HasPrefix(got, want) {
		t.Errorf("session bar = %q, want it to start with %q", got, want)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('nav.menu a[href^="/login"]').length`); n != 0 {
		t.Errorf("the menu still offers Logga in (%d links) to a logged-in user", n)
	}

	// Mina uppgifter, through its link.
	if status := b.ClickAndWait(`main a[href="/mina-sidor/uppgifter"]`); status != 200 {
		t.Fatalf("Mina uppgifter: status %d, want 200", status)
	}
	checkPath(t, b, "/mina-sidor/uppgifter")
	if got := b.Text("h1"); got != "Mina uppgifter" {
		t.Errorf("h1 = %q, want %q", got, "Mina uppgifter")
	}
	if got := fact(b, "Namn"); got != karinName {
		t.Errorf("Namn = %q, want %q", got, karinName)
	}
	if got := fact(b, "Personnummer"); got != karinPNR {
		t.Errorf("Personnummer = %q, want %q", got, karinPNR)
	}
	address := fact(b, "Adress")
	for _, want := range []string{karinStreet, karinPostal} {
		if !strings.Contains(address, want) {
			t.Errorf("Adress = %q, want it to contain %q", address, want)
		}
	}

	// An invalid phone number: the form comes back with an error summary that links to the field.
	typeInto(b, "#phone", "12")
	if status := b.ClickAndWait(profileSave); status != 422 {
		t.Errorf("saving an invalid phone: status %d, want 422", status)
	}
	checkPath(t, b, "/mina-sidor/uppgifter")
	if got, want := b.Title(), "Fel: Mina uppgifter – Alingsås kommun"; got != want {
		t.Errorf("title with errors = %q, want %q", got, want)
	}
	if got, want := b.Text(".error-summary h2"), "Det finns fel i formuläret"; got != want {
		t.Errorf("error summary heading = %q, want %q", got, want)
	}
	summaryLink := `.error-summary a[href="#phone"]`
	if n := browsertest.Eval[int](b, `document.querySelectorAll('.error-summary a[href="#phone"]').length`); n != 1 {
		t.Fatalf("the error summary has %d links to #phone, want 1; summary: %q", n, b.Text(".error-summary"))
	}
	if got := b.Text(summaryLink); got != phoneError {
		t.Errorf("error summary link = %q, want %q", got, phoneError)
	}
	if got := inputValue(b, "phone"); got != "12" {
		t.Errorf("phone input = %q after the error, want what the user typed, %q", got, "12")
	}
	if got := b.Attr("#phone", "aria-invalid"); got != "true" {
		t.Errorf(`phone aria-invalid = %q, want "true"`, got)
	}
	if got, want := b.Attr("#phone", "aria-describedby"), "phone-hint phone-error"; got != want {
		t.Errorf("phone aria-describedby = %q, want %q", got, want)
	}
	if got := b.Attr("#email", "aria-invalid"); got != "false" {
		t.Errorf(`email aria-invalid = %q, want "false" (only the phone is wrong)`, got)
	}

	// The summary's link takes the focus to the field.
	b.Click(summaryLink)
	b.WaitTrue(`document.activeElement && document.activeElement.id === "phone"`,
		"the error summary's link did not move the focus to the phone input")

	// A valid number is saved, normalised.
	typeInto(b, "#phone", "070-123 45 67")
	if status := b.ClickAndWait(profileSave); status != 200 {
		t.Errorf("saving a valid phone ended with status %d, want 200 (after the redirect)", status)
	}
	checkPath(t, b, "/mina-sidor/uppgifter")
	if got, want := b.Text(".notice.ok"), "Dina kontaktuppgifter är sparade."; got != want {
		t.Errorf("saved notice = %q, want %q", got, want)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll(".error-summary").length`); n != 0 {
		t.Errorf("the saved page still has %d error summaries", n)
	}
	if got := inputValue(b, "phone"); got != "+46701234567" {
		t.Errorf("phone input after saving = %q, want %q", got, "+46701234567")
	}
	if got := b.Attr("#phone", "aria-invalid"); got != "false" {
		t.Errorf(`phone aria-invalid after saving = %q, want "false"`, got)
	}

	// Logga ut.
	if status := b.ClickAndWait(logoutButton); status != 200 {
		t.Errorf("logout ended with status %d, want 200", status)
	}
	checkPath(t, b, "/utloggad")
	if got, want := b.Text("h1"), "Du är utloggad"; got != want {
		t.Errorf("h1 after logout = %q, want %q", got, want)
	}
	main := b.Text("main")
	for _, want := range []string{
		"Du har loggats ut från Mina sidor.",
		"Om du använder en dator som andra också använder: stäng webbläsaren helt, så att ingen annan kan komma åt dina uppgifter.",
	} {
		if !strings.Contains(main, want) {
			t.Errorf("the logged-out page does not say %q; main: %q", want, main)
		}
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll(".session-bar, form.logout").length`); n != 0 {
		t.Errorf("the logged-out page still shows the session bar or the logout button (%d elements)", n)
	}

	// The session is gone: Mina sidor sends the browser to the login again.
	if status := b.Navigate(p.URL + "/mina-sidor"); status != 200 {
		t.Errorf("GET /mina-sidor after logout ended with status %d, want 200 (the picker)", status)
	}
	checkPath(t, b, "/idp/sso")
	if got := b.Text("h1"); got != pickerHeading {
		t.Errorf("h1 of /mina-sidor after logout = %q, want the login's picker %q", got, pickerHeading)
	}
}

func TestLoginWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithoutJavaScript())

	b.Navigate(p.URL + "/")
	b.ClickAndWait(menuLogin)
	checkPath(t, b, "/idp/sso")
	if got := b.Text("h1"); got != pickerHeading {
		t.Fatalf("h1 after Logga in = %q, want %q", got, pickerHeading)
	}

	// Without JavaScript the SAML post page stays, and the user goes on with its button.
	if status := b.ClickAndWait(pickPerson(karinName)); status != 200 {
		t.Errorf("picking %s: status %d, want 200", karinName, status)
	}
	checkPath(t, b, "/idp/sso")
	if got := b.Text("h1"); got != samlPostHeading {
		t.Fatalf("h1 after picking the person = %q, want the SAML post page %q", got, samlPostHeading)
	}
	if got := b.Text(samlContinue); got != "Fortsätt" {
		t.Errorf("the SAML post page's button = %q, want %q", got, "Fortsätt")
	}

	if status := b.ClickAndWait(samlContinue); status != 200 {
		t.Errorf("Fortsätt ended with status %d, want 200", status)
	}
	checkPath(t, b, "/mina-sidor")
	if got := b.Text("h1"); got != "Mina sidor" {
		t.Errorf("h1 after login = %q, want %q", got, "Mina sidor")
	}
	if got, want := b.Text(".session-bar p"), "Inloggad som "+karinName+"."; !strings.HasPrefix(got, want) {
		t.Errorf("session bar = %q, want it to start with %q", got, want)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll("form.logout").length`); n != 1 {
		t.Errorf("the page has %d logout forms, want 1", n)
	}
	if b.JavaScriptEnabled() {
		t.Error("JavaScript is on; the login must have run without it")
	}
}

func TestProtectedIdentityHasNoAddress(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	if status := b.Navigate(p.URL + "/login?return=" + url.QueryEscape("/mina-sidor/uppgifter")); status != 200 {
		t.Errorf("GET /login ended with status %d, want 200 (the picker)", status)
	}
	checkPath(t, b, "/idp/sso")
	clickThroughSAMLPost(t, b, pickPerson(saraName), "/mina-sidor/uppgifter")

	if got := b.Text("h1"); got != "Mina uppgifter" {
		t.Errorf("h1 = %q, want %q", got, "Mina uppgifter")
	}
	if got := fact(b, "Namn"); got != saraName {
		t.Errorf("Namn = %q, want %q", got, saraName)
	}
	if got := fact(b, "Adress"); got != protectedMsg {
		t.Errorf("Adress = %q, want only %q", got, protectedMsg)
	}
	// What is stored about her (the contact form's hint has an example number, so look at the
	// stored facts only).
	facts := b.Text("dl.facts")
	if m := regexp.MustCompile(`\b\d{3} \d{2}\b`).FindString(facts); m != "" {
		t.Errorf("the stored facts show something like a postal code, %q, for a protected identity: %q", m, facts)
	}
	for _, leak := range []string{"gatan", "vägen", "c/o", "Från folkbokföringen, hämtad"} {
		if strings.Contains(facts, leak) {
			t.Errorf("the stored facts of a protected identity contain %q, which belongs to an address: %q", leak, facts)
		}
	}
}

func TestSessionWarningDialog(t *testing.T) {
	t.Parallel()
	// The warning comes two minutes before the end, so it opens ten seconds after a page loads.
	shortSession := func(c *config.Config) {
		c.SessionIdleTimeout = 2*time.Minute + 10*time.Second
		c.SessionLifetime = time.Hour
	}
	p := webtest.Start(t, shortSession)
	b := browsertest.New(t)

	b.Navigate(p.URL + "/login?return=" + url.QueryEscape("/mina-sidor"))
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
	// Closed while more than two minutes remain by the page's own clock (on a busy machine the
	// login may take most of the ten seconds, and then there is nothing to check here).
	if got := browsertest.Eval[bool](b, `(Date.parse(document.querySelector("[data-session-ends]").getAttribute("data-session-ends")) - Date.now() > 125000)
		&& document.querySelector("dialog.session-dialog").open`); got {
		t.Error("the session dialog is open at once; it must wait until two minutes remain")
	}

	waitUntil(t, b, time.Minute, `document.querySelector("dialog.session-dialog").open === true`,
		"the session warning dialog did not open two minutes before the session's end")
	if got, want := b.Text("#session-dialog-heading"), "Du loggas snart ut"; got != want {
		t.Errorf("dialog heading = %q, want %q", got, want)
	}
	if !browsertest.Eval[bool](b, `document.activeElement !== null && document.activeElement.closest("dialog.session-dialog") !== null`) {
		t.Errorf("the focus is outside the open dialog, on %s", focused(b))
	}
	b.CheckAccessibility(t)

	// Stanna inloggad extends the session in the background; the page stays.
	before := b.Location()
	browsertest.Eval[bool](b, `window.__samePage = true`)
	if got := b.Text(sessionStay); got != "Stanna inloggad" {
		t.Errorf("the dialog's button = %q, want %q", got, "Stanna inloggad")
	}
	b.Click(sessionStay)
	b.WaitTrue(`document.querySelector("dialog.session-dialog").open === false`,
		"the dialog did not close after Stanna inloggad")
	b.WaitTrue(`document.querySelector(".session-bar .session-ends").getAttribute("data-updated") === "1"`,
		"app.js did not get a new session end from /session/forlang")
	if !browsertest.Eval[bool](b, `window.__samePage === true`) {
		t.Error("Stanna inloggad loaded a new page; it must extend the session without navigating")
	}
	if after := b.Location(); after != before {
		t.Errorf("after Stanna inloggad the browser is on %s, want to stay on %s", after, before)
	}

	// The session still works.
	if status := b.Navigate(p.URL + "/mina-sidor/uppgifter"); status != 200 {
		t.Errorf("GET /mina-sidor/uppgifter after extending: status %d, want 200", status)
	}
	checkPath(t, b, "/mina-sidor/uppgifter")
	if got := b.Text("h1"); got != "Mina uppgifter" {
		t.Errorf("h1 after extending = %q, want %q (the session ended?)", got, "Mina uppgifter")
	}
}

func TestCancelLogin(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	b.Navigate(p.URL + "/")
	b.ClickAndWait(menuLogin)
	checkPath(t, b, "/idp/sso")
	if got := b.Text(pickerCancel); got != "Avbryt inloggningen" {
		t.Errorf("the picker's cancel button = %q, want %q", got, "Avbryt inloggningen")
	}

	clickThroughSAMLPost(t, b, pickerCancel, "/saml/acs")
	if got, want := b.Text("h1"), "Inloggningen avbröts"; got != want {
		t.Errorf("h1 after cancelling = %q, want %q", got, want)
	}
	if main, want := b.Text("main"), "Du avbröt inloggningen med e-legitimation. Du är inte inloggad."; !strings.Contains(main, want) {
		t.Errorf("the page does not say %q; main: %q", want, main)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll(".session-bar, form.logout").length`); n != 0 {
		t.Errorf("a cancelled login shows the session bar or the logout button (%d elements)", n)
	}
	retry := `main a.button[href^="/login"]`
	if got := b.Text(retry); got != "Försök igen" {
		t.Errorf("retry link = %q, want %q", got, "Försök igen")
	}
	if got, want := b.Attr(retry, "href"), "/login?return=%2Fmina-sidor"; got != want {
		t.Errorf("retry link href = %q, want %q", got, want)
	}

	// Försök igen starts a new login.
	b.ClickAndWait(retry)
	checkPath(t, b, "/idp/sso")
	if got := b.Text("h1"); got != pickerHeading {
		t.Errorf("h1 after Försök igen = %q, want %q", got, pickerHeading)
	}
}

// clickThroughSAMLPost clicks a button on the development IdP's picker, whose answer is the SAML
// post page that app.js submits at once, and waits for the page at the end of the chain: its
// path must be wantPath and its status 200. That page is then checked with axe. ClickAndWait
// cannot be used here: it returns at the load of the short-lived SAML post page and runs axe on a
// document that is being replaced. The SAML post page is checked in TestLoginWithoutJavaScript,
// where it stays.
func clickThroughSAMLPost(t *testing.T, b *browsertest.Browser, sel, wantPath string) {
	t.Helper()
	b.Click(sel)
	waitUntil(t, b, 15*time.Second,
		fmt.Sprintf(`location.pathname === %q && document.readyState === "complete"`, wantPath),
		fmt.Sprintf("clicking %s did not lead to %s", sel, wantPath))
	if status := browsertest.Eval[int](b, `performance.getEntriesByType("navigation")[0].responseStatus`); status != 200 {
		t.Errorf("%s: status %d, want 200", wantPath, status)
	}
	b.CheckAccessibility(t)
}

// waitUntil is WaitTrue with a time limit of its own, for waits longer than five seconds.
func waitUntil(t *testing.T, b *browsertest.Browser, timeout time.Duration, expression, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(b.Context(), chromedp.Evaluate[bool](expression))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || b.Context().Err() != nil {
			t.Fatalf("%s (waited %s for %s; last error: %v; the browser is on %s)", msg, timeout, expression, err, locationOrErr(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// locationOrErr is the page's address for a failure message, without failing again.
func locationOrErr(b *browsertest.Browser) string {
	loc, err := chromedp.Run(b.Context(), chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(unknown: %v)", err)
	}
	return loc
}

// fact is the text of the dd after the dt with the label in Mina uppgifter's list.
func fact(b *browsertest.Browser, label string) string {
	return browsertest.Eval[string](b, fmt.Sprintf(`(() => {
		for (const dt of document.querySelectorAll("dl.facts dt")) {
			if (dt.innerText.trim() === %q) {
				const dd = dt.nextElementSibling;
				return dd && dd.tagName === "DD" ? dd.innerText.trim() : "(no dd)";
			}
		}
		return "(no dt)";
	})()`, label))
}

// inputValue is the current value of the input with the id.
func inputValue(b *browsertest.Browser, id string) string {
	return browsertest.Eval[string](b, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

// typeInto selects all of the input's text and types the text over it with the keyboard.
func typeInto(b *browsertest.Browser, sel, text string) {
	b.Run(chromedp.Focus(chromedp.CSS(sel)))
	browsertest.Eval[bool](b, fmt.Sprintf(`(() => { document.querySelector(%q).select(); return true; })()`, sel))
	b.Press(text)
}

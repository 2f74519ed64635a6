// Package e2e holds the browser tests: the whole portal on a real database, driven by headless
// Chromium. Every page a test visits is checked with axe-core (see internal/browsertest).
package e2e

import (
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

const (
	headingSV  = "Välkommen till e-tjänsterna i Alingsås kommun"
	headingEN  = "Welcome to the e-services of Alingsås kommun"
	switchSV   = "In English" // the switch's text on a Swedish page
	switchEN   = "På svenska"
	langSwitch = "form.lang-switch button[type=submit]"
)

func TestStartPage(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	if status := b.Navigate(p.URL + "/"); status != 200 {
		t.Fatalf("GET / status = %d, want 200", status)
	}
	if got := b.Attr("html", "lang"); got != "sv" {
		t.Errorf(`<html lang> = %q, want "sv"`, got)
	}
	if got := b.Text("h1"); got != headingSV {
		t.Errorf("h1 = %q, want %q", got, headingSV)
	}
	if got, want := b.Title(), "Startsida – Alingsås kommun"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll("h1").length`); n != 1 {
		t.Errorf("the page has %d h1 elements, want 1", n)
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	b.Navigate(p.URL + "/")
	checkLanguage(t, b, "sv", switchSV)

	b.ClickAndWait(langSwitch)
	checkPath(t, b, "/")
	checkLanguage(t, b, "en", switchEN)
	if got := b.Text("h1"); got != headingEN {
		t.Errorf("h1 in English = %q, want %q", got, headingEN)
	}
	if got, want := b.Title(), "Home – Alingsås kommun"; got != want {
		t.Errorf("title in English = %q, want %q", got, want)
	}

	// The choice is remembered: a new visit stays in English.
	b.Navigate(p.URL + "/")
	checkLanguage(t, b, "en", switchEN)

	b.ClickAndWait(langSwitch)
	checkPath(t, b, "/")
	checkLanguage(t, b, "sv", switchSV)
	if got := b.Text("h1"); got != headingSV {
		t.Errorf("h1 after switching back = %q, want %q", got, headingSV)
	}

	// The switch returns to the page the user was on.
	b.Navigate(p.URL + "/kakor")
	b.ClickAndWait(langSwitch)
	checkPath(t, b, "/kakor")
	checkLanguage(t, b, "en", switchEN)
	if got, want := b.Text("h1"), "Cookies"; got != want {
		t.Errorf("h1 of /kakor in English = %q, want %q", got, want)
	}
}

func TestSkipLinkByKeyboard(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	b.Navigate(p.URL + "/")
	b.PressTab()
	if !browsertest.Eval[bool](b, `document.activeElement.matches("a.skip-link")`) {
		t.Fatalf("after one Tab the focus is on %s, want the skip link a.skip-link", focused(b))
	}
	type rect struct{ Top, Left, Bottom, Right, Width, Height float64 }
	r := browsertest.Eval[rect](b, `(() => {
		const r = document.activeElement.getBoundingClientRect();
		return {top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height};
	})()`)
	if r.Top < 0 || r.Left < 0 || r.Width < 1 || r.Height < 1 {
		t.Errorf("the focused skip link is not visible: bounding rect %+v", r)
	}
	if got := b.Text("a.skip-link"); got != "Hoppa till innehållet" {
		t.Errorf("skip link text = %q, want %q", got, "Hoppa till innehållet")
	}

	b.PressEnter()
	b.WaitTrue(`document.activeElement.id === "main"`, "Enter on the skip link did not move the focus to main#main")
	if got := browsertest.Eval[string](b, `document.activeElement.tagName`); got != "MAIN" {
		t.Errorf("focused element = %s, want main#main", focused(b))
	}
}

func TestPagesPassAxe(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	pages := []struct {
		path   string
		status int
		sv, en string // the h1 in each language
	}{
		{"/", 200, headingSV, headingEN},
		{"/kakor", 200, "Kakor (cookies)", "Cookies"},
		{"/tillganglighet", 200, "Tillgänglighetsredogörelse", "Accessibility statement"},
		{"/finns-inte", 404, "Sidan finns inte", "Page not found"},
	}
	// Navigate checks each page with axe; the rest makes sure it is the page we meant.
	for _, lang := range []string{"sv", "en"} {
		for _, pg := range pages {
			if status := b.Navigate(p.URL + pg.path); status != pg.status {
				t.Errorf("GET %s status = %d, want %d", pg.path, status, pg.status)
			}
			want := pg.sv
			if lang == "en" {
				want = pg.en
			}
			if got := b.Text("h1"); got != want {
				t.Errorf("%s (%s): h1 = %q, want %q", pg.path, lang, got, want)
			}
			if got := b.Attr("html", "lang"); got != lang {
				t.Errorf("%s: <html lang> = %q, want %q", pg.path, got, lang)
			}
		}
		if lang == "sv" {
			b.ClickAndWait(langSwitch)
		}
	}
}

func TestWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithoutJavaScript())

	if status := b.Navigate(p.URL + "/"); status != 200 {
		t.Fatalf("GET / status = %d, want 200", status)
	}
	if b.JavaScriptEnabled() {
		t.Fatal("the page may run scripts; WithoutJavaScript did not turn JavaScript off")
	}
	if got := b.Text("h1"); got != headingSV {
		t.Errorf("h1 = %q, want %q", got, headingSV)
	}

	b.ClickAndWait(langSwitch)
	checkPath(t, b, "/")
	checkLanguage(t, b, "en", switchEN)
	if got := b.Text("h1"); got != headingEN {
		t.Errorf("h1 in English = %q, want %q", got, headingEN)
	}

	b.ClickAndWait(langSwitch)
	checkLanguage(t, b, "sv", switchSV)
	if b.JavaScriptEnabled() {
		t.Error("JavaScript is on again after the accessibility checks; it must stay off")
	}
}

// checkLanguage checks the document's language and the text of the language switch.
func checkLanguage(t *testing.T, b *browsertest.Browser, lang, switchText string) {
	t.Helper()
	if got := b.Attr("html", "lang"); got != lang {
		t.Errorf(`<html lang> = %q, want %q`, got, lang)
	}
	if got := b.Text(langSwitch); got != switchText {
		t.Errorf("language switch text = %q, want %q", got, switchText)
	}
}

// checkPath checks the path of the page the browser is on.
func checkPath(t *testing.T, b *browsertest.Browser, want string) {
	t.Helper()
	u, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != want {
		t.Errorf("the browser is on %s, want the path %s", u, want)
	}
}

// focused describes the focused element for a failure message.
func focused(b *browsertest.Browser) string {
	return browsertest.Eval[string](b, `(() => {
		const e = document.activeElement;
		if (!e) return "nothing";
		return e.outerHTML.slice(0, 120);
	})()`)
}

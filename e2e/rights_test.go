package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A citizen gets their register extract and makes a request under the data protection
// regulation in a browser without JavaScript, at a desktop's width and at 320 px; the erasure
// page, the format page and the privacy page are visited on the way, and the municipality admin's
// retention page at the end. axe checks every page, and that none scrolls sideways.
func TestRightsWithoutJavaScript(t *testing.T) {
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { rightsWithoutJavaScript(t, width) })
	}
}

func rightsWithoutJavaScript(t *testing.T, width int) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))

	b.Navigate(p.URL + "/login?return=%2Fmina-sidor%2Fuppgifter")
	bdLogin(t, b, pickPerson(karinName), "/mina-sidor/uppgifter")
	if got := b.Text("#rights-heading"); got != "Dina rättigheter" {
		t.Fatalf("Mina uppgifter has no rights section: %q", got)
	}

	// The extract: asked for, built by the job (the page is reloaded until it is ready).
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/utdrag"] button`)
	if got := b.Text("h1"); got != "Registerutdrag" {
		t.Fatalf("h1 = %q", got)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(b.Text("main"), "Hämta utdraget") {
		if time.Now().After(deadline) {
			t.Fatalf("the extract was not ready in two minutes: %s", b.Text("main"))
		}
		time.Sleep(300 * time.Millisecond)
		b.ClickAndWait(`main a[href^="/mina-sidor/uppgifter/utdrag/"]`)
	}
	main := b.Text("main")
	for _, want := range []string{"Karin Lindqvist", "19850412-9829", "Ditt konto", "Sparade utkast", "Ärenden", "Utdraget som pdf"} {
		if !strings.Contains(main, want) {
			t.Errorf("the extract lacks %q", want)
		}
	}
	pdfStart := browsertest.Value(b, chromedp.Evaluate[string](`document.querySelector('a[href$="utdrag.pdf"]').href`))
	if !strings.HasSuffix(pdfStart, "/utdrag.pdf") {
		t.Errorf("the PDF link: %q", pdfStart)
	}
	b.ClickAndWait(`main a[href="/registerutdrag/format"]`)
	if got := b.Text("h1"); got != "Registerutdragets json-format" {
		t.Errorf("the format page's h1 = %q", got)
	}
	if !strings.Contains(b.Text("#object-case"), "case") {
		t.Error("the format page does not describe the case object")
	}

	// A request for rectification.
	b.Navigate(p.URL + "/mina-sidor/uppgifter")
	b.ClickAndWait(`main a[href="/mina-sidor/uppgifter/begaran"]`)
	if got := b.Text("h1"); got != "Begäran enligt dataskyddsförordningen" {
		t.Fatalf("h1 = %q", got)
	}
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/begaran"] button[type="submit"]`) // nothing filled in
	if !strings.Contains(b.Text(".error-summary"), "Välj vad du begär.") {
		t.Errorf("the error summary: %q", b.Text(".error-summary"))
	}
	b.Click(`label[for="request_kind-0"]`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#details"), "Min adress i ärendet är fel: det ska vara Storgatan 3."))
	b.ClickAndWait(`form[action="/mina-sidor/uppgifter/begaran"] button[type="submit"]`)
	if !strings.Contains(b.Text("h1"), "Ditt ärende är nu inskickat") {
		t.Fatalf("no receipt: %s", b.Text("main"))
	}
	if !strings.Contains(b.Text("main"), "Så behandlar vi dina personuppgifter") {
		t.Error("the receipt lacks the privacy notice")
	}
	b.Navigate(p.URL + "/mina-sidor/uppgifter")
	if !strings.Contains(b.Text(".rights table"), "Rättelse") {
		t.Errorf("Mina uppgifter does not list the request: %s", b.Text("main"))
	}

	// The erasure page and the privacy page.
	b.ClickAndWait(`main a[href="/mina-sidor/uppgifter/radera"]`)
	if got := b.Text("h1"); got != "Radera uppgifter" {
		t.Errorf("h1 = %q", got)
	}
	b.ClickAndWait(`footer a[href="/personuppgifter"]`)
	if !strings.Contains(b.Text("main"), "IP-adresser") {
		t.Error("the privacy page says nothing of IP addresses")
	}
	if width < 1000 {
		return
	}

	// The municipality admin's retention page.
	b.ClickAndWait(`form.logout button`)
	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fadmin%2Fgallring")
	bdLogin(t, b, pickPerson("Maria Admin"), "/personal/admin/gallring")
	if got := b.Text("h1"); got != "Gallring och loggar" {
		t.Errorf("h1 = %q", got)
	}
}

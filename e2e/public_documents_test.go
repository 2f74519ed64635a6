package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The journey of the issue, in a browser: an anonymous visitor requests a case by its reference;
// the registrar finds it, masks the applicant's personal number and address, and releases; the
// visitor gets the PDF through the secret link, without the masked text. Then a logged-in
// requester on Mina sidor and the municipality admin's log. Every page is checked with axe and
// for reflow, at 320 px without JavaScript and at 1280 px with it.
func TestPublicDocumentsInBrowser(t *testing.T) {
	t.Parallel()
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { publicDocumentsJourney(t, width) })
	}
}

func publicDocumentsJourney(t *testing.T, width int) {
	p := webtest.Start(t)
	opts := []browsertest.Option{browsertest.WithWindowSize(width, 900)}
	if width == 320 {
		opts = append(opts, browsertest.WithoutJavaScript())
	}
	b := browsertest.New(t, opts...)
	reference := pdBuildingPermit(t, p)
	login := func(person, path string) {
		t.Helper()
		if b.JavaScriptEnabled() {
			clickThroughSAMLPost(t, b, pickPerson(person), path)
		} else {
			bdLogin(t, b, pickPerson(person), path)
		}
	}

	// The visitor asks, anonymously, for the case by its reference.
	b.Navigate(p.URL + "/e-tjanster")
	b.ClickAndWait(`main a[href="/allmanna-handlingar"]`)
	if got := b.Text("h1"); got != "Begär allmänna handlingar" {
		t.Fatalf("h1 = %q", got)
	}
	b.ClickAndWait(`main form.form button[type="submit"]`) // nothing filled in: the errors
	if !strings.Contains(b.Text(".error-summary"), "Skriv ett ärendenummer eller beskriv") {
		t.Errorf("the error summary: %s", b.Text("main"))
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#references"), reference))
	b.Click(`label[for="delivery-link"]`)
	b.ClickAndWait(`main form.form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Din begäran är skickad") {
		t.Fatalf("after sending: %s", b.Text("main"))
	}
	secret := b.Attr(".secret-link a", "href")
	if !strings.Contains(secret, "/allmanna-handlingar/svar?nyckel=") {
		t.Fatalf("the secret link is %q", secret)
	}

	// The registrar finds and links the case, masks, and releases.
	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fregistratur")
	login("Ruth Registrator", "/personal/registratur")
	if !strings.Contains(b.Text("table.requests"), "1 minut") {
		t.Errorf("the queue does not show how long the request has waited: %s", b.Text("main"))
	}
	b.ClickAndWait(`table.requests a`)
	b.ClickAndWait(`form[role="search"] button[type="submit"]`)
	if !strings.Contains(b.Text("table.found"), reference) {
		t.Fatalf("the search did not find %s: %s", reference, b.Text("main"))
	}
	b.ClickAndWait(`table.found form button[type="submit"]`)
	b.ClickAndWait(`main ul.cards a`)
	if !strings.Contains(b.Text("main"), "19850412-9829") {
		t.Fatalf("the review lacks the applicant's number: %s", b.Text("main"))
	}
	for _, field := range []string{"applicant_personal_number", "applicant_address"} {
		b.Click(`label[for="beslut-answer-` + field + `-mask"]`)
		setSelect(t, b, "grund-answer-"+field, "OSL 21:3")
	}
	b.ClickAndWait(`main form.form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Besluten om ärendets delar är sparade.") {
		t.Fatalf("after the decisions: %s", b.Text("main"))
	}
	b.ClickAndWait(`form[action$="/besluta"] button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "svaret är utlämnat") {
		t.Fatalf("after the decision: %s", b.Text("main"))
	}
	b.Navigate(p.URL + "/personal/registratur?flik=decided")
	b.ClickAndWait(`form.logout button`)

	// The visitor opens the secret link and gets the PDF, without the masked text.
	b.Navigate(secret)
	if !strings.Contains(b.Text("main"), "Besvarad") {
		t.Fatalf("the answered request: %s", b.Text("main"))
	}
	resp, err := http.Get(pdAbsolute(p, b.Attr(`main a.button[href*="handlingar.pdf"]`, "href")))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	text := pdfPlainText(t, body)
	for _, want := range []string{reference, "Sörhaga 1:23", "Maskerat enligt OSL 21:3", "Så överklagar du"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, secret := range []string{"19850412-9829", "198504129829", "Kungsgatan 12", "441 30"} {
		if strings.Contains(text, secret) || bytes.Contains(body, []byte(secret)) {
			t.Errorf("the PDF holds the masked %q", secret)
		}
	}

	// A logged-in requester follows a request on Mina sidor.
	b.Navigate(p.URL + "/login?return=%2Fallmanna-handlingar")
	login(karinName, "/allmanna-handlingar")
	b.Run(chromedp.SendKeys(chromedp.CSS("#subject"), "Protokoll från byggnadsnämnden i mars"))
	b.Click(`label[for="delivery-mypages"]`)
	b.ClickAndWait(`main form.form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Under prövning") {
		t.Fatalf("the request on Mina sidor: %s", b.Text("main"))
	}
	b.Navigate(p.URL + "/mina-sidor")
	b.ClickAndWait(`main a[href="/mina-sidor/allmanna-handlingar"]`)
	b.ClickAndWait(`form.logout button`)

	// The municipality admin sets the review and reads the log.
	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fadmin%2Fallmanna-handlingar")
	login("Maria Admin", "/personal/admin/allmanna-handlingar")
	for _, want := range []string{"Maskerade uppgiften applicant_personal_number", "Lämnade ut svaret", "Ruth Registrator"} {
		if !strings.Contains(b.Text("main"), want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	b.Click(`label[for="second_registrar"]`)
	b.ClickAndWait(`main form.form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Inställningarna är sparade.") {
		t.Errorf("after saving the settings: %s", b.Text("main"))
	}
}

// pdBuildingPermit stores a building permit case of Karin's, with her number and address among
// the answers, and returns its reference.
func pdBuildingPermit(t *testing.T, p *webtest.Portal) string {
	t.Helper()
	ctx := context.Background()
	const ref = "ALI-2026-000777"
	if _, err := p.Pool.Exec(ctx, `INSERT INTO account (personal_number, given_name, surname, display_name)
		VALUES ('198504129829', 'Karin', 'Lindqvist', 'Karin Lindqvist') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	_, err := p.Pool.Exec(ctx, `
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id, submitted_at)
		SELECT e.tenant_id, e.id, e.current_version_id, $1, (SELECT id FROM account WHERE personal_number = '198504129829'), $2, gen_random_uuid(), now()
		FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = 'ansokan-om-bygglov'`, ref,
		`{"property_designation": ["Sörhaga 1:23"], "owner": ["yes"],
		"applicant_contact.name": ["Karin Lindqvist"], "applicant_contact.email": ["karin.lindqvist@example.se"],
		"applicant_personal_number": ["19850412-9829"],
		"applicant_address.street": ["Kungsgatan 12"], "applicant_address.postal_code": ["441 30"], "applicant_address.city": ["Alingsås"],
		"measure_type": ["nybyggnad"], "description": ["Ett fristående garage i trä med sadeltak."], "building_area": ["36"], "correct": ["yes"]}`)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func pdAbsolute(p *webtest.Portal, href string) string {
	if strings.HasPrefix(href, "http") {
		return href
	}
	return p.URL + href
}

// pdfPlainText reads the text layer of a PDF.
func pdfPlainText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("read PDF: %v", err)
	}
	rd, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

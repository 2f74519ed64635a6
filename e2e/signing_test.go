package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Signing together, in a browser without JavaScript, at a desktop's width and at 320 px, on one
// device: Johan applies for Elsa's school transport in Motala, signs with his e-ID (the IdP shows
// what he signs) and sends it to Emma; the receipt of the sending tells him to log out before
// Emma logs in, and he does. Emma logs in, finds it under "Att signera", reads it and signs; the
// case arrives with both signatures, which Johan and the caseworker see, and the caseworker's
// check of the evidence. axe checks every page.
func TestSigningTogetherWithoutJavaScript(t *testing.T) {
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { signingTogether(t, width) })
	}
}

func signingTogether(t *testing.T, width int) {
	p := webtest.Start(t, webtest.OnLocalhost)
	motala := p.HostURL("motala.localhost")
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))
	f := esForm{t: t, b: b}

	loginOn(t, b, motala, "/e-tjanster/"+esSchoolSlug, "Johan Bergström")
	b.ClickAndWait(esStart)
	f.fill("pupil_name", "Elsa Bergström")
	f.fill("pupil_personal_number", "20160514-9820")
	f.fill("pupil_address.street", "Drottninggatan 21")
	f.fill("pupil_address.postal_code", "591 35")
	f.fill("pupil_address.city", "Motala")
	f.selectOption("school", "bergaskolan", "Bergaskolan")
	f.selectOption("grade", "1_3", "Årskurs 1–3")
	b.ClickAndWait(esNext)
	f.choose("reason", "avstand")
	f.fill("distance_km", "4,2")
	f.fillDate("start_date", time.Now().AddDate(0, 1, 0))
	b.ClickAndWait(esNext)
	f.fill("guardian_email", "johan@example.se")
	f.fill("guardian_phone", "070-123 45 67")
	b.ClickAndWait(esNext)
	main := b.Text("main")
	for _, want := range []string{"Signera ansökan", "Emma Bergström", "vårdnadshavare"} {
		if !strings.Contains(main, want) {
			t.Errorf("the review lacks %q", want)
		}
	}
	f.fill("email_1", "emma@example.se")

	// Johan signs: the IdP shows the text before he picks himself.
	goOn(t, b, `form[action$="/signera"] button[type=submit]`, "/idp/sso")
	if msg := b.Text("blockquote"); !strings.Contains(msg, "Jag, Johan Bergström, har läst ansökan ”Ansökan om skolskjuts” till Motala kommun") {
		t.Errorf("the sign message shown = %q", msg)
	}
	b.ClickAndWait(signAs("Johan Bergström"))
	goOn(t, b, samlContinue, "/utkast/*/signering")
	main = b.Text("main")
	for _, want := range []string{"Ansökan är skickad för signering", "Emma Bergström", "Har inte signerat ännu", "Logga ut först"} {
		if !strings.Contains(main, want) {
			t.Errorf("the receipt of the sending lacks %q", want)
		}
	}
	// A step of the signed draft warns that a change voids the signatures given (checked by axe).
	sent := b.Location()
	draft := regexp.MustCompile(`/utkast/[0-9a-f-]{36}`).FindString(sent)
	if draft == "" {
		t.Fatalf("not on the draft's signing page: %s", sent)
	}
	b.Navigate(motala + draft + "/steg/reason")
	if notice := b.Text(".notice.warning"); !strings.Contains(notice, "Ansökan är signerad av Johan Bergström.") ||
		!strings.Contains(notice, "Om du ändrar ett svar gäller underskrifterna inte längre") {
		t.Errorf("the step's warning = %q", notice)
	}
	b.Navigate(sent)
	b.ClickAndWait(`main form[action="/logout"] button`)
	checkPath(t, b, "/utloggad")

	// Emma, on the same device.
	loginOn(t, b, motala, "/mina-sidor", "Emma Bergström")
	if got := b.Text("#tosign-heading"); got != "Att signera" {
		t.Fatalf("Mina sidor's heading = %q", got)
	}
	b.ClickAndWait(`a[href^="/signera/"]`)
	party := b.Location()
	if width >= 500 {
		// Someone else at the IdP is refused, and told why.
		goOn(t, b, `form[action^="/signera/"]:not([action$="/avboj"]) button[type=submit]`, "/idp/sso")
		b.ClickAndWait(signAs("Johan Bergström"))
		b.ClickAndWait(samlContinue)
		if got := b.Text("h1"); got != "Fel person legitimerade sig" {
			t.Errorf("signed by the wrong person: h1 = %q", got)
		}
		// Someone else logged in sees why they cannot sign, and nothing of the content.
		b.Navigate(party)
		b.ClickAndWait(logoutButton)
		loginOn(t, b, motala, strings.TrimPrefix(party, motala), karinName)
		if main := b.Text("main"); !strings.Contains(main, "Du kan inte signera den här ansökan") || strings.Contains(main, "Bergaskolan") {
			t.Errorf("Karin on Emma's page: %s", main)
		}
		b.ClickAndWait(logoutButton)
		loginOn(t, b, motala, strings.TrimPrefix(party, motala), "Emma Bergström")
	}
	main = b.Text("main")
	for _, want := range []string{"Johan Bergström ber dig signera ansökan som vårdnadshavare", "Elsa Bergström", "20160514-9820", "Bergaskolan", "Kontrollsumma"} {
		if !strings.Contains(main, want) {
			t.Errorf("Emma's page lacks %q", want)
		}
	}
	goOn(t, b, `form[action^="/signera/"]:not([action$="/avboj"]) button[type=submit]`, "/idp/sso")
	if msg := b.Text("blockquote"); !strings.Contains(msg, "Jag, Emma Bergström") || !strings.Contains(msg, "godkänner den som vårdnadshavare") {
		t.Errorf("Emma's sign message = %q", msg)
	}
	b.ClickAndWait(signAs("Emma Bergström"))
	goOn(t, b, samlContinue, "/signera/*")
	ref := regexp.MustCompile(`MOT-\d{4}-\d{6}`).FindString(b.Text(".notice"))
	if ref == "" {
		t.Fatalf("no reference after Emma signed: %s", b.Text("main"))
	}
	b.ClickAndWait(logoutButton)

	// Johan sees the case with both signatures.
	loginOn(t, b, motala, "/mina-sidor/arenden", "Johan Bergström")
	b.ClickAndWait(fmt.Sprintf(`main a[href^="/arenden/"]:not([href$="kvitto"])`))
	main = b.Text("main")
	for _, want := range []string{ref, "Underskrifter", "Johan Bergström, sökande", "Emma Bergström, vårdnadshavare"} {
		if !strings.Contains(main, want) {
			t.Errorf("Johan's case page lacks %q", want)
		}
	}
	b.ClickAndWait(logoutButton)
	if width < 500 {
		return // the staff pages are for a desktop
	}

	// The caseworker checks the signatures against the IdP's certificate.
	b.Navigate(motala + "/personal/login?return=" + url.QueryEscape("/personal/arenden"))
	b.ClickAndWait(pickPerson("Mikael Mattsson"))
	b.Click(samlContinue)
	waitUntil(t, b, 15*time.Second, `location.pathname === "/personal/arenden" && document.readyState === "complete"`, "the staff login did not end")
	var caseID string
	if err := p.Pool.QueryRow(context.Background(), `SELECT id::text FROM cases WHERE reference = $1`, ref).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	b.Navigate(motala + "/personal/arenden/" + caseID)
	b.ClickAndWait(`a[href$="/underskrifter"]`)
	if n := strings.Count(b.Text("main"), "Giltig: signaturen stämmer mot identifieringstjänstens certifikat."); n != 2 {
		t.Errorf("%d signatures verified, want 2: %s", n, b.Text("main"))
	}
}

// Lars Eriksson acts for Exempel Bygg AB and applies for a digging permit in its name, without
// JavaScript; the company's cases list it with him as the one who acted.
func TestActingForCompanyWithoutJavaScript(t *testing.T) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithoutJavaScript())
	f := esForm{t: t, b: b}
	loginOn(t, b, p.URL, "/e-tjanster/ansokan-om-gravtillstand", "Lars Eriksson")
	b.ClickAndWait(esStart)
	checkPath(t, b, "/mina-sidor/organisationer")
	if main := b.Text("main"); !strings.Contains(main, "Ansökan om grävtillstånd är för företag och föreningar") {
		t.Errorf("the choice does not say why: %s", main)
	}
	b.ClickAndWait(`button:has(span.visually-hidden)[type=submit]`) // Företräd Exempel Bygg AB, the first
	if got := b.Text(".notice"); !strings.Contains(got, "Du företräder Exempel Bygg AB") {
		t.Fatalf("Mina sidor after choosing: %q", got)
	}
	b.Navigate(p.URL + "/e-tjanster/ansokan-om-gravtillstand")
	b.ClickAndWait(esStart)
	if got := f.value("organisation_name"); got != "Exempel Bygg AB" {
		t.Errorf("the company's name = %q", got)
	}
	if got := f.value("org_number"); got != "559900-0121" {
		t.Errorf("the company's number = %q", got)
	}
	f.fill("contact.email", "lars@exempelbygg.se")
	f.fill("contact.phone", "070-111 22 33")
	b.ClickAndWait(esNext)
	f.fill("place.street", "Kungsgatan 1")
	f.fill("place.postal_code", "441 30")
	f.fill("place.city", "Alingsås")
	f.fill("description", "Fiberkabel under trottoaren.")
	f.fillDate("start", time.Now().AddDate(0, 0, 14))
	f.fill("days", "3")
	b.ClickAndWait(esNext)
	b.ClickAndWait(esSubmit)
	ref := b.Text(".reference strong")
	if !esReference.MatchString(ref) {
		t.Fatalf("no reference on the receipt: %q", b.Text("main"))
	}
	b.Navigate(p.URL + "/mina-sidor")
	b.ClickAndWait(`.notice a[href^="/mina-sidor/organisationer/company/"]`)
	main := b.Text("main")
	for _, want := range []string{"Företagets ärenden: Exempel Bygg AB", ref, "Lars Eriksson", "Ansökan om grävtillstånd"} {
		if !strings.Contains(main, want) {
			t.Errorf("the company's cases lack %q", want)
		}
	}
	// The case opens from there, and names the company it was made for (axe checks the page).
	b.ClickAndWait(`main a[href^="/arenden/"]`)
	if facts := b.Text("dl.facts"); !strings.Contains(facts, "Gjort för") || !strings.Contains(facts, "Exempel Bygg AB (559900-0121)") {
		t.Errorf("the case page's facts = %q", facts)
	}

	// An association declared with a mistake comes back with it marked.
	b.Navigate(p.URL + "/mina-sidor/organisationer")
	f.fill("org_number", "802500-0013")
	f.fill("org_name", "Mjörns båtklubb")
	if status := b.ClickAndWait(`form[action$="/forening"] button[type=submit]`); status != 422 {
		t.Errorf("a wrong organisation number: status %d", status)
	}
	b.ClickAndWait(logoutButton)

	// The e-service admin's signing page, and a rule that cannot work.
	b.Navigate(p.URL + "/personal/login?return=" + url.QueryEscape("/personal/etjanster"))
	b.ClickAndWait(pickPerson("Erik Förvaltare"))
	b.ClickAndWait(samlContinue)
	var id string
	if err := p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice WHERE slug = 'ansokan-om-gravtillstand'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	b.Navigate(p.URL + "/personal/etjanster/" + id + "/signering")
	f.choose("cosigners", "person")
	if status := b.ClickAndWait(`main form[action$="/signering"] button[type=submit]`); status != 422 {
		t.Errorf("a rule without its field: status %d", status)
	}
}

// loginOn logs in on the host at origin as the test person and waits for the page the login
// returns to (a login on a municipality's host ends with a hand-over page that goes on by itself).
func loginOn(t *testing.T, b *browsertest.Browser, origin, ret, name string) {
	t.Helper()
	b.Navigate(origin + "/login?return=" + url.QueryEscape(ret))
	checkPath(t, b, "/idp/sso")
	b.ClickAndWait(pickPerson(name))
	b.Click(samlContinue)
	waitUntil(t, b, 15*time.Second, fmt.Sprintf(`location.origin === %q && location.pathname === %q && document.readyState === "complete"`, origin, ret),
		"the login as "+name+" did not end at "+ret)
	b.CheckAccessibility(t)
	b.CheckReflow(t)
}

// signAs is the IdP's button that signs as the test person.
func signAs(name string) string { return fmt.Sprintf(`button[aria-label="Signera som %s"]`, name) }

// goOn clicks the button and waits for the page at the path (a * stands for an id) that the
// browser ends on, past a page that goes on by itself to another site; then checks it with axe.
func goOn(t *testing.T, b *browsertest.Browser, sel, path string) {
	t.Helper()
	b.Click(sel)
	pattern := "^" + strings.ReplaceAll(regexp.QuoteMeta(path), `\*`, "[0-9a-f-]{36}") + "$"
	waitUntil(t, b, 15*time.Second, fmt.Sprintf(`new RegExp(%q).test(location.pathname) && document.readyState === "complete"`, pattern),
		"clicking "+sel+" did not lead to "+path)
	b.CheckAccessibility(t)
	b.CheckReflow(t)
}

// An association's representative checked by a caseworker, without JavaScript: Karin makes a
// report for Mjörns båtklubb on an e-service that requires the check; Anna's case page shows the
// representative and role, unchecked, and she refuses it; Karin's choice page then says she can
// no longer act for the club. axe checks every page, the citizen's at 320 px too.
func TestAssociationCheckWithoutJavaScript(t *testing.T) {
	p := webtest.Start(t)
	if _, err := p.Pool.Exec(t.Context(), `UPDATE eservice SET association_check = true WHERE slug = 'felanmalan-gatubelysning'`); err != nil {
		t.Fatal(err)
	}
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	declaration := url.Values{"org_number": {"802500-0012"}, "org_name": {"Mjörns båtklubb"}, "role": {"ordförande"}}
	if resp := p.Do(t, c, "POST", "/mina-sidor/organisationer/forening", declaration); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("declare: status %d", resp.StatusCode)
	}
	if resp := p.Do(t, c, "POST", "/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("act for the club: status %d", resp.StatusCode)
	}
	caseID := submitStreetLightingWith(t, p, c)
	path := "/personal/arenden/" + caseID.String()

	b := browsertest.New(t, browsertest.WithoutJavaScript())
	b.Navigate(p.URL + "/personal/login?return=" + url.QueryEscape(path))
	bdLogin(t, b, pickPerson("Anna Handläggare"), path)
	panel := b.Text("section[aria-labelledby=representation-heading]")
	for _, want := range []string{"Föreningens företrädare", "Mjörns båtklubb (802500-0012)", "Karin Lindqvist", "ordförande", "Företrädaren är inte kontrollerad"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q: %s", want, panel)
		}
	}
	b.ClickAndWait(`button[name=decision][value=refuse]`)
	if panel := b.Text("section[aria-labelledby=representation-heading]"); !strings.Contains(panel, "Underkänd som företrädare av Anna") {
		t.Errorf("the panel after refusing: %s", panel)
	}
	b.ClickAndWait(logoutButton)

	for _, width := range citizenWidths {
		cb := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))
		loginOn(t, cb, p.URL, "/mina-sidor/organisationer", karinName)
		if got := cb.Text("main"); !strings.Contains(got, "En handläggare har underkänt dig som företrädare för föreningen") {
			t.Errorf("%d px: the choice page does not say why: %s", width, got)
		}
	}
}

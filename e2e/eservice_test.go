package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The e-service journey in the browser: the catalogue → the e-service's page with the privacy
// notice → "Starta e-tjänsten" → one step a page → "Kontrollera dina svar" → "Skicka in" → the
// receipt. The demo e-services come from internal/demo/eservices.
const (
	esCatalogue      = "/e-tjanster"
	esSchoolSlug     = "ansokan-om-skolskjuts"
	esSchoolTitle    = "Ansökan om skolskjuts"
	esLightSlug      = "felanmalan-gatubelysning"
	esLightTitle     = "Felanmälan gatubelysning"
	esStart          = `form[action$="/starta"] button[type=submit]`
	esNext           = `form.form button[name="action"][value="next"]`
	esSubmit         = `form[action$="/skicka"] button[type=submit]`
	esReviewHeading  = "Kontrollera dina svar"
	esReceiptHeading = "Ditt ärende är nu inskickat"
	esErrorHeading   = "Det finns fel i formuläret"
	esSummaryFocused = `document.activeElement !== null && document.activeElement.matches(".error-summary")`

	// Labels of Ansökan om skolskjuts, as the review and the receipt show them.
	esPupilName      = "Elevens namn"
	esReason         = "Varför behöver eleven skolskjuts?"
	esDistance       = "Avstånd mellan hemmet och skolan (km)"
	esDisability     = "Beskriv hur funktionsnedsättningen påverkar elevens resa till skolan"
	esOtherGuardian  = "Andra vårdnadshavarens namn"
	esGuardianName   = "Ditt namn"
	esWantsFeedback  = "Vill du få återkoppling?"
	esContactDetails = "Dina kontaktuppgifter"
)

var esReference = regexp.MustCompile(`^ALI-\d{4}-\d{6}$`)

func TestMultiStepFormWithJavaScript(t *testing.T) {
	t.Parallel()
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { multiStepFormWithJavaScript(t, width) })
	}
}

func multiStepFormWithJavaScript(t *testing.T, width int) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithWindowSize(width, 900))
	f := esForm{t: t, b: b}

	// The catalogue → the e-service's page, with the privacy notice before the form.
	esOpenSchoolTransport(t, b, p.URL)
	if !b.JavaScriptEnabled() {
		t.Fatal("JavaScript is off; this test is about the page with app.js")
	}

	// Step 1 of 3: without växelvis boende the form has three steps.
	if status := b.ClickAndWait(esStart); status != 200 {
		t.Errorf("Starta e-tjänsten: status %d, want 200", status)
	}
	f.checkStep(1, 3, "Eleven")
	if got := browsertest.Eval[int](b, `document.querySelectorAll("nav.progress li").length`); got != 3 {
		t.Errorf("the progress indicator lists %d steps, want 3 (Eleven, Skäl, Vårdnadshavare)", got)
	}

	// A field that depends on an answer of the same step follows the answer live.
	if !f.hidden("other_school") {
		t.Error(`"Vilken skola?" is shown before "Annan skola" is chosen`)
	}
	f.selectOption("school", "annan", "Annan skola")
	f.waitShown("other_school", true, `choosing "Annan skola" did not show "Vilken skola?"`)
	f.selectOption("school", "noltorpsskolan", "Noltorpsskolan")
	f.waitShown("other_school", false, `choosing "Noltorpsskolan" did not hide "Vilken skola?" again`)
	if !f.disabled("other_school") {
		t.Error(`the hidden "Vilken skola?" input is not disabled; its answer would be sent`)
	}

	// Everything but the pupil's name: Nästa shows the error summary, with the focus on it.
	f.fill("pupil_personal_number", "20121212-1212")
	f.fill("pupil_address.street", "Storgatan 5")
	f.fill("pupil_address.postal_code", "441 30")
	f.fill("pupil_address.city", "Alingsås")
	f.selectOption("grade", "4_6", "Årskurs 4–6")
	if status := b.ClickAndWait(esNext); status != 422 {
		t.Errorf("Nästa without the pupil's name: status %d, want 422", status)
	}
	f.checkStep(1, 3, "Eleven")
	f.checkErrorSummary([]string{"pupil_name"})
	if got, want := b.Title(), "Fel: Eleven – "+esSchoolTitle+" – Alingsås kommun"; got != want {
		t.Errorf("title with errors = %q, want %q", got, want)
	}
	if got := b.Text(`.error-summary a[href="#pupil_name"]`); !strings.HasSuffix(got, "Fyll i ett svar. Frågan är obligatorisk.") {
		t.Errorf("error summary link = %q, want it to end with the required message", got)
	}
	b.WaitTrue(esSummaryFocused, "the focus is not on the error summary after a post with errors")
	if got, want := b.Attr(esID("pupil_name"), "aria-invalid"), "true"; got != want {
		t.Errorf("pupil_name aria-invalid = %q, want %q", got, want)
	}
	for id, want := range map[string]string{
		"pupil_personal_number":     "20121212-1212",
		"pupil_address.street":      "Storgatan 5",
		"school":                    "noltorpsskolan",
		"grade":                     "4_6",
		"pupil_address.postal_code": "441 30",
	} {
		if got := f.value(id); got != want {
			t.Errorf("%s after the error = %q, want what the user gave, %q", id, got, want)
		}
	}

	// The summary's link takes the focus to the field; then the step is fixed.
	b.Click(`.error-summary a[href="#pupil_name"]`)
	b.WaitTrue(`document.activeElement !== null && document.activeElement.id === "pupil_name"`,
		"the error summary's link did not move the focus to the pupil's name")
	b.Press("Elsa Andersson")
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa on the fixed step: status %d, want 200", status)
	}

	// Step 2: the reason, with fields that follow it live.
	f.checkStep(2, 3, "Skäl")
	for _, key := range []string{"traffic_description", "disability_description", "certificate"} {
		if !f.hidden(key) {
			t.Errorf("field-%s is shown before a reason is chosen", key)
		}
	}
	f.choose("reason", "funktionsnedsattning")
	f.waitShown("disability_description", true, "choosing Funktionsnedsättning did not show the description of the disability")
	if f.hidden("certificate") {
		t.Error("choosing Funktionsnedsättning did not show the certificate upload")
	}
	if !f.hidden("traffic_description") {
		t.Error("choosing Funktionsnedsättning shows the description of the traffic danger")
	}
	if f.disabled("disability_description") || f.disabled("certificate") {
		t.Error("the shown disability fields are disabled")
	}
	if got, want := b.Attr(esID("certificate"), "accept"), "application/pdf"; got != want {
		t.Errorf("certificate accept = %q, want %q", got, want)
	}
	if browsertest.Eval[bool](b, `document.querySelector("#field-disability_description .condition-hint").checkVisibility()`) {
		t.Error("with JavaScript the condition hint is visible; app.css hides it, as the field shows and hides itself")
	}
	b.CheckAccessibility(t) // with the conditional fields shown
	f.choose("reason", "avstand")
	f.waitShown("disability_description", false, "choosing Avståndet did not hide the description of the disability again")
	if !f.hidden("certificate") {
		t.Error("choosing Avståndet did not hide the certificate upload again")
	}
	if !f.disabled("disability_description") || !f.disabled("certificate") {
		t.Error("the hidden disability fields are not disabled; their answers would be sent")
	}

	// Växelvis boende adds a step after this one.
	f.choose("reason", "vaxelvis_boende")
	f.fill("distance_km", "3,4")
	f.fillDate("start_date", time.Now().AddDate(0, 1, 0))
	b.ClickAndWait(esNext)
	f.checkStep(3, 4, "Växelvis boende")
	if got := browsertest.Eval[int](b, `document.querySelectorAll("nav.progress li").length`); got != 4 {
		t.Errorf("the progress indicator lists %d steps after choosing växelvis boende, want 4", got)
	}
	if !f.hidden("schedule_description") {
		t.Error(`"Beskriv schemat" is shown before "Annat schema" is chosen`)
	}
	f.fill("other_guardian_name", "Anders Andersson")
	f.fill("other_guardian_address.street", "Nolhagavägen 3")
	f.fill("other_guardian_address.postal_code", "441 40")
	f.fill("other_guardian_address.city", "Alingsås")
	f.choose("schedule", "varannan_vecka")
	b.ClickAndWait(esNext)

	// Step 4: the guardian.
	f.checkStep(4, 4, "Vårdnadshavare")
	f.fill("guardian_name", "Karin Andersson")
	f.fill("guardian_email", "karin@example.se")
	f.fill("guardian_phone", "070-123 45 67")
	f.choose("both_guardians", "yes")
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa on the last step: status %d, want 200", status)
	}

	// The review lists the answers.
	f.checkReview()
	for label, want := range map[string]string{
		esPupilName:     "Elsa Andersson",
		esReason:        "Växelvis boende",
		esDistance:      "3,4",
		esOtherGuardian: "Anders Andersson",
		esGuardianName:  "Karin Andersson",
		"Skola":         "Noltorpsskolan",
		"Årskurs":       "Årskurs 4–6",
	} {
		if got := esAnswer(b, label); got != want {
			t.Errorf("review: %s = %q, want %q", label, got, want)
		}
	}
	if got := esAnswer(b, esDisability); got != "(no row)" {
		t.Errorf("review lists the hidden disability description: %q", got)
	}
	if got := browsertest.Eval[[]string](b, `[...document.querySelectorAll("main h2")].map(h => h.innerText.trim())`); strings.Join(got, "|") != "Eleven|Skäl|Växelvis boende|Vårdnadshavare" {
		t.Errorf("review step headings = %q, want the four steps", got)
	}

	// Ändra leads to the step, at the field.
	change := esChangeLink(b, esPupilName)
	if want := "/steg/pupil#pupil_name"; !strings.HasSuffix(change, want) {
		t.Errorf("the change link of %s = %q, want it to end with %q", esPupilName, change, want)
	}
	if status := b.ClickAndWait(fmt.Sprintf(`dl.summary a[href=%q]`, change)); status != 200 {
		t.Errorf("Ändra: status %d, want 200", status)
	}
	f.checkStep(1, 4, "Eleven")
	if got := browsertest.Eval[string](b, `location.hash`); got != "#pupil_name" {
		t.Errorf("Ändra landed at %q, want the field's anchor #pupil_name", got)
	}
	if got := browsertest.Eval[string](b, `(document.querySelector(":target") || {id: "(none)"}).id`); got != "pupil_name" {
		t.Errorf("the :target of the page is %q, want the input pupil_name", got)
	}
	if got := f.value("pupil_name"); got != "Elsa Andersson" {
		t.Errorf("pupil_name = %q when changing it, want the earlier answer", got)
	}
	typeInto(b, esID("pupil_name"), "Elsa Lindqvist")
	for n := 2; n <= 4; n++ {
		b.ClickAndWait(esNext)
		f.checkStep(n, 4, "")
	}
	b.ClickAndWait(esNext)
	f.checkReview()
	if got := esAnswer(b, esPupilName); got != "Elsa Lindqvist" {
		t.Errorf("review after the change: %s = %q, want %q", esPupilName, got, "Elsa Lindqvist")
	}
	if got := esAnswer(b, esReason); got != "Växelvis boende" {
		t.Errorf("review after the change: %s = %q, want it kept, %q", esReason, got, "Växelvis boende")
	}

	// Skicka in → the receipt.
	ref := f.submit()
	t.Logf("reference %s", ref)
	if got := esAnswer(b, esPupilName); got != "Elsa Lindqvist" {
		t.Errorf("receipt: %s = %q, want %q", esPupilName, got, "Elsa Lindqvist")
	}
	if got := esAnswer(b, esOtherGuardian); got != "Anders Andersson" {
		t.Errorf("receipt: %s = %q, want %q", esOtherGuardian, got, "Anders Andersson")
	}
}

func TestMultiStepFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { multiStepFormWithoutJavaScript(t, width) })
	}
}

func multiStepFormWithoutJavaScript(t *testing.T, width int) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(width, 900))
	f := esForm{t: t, b: b}

	esOpenSchoolTransport(t, b, p.URL)
	b.ClickAndWait(esStart)
	f.checkStep(1, 3, "Eleven")

	// Without JavaScript a conditional field is shown, with the condition in words.
	f.checkConditionShown("other_school", "Besvara om du svarat ”Annan skola” på frågan ”Skola”.")
	f.fill("pupil_name", "Olle Berg")
	f.fill("pupil_personal_number", "20121212-1212")
	f.fill("pupil_address.street", "Storgatan 5")
	f.fill("pupil_address.postal_code", "441 30")
	f.fill("pupil_address.city", "Alingsås")
	f.selectOption("school", "hagaskolan", "Hagaskolan")
	f.selectOption("grade", "1_3", "Årskurs 1–3")
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa on step 1: status %d, want 200 (the unanswered other_school does not apply)", status)
	}

	// Step 2: every conditional field shows, each with its condition.
	f.checkStep(2, 3, "Skäl")
	f.checkConditionShown("traffic_description", "Besvara om du svarat ”Trafiksäkerheten på vägen till skolan” på frågan ”"+esReason+"”.")
	f.checkConditionShown("disability_description", "Besvara om du svarat ”Funktionsnedsättning” på frågan ”"+esReason+"”.")
	f.checkConditionShown("certificate", "Besvara om du svarat ”Funktionsnedsättning” på frågan ”"+esReason+"”.")
	if got := b.Attr("main form.form", "enctype"); got != "multipart/form-data" {
		t.Errorf("the step with a file field posts as %q, want multipart/form-data", got)
	}

	// An answer in the branch that does not apply: the disability description, with Avståndet.
	const dropped = "Eleven använder rullstol och kan inte gå till hållplatsen."
	f.fill("disability_description", dropped)
	f.choose("reason", "avstand")
	f.fill("distance_km", "4,5")
	f.fillDate("start_date", time.Now().AddDate(0, 0, 14))
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa on step 2: status %d, want 200", status)
	}

	// Avståndet adds no step.
	f.checkStep(3, 3, "Vårdnadshavare")
	f.fill("guardian_name", "Lena Berg")
	f.fill("guardian_email", "lena@example.se")
	f.fill("guardian_phone", "070-765 43 21")
	f.choose("both_guardians", "yes")
	b.ClickAndWait(esNext)

	f.checkReview()
	if got := esAnswer(b, esReason); got != "Avståndet till skolan" {
		t.Errorf("review: %s = %q, want %q", esReason, got, "Avståndet till skolan")
	}
	if strings.Contains(b.Text("main"), dropped) {
		t.Errorf("the review shows the disability description, whose condition is not met: %q", dropped)
	}

	ref := f.submit()
	receipt := b.Text("main")
	for _, leak := range []string{dropped, esDisability} {
		if strings.Contains(receipt, leak) {
			t.Errorf("the receipt lists %q, an answer to a field whose condition is not met", leak)
		}
	}
	if got := esAnswer(b, esReason); got != "Avståndet till skolan" {
		t.Errorf("receipt: %s = %q, want %q", esReason, got, "Avståndet till skolan")
	}
	if got := esAnswer(b, esDistance); got != "4,5" {
		t.Errorf("receipt: %s = %q, want %q", esDistance, got, "4,5")
	}
	// The stored case has no trace of it either.
	var stored bool
	if err := p.Pool.QueryRow(context.Background(),
		`SELECT answers ? 'disability_description' FROM cases WHERE reference = $1`, ref).Scan(&stored); err != nil {
		t.Fatalf("read the case %s: %v", ref, err)
	}
	if stored {
		t.Errorf("the case %s stores the disability description, whose condition is not met", ref)
	}
	if b.JavaScriptEnabled() {
		t.Error("JavaScript is on; the journey must have run without it")
	}
}

func TestConditionalContactOnSameStep(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)
	f := esForm{t: t, b: b}

	if status := b.Navigate(p.URL + esCatalogue + "/" + esLightSlug); status != 200 {
		t.Fatalf("GET the e-service: status %d, want 200", status)
	}
	if got := b.Text("h1"); got != esLightTitle {
		t.Fatalf("h1 = %q, want %q", got, esLightTitle)
	}
	if main, want := b.Text("main"), "Du behöver inte logga in för att använda e-tjänsten."; !strings.Contains(main, want) {
		t.Errorf("the e-service's page does not say %q", want)
	}
	b.ClickAndWait(esStart)
	f.checkStep(1, 2, "Felet")
	f.fill("location", "Kungsgatan 12")
	f.selectOption("fault_type", "blinkar", "Lyktan blinkar")
	b.ClickAndWait(esNext)

	// Step 2: the contact block waits for "Ja".
	f.checkStep(2, 2, "Återkoppling")
	if !f.hidden("contact") {
		t.Error("the contact block is shown before the user has answered Vill du få återkoppling?")
	}
	f.choose("wants_feedback", "yes")
	f.waitShown("contact", true, "choosing Ja did not show the contact block")
	for _, id := range []string{"contact.name", "contact.email", "contact.phone"} {
		if f.disabled(id) {
			t.Errorf("%s is disabled in the shown contact block", id)
		}
	}
	b.CheckAccessibility(t) // with the contact block shown
	f.choose("wants_feedback", "no")
	f.waitShown("contact", false, "choosing Nej did not hide the contact block")
	for _, id := range []string{"contact.name", "contact.email", "contact.phone"} {
		if !f.disabled(id) {
			t.Errorf("%s is not disabled in the hidden contact block", id)
		}
	}

	// Nej: Nästa goes on without contact details.
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa with Nej: status %d, want 200 (the review)", status)
	}
	f.checkReview()
	if got := esAnswer(b, esWantsFeedback); got != "Nej" {
		t.Errorf("review: %s = %q, want %q", esWantsFeedback, got, "Nej")
	}
	if got := esAnswer(b, esContactDetails); got != "(no row)" {
		t.Errorf("review lists %s after Nej: %q", esContactDetails, got)
	}

	// Back to the step: Ja without a name is an error.
	b.ClickAndWait(fmt.Sprintf(`dl.summary a[href=%q]`, esChangeLink(b, esWantsFeedback)))
	f.checkStep(2, 2, "Återkoppling")
	if !f.hidden("contact") {
		t.Error("the contact block is shown when the saved answer is Nej")
	}
	f.choose("wants_feedback", "yes")
	f.waitShown("contact", true, "choosing Ja did not show the contact block")
	f.fill("contact.email", "ove@example.se")
	if status := b.ClickAndWait(esNext); status != 422 {
		t.Errorf("Nästa with Ja and no name: status %d, want 422", status)
	}
	f.checkStep(2, 2, "Återkoppling")
	f.checkErrorSummary([]string{"contact.name"})
	// The link names the input (the block and the part) and says what is wrong.
	if got := b.Text(`.error-summary a[href="#contact.name"]`); !strings.HasPrefix(got, esContactDetails) || !strings.HasSuffix(got, "Fyll i namn.") {
		t.Errorf("error summary link = %q, want it to name %q and end with %q", got, esContactDetails, "Fyll i namn.")
	}
	b.WaitTrue(esSummaryFocused, "the focus is not on the error summary after a post with errors")
	if f.hidden("contact") {
		t.Error("the contact block is hidden on the page that reports its error")
	}
	if got := f.value("contact.email"); got != "ove@example.se" {
		t.Errorf("contact.email after the error = %q, want what the user typed", got)
	}
	b.Click(`.error-summary a[href="#contact.name"]`)
	b.WaitTrue(`document.activeElement !== null && document.activeElement.id === "contact.name"`,
		"the error summary's link did not move the focus to the name")
	b.Press("Ove Sundberg")
	if status := b.ClickAndWait(esNext); status != 200 {
		t.Errorf("Nästa with Ja and a name: status %d, want 200", status)
	}
	f.checkReview()
	if got := esAnswer(b, esContactDetails); got != "Ove Sundberg\nove@example.se" {
		t.Errorf("review: %s = %q, want the name and the e-mail address", esContactDetails, got)
	}
}

func TestCatalogueSearchAndFilter(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	b := browsertest.New(t)

	if status := b.Navigate(p.URL + esCatalogue); status != 200 {
		t.Fatalf("GET %s: status %d, want 200", esCatalogue, status)
	}
	if got := b.Text("h1"); got != "E-tjänster" {
		t.Errorf("h1 = %q, want %q", got, "E-tjänster")
	}
	all := esCatalogueTitles(b)
	if len(all) < 2 {
		t.Fatalf("the catalogue lists %d e-services, want several: %q", len(all), all)
	}

	// Words of one e-service's title (the advice's booking e-service is about building permits too).
	const search = "ansökan om bygglov"
	b.Run(chromedp.SendKeys(chromedp.CSS("#q"), search))
	if status := b.ClickAndWait("form.filters button[type=submit]"); status != 200 {
		t.Errorf("the search: status %d, want 200", status)
	}
	u, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != esCatalogue || u.Query().Get("q") != search {
		t.Errorf("the search went to %s, want a GET of %s with q=%s", u, esCatalogue, search)
	}
	if got := esCatalogueTitles(b); len(got) != 1 || got[0] != "Ansökan om bygglov" {
		t.Errorf("the search for %s lists %q, want only %q", search, got, "Ansökan om bygglov")
	}
	if got := browsertest.Eval[string](b, `document.getElementById("q").value`); got != search {
		t.Errorf("the search field = %q after the search, want %q", got, search)
	}
	if got, want := b.Text(`main p[role="status"]`), "1 e-tjänst"; got != want {
		t.Errorf("the count = %q, want %q", got, want)
	}
	if got := b.Attr("main .service-list h2 a", "href"); got != esCatalogue+"/ansokan-om-bygglov" {
		t.Errorf("the result links to %q, want %q", got, esCatalogue+"/ansokan-om-bygglov")
	}
}

// esOpenSchoolTransport goes from the catalogue to Ansökan om skolskjuts and reads its page.
func esOpenSchoolTransport(t *testing.T, b *browsertest.Browser, base string) {
	t.Helper()
	if status := b.Navigate(base + esCatalogue); status != 200 {
		t.Fatalf("GET %s: status %d, want 200", esCatalogue, status)
	}
	if status := b.ClickAndWait(fmt.Sprintf(`.service-list a[href=%q]`, esCatalogue+"/"+esSchoolSlug)); status != 200 {
		t.Errorf("the catalogue's link to %s: status %d, want 200", esSchoolTitle, status)
	}
	checkPath(t, b, esCatalogue+"/"+esSchoolSlug)
	if got := b.Text("h1"); got != esSchoolTitle {
		t.Fatalf("h1 = %q, want %q", got, esSchoolTitle)
	}
	main := b.Text("main")
	for _, want := range []string{
		"Du kan använda e-tjänsten utan att logga in.",
		"Så behandlar vi dina personuppgifter",
	} {
		if !strings.Contains(main, want) {
			t.Errorf("the e-service's page does not say %q", want)
		}
	}
	if got, want := fact(b, "Personuppgiftsansvarig"), "Barn- och ungdomsnämnden i Alingsås kommun"; got != want {
		t.Errorf("Personuppgiftsansvarig = %q, want %q", got, want)
	}
	if got := fact(b, "Rättslig grund"); !strings.Contains(got, "skollagen") {
		t.Errorf("Rättslig grund = %q, want the Education Act (skollagen)", got)
	}
	if got, want := b.Text(esStart), "Starta e-tjänsten"; got != want {
		t.Errorf("the start button = %q, want %q", got, want)
	}
}

// esForm fills in and reads the fields of an e-service's step.
type esForm struct {
	t *testing.T
	b *browsertest.Browser
}

// esID is a selector for the element with the id; the inputs of an address or a contact block
// have a dot in their ids (pupil_address.street).
func esID(id string) string { return fmt.Sprintf("[id=%q]", id) }

// checkStep checks the step's heading: "Steg n av count" and the title (unless title is "").
func (f esForm) checkStep(n, count int, title string) {
	f.t.Helper()
	if !strings.Contains(f.b.Location(), "/steg/") {
		f.t.Fatalf("the browser is on %s, want step %d of %d (h1 %q)", f.b.Location(), n, count, f.b.Text("h1"))
	}
	if got, want := f.b.Text("h1 .step-count"), fmt.Sprintf("Steg %d av %d", n, count); got != want {
		f.t.Errorf("the step count = %q, want %q (on %s)", got, want, f.b.Location())
	}
	if title == "" {
		return
	}
	if got := f.b.Text(`nav.progress [aria-current="step"]`); got != title {
		f.t.Errorf("the progress indicator's current step = %q, want %q", got, title)
	}
	if got := f.b.Text("h1"); !strings.HasSuffix(got, title) {
		f.t.Errorf("h1 = %q, want it to end with the step's title %q", got, title)
	}
}

// fill types the text into the empty input with the id, with the keyboard.
func (f esForm) fill(id, text string) {
	f.t.Helper()
	f.b.Run(chromedp.SendKeys(chromedp.CSS(esID(id)), text))
	if got := f.value(id); got != text {
		f.t.Fatalf("typed %q into %s, which holds %q", text, id, got)
	}
}

// fillDate types the date into a date input in the order of the browser's locale.
func (f esForm) fillDate(id string, d time.Time) {
	f.t.Helper()
	order := browsertest.Eval[[]string](f.b, `new Intl.DateTimeFormat(navigator.language, {year: "numeric", month: "2-digit", day: "2-digit"})
		.formatToParts(new Date(2001, 10, 22)).filter(p => p.type !== "literal").map(p => p.type)`)
	var keys string
	for _, part := range order {
		switch part {
		case "year":
			keys += d.Format("2006")
		case "month":
			keys += d.Format("01")
		case "day":
			keys += d.Format("02")
		}
	}
	f.b.Run(chromedp.SendKeys(chromedp.CSS(esID(id)), keys))
	if got, want := f.value(id), d.Format(time.DateOnly); got != want {
		f.t.Fatalf("typed %q (order %v) into the date input %s, which holds %q, want %q", keys, order, id, got, want)
	}
}

// selectOption picks the option of a select, and checks its text. The keyboard's type-ahead of a
// closed select is not reliable in headless Chromium, so the value is set as the browser does
// on a choice: the property, then the input and change events that app.js listens to.
func (f esForm) selectOption(id, value, text string) {
	f.t.Helper()
	f.b.Run(chromedp.Focus(chromedp.CSS(esID(id))))
	got := browsertest.Eval[string](f.b, fmt.Sprintf(`(() => {
		const s = document.getElementById(%q);
		s.value = %q;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return s.selectedIndex < 0 ? "(nothing)" : s.options[s.selectedIndex].text;
	})()`, id, value))
	if got != text {
		f.t.Fatalf("the select %s shows %q after choosing %q, want %q", id, got, value, text)
	}
}

// choose clicks the label of the radio button or checkbox with the value.
func (f esForm) choose(name, value string) {
	f.t.Helper()
	input := fmt.Sprintf(`input[name=%q][value=%q]`, name, value)
	id := f.b.Attr(input, "id")
	f.b.Click(fmt.Sprintf(`label[for=%q]`, id))
	if !browsertest.Eval[bool](f.b, fmt.Sprintf(`document.querySelector(%q).checked`, input)) {
		f.t.Fatalf("clicking the label of %s did not check it", input)
	}
}

// value is the current value of the input, select or textarea with the id.
func (f esForm) value(id string) string {
	f.t.Helper()
	return browsertest.Eval[string](f.b, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

// hidden is the hidden property of the field's wrapper, div#field-KEY.
func (f esForm) hidden(key string) bool {
	f.t.Helper()
	return browsertest.Eval[bool](f.b, fmt.Sprintf(`document.getElementById(%q).hidden`, "field-"+key))
}

// waitShown waits until the field's wrapper is shown (not hidden) or hidden, as app.js sets it.
func (f esForm) waitShown(key string, shown bool, msg string) {
	f.t.Helper()
	f.b.WaitTrue(fmt.Sprintf(`(() => { const w = document.getElementById(%q); return w.hidden === %t && w.checkVisibility() === %t; })()`,
		"field-"+key, !shown, shown), msg)
}

// disabled reports whether the input with the id is disabled.
func (f esForm) disabled(id string) bool {
	f.t.Helper()
	return browsertest.Eval[bool](f.b, fmt.Sprintf(`document.getElementById(%q).disabled`, id))
}

// checkConditionShown checks, without JavaScript, that the conditional field is shown and says
// when it applies.
func (f esForm) checkConditionShown(key, hint string) {
	f.t.Helper()
	wrap := "#field-" + key
	if got := f.b.Attr(wrap, "data-show-if-field"); got == "" {
		f.t.Errorf("%s has no data-show-if-field; is it conditional?", wrap)
	}
	if f.hidden(key) || !browsertest.Eval[bool](f.b, fmt.Sprintf(`document.querySelector(%q).checkVisibility()`, wrap)) {
		f.t.Errorf("%s is not visible without JavaScript", wrap)
	}
	sel := wrap + " .condition-hint"
	if !browsertest.Eval[bool](f.b, fmt.Sprintf(`(() => { const h = document.querySelector(%q); return h !== null && h.checkVisibility(); })()`, sel)) {
		f.t.Errorf("%s: the condition hint is missing or not visible", wrap)
		return
	}
	if got := f.b.Text(sel); got != hint {
		f.t.Errorf("%s: condition hint = %q, want %q", wrap, got, hint)
	}
}

// checkErrorSummary checks the error summary: its heading, and one link to each field, in order.
func (f esForm) checkErrorSummary(ids []string) {
	f.t.Helper()
	if got := f.b.Text(".error-summary h2"); got != esErrorHeading {
		f.t.Errorf("error summary heading = %q, want %q", got, esErrorHeading)
	}
	hrefs := browsertest.Eval[[]string](f.b, `[...document.querySelectorAll(".error-summary a")].map(a => a.getAttribute("href"))`)
	var want []string
	for _, id := range ids {
		want = append(want, "#"+id)
	}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		f.t.Errorf("the error summary links to %q, want %q; summary: %q", hrefs, want, f.b.Text(".error-summary"))
	}
	for _, id := range ids {
		if !browsertest.Eval[bool](f.b, fmt.Sprintf(`document.getElementById(%q) !== null`, id)) {
			f.t.Errorf("the error summary links to #%s, which is not on the page", id)
		}
	}
}

// checkReview checks that the browser is on "Kontrollera dina svar".
func (f esForm) checkReview() {
	f.t.Helper()
	if !strings.HasSuffix(f.b.Location(), "/granska") {
		f.t.Fatalf("the browser is on %s (h1 %q), want the review", f.b.Location(), f.b.Text("h1"))
	}
	if got := f.b.Text("h1"); got != esReviewHeading {
		f.t.Errorf("h1 = %q, want %q", got, esReviewHeading)
	}
}

// submit presses Skicka in on the review and checks the receipt; it returns the reference.
func (f esForm) submit() string {
	f.t.Helper()
	if got := f.b.Text(esSubmit); got != "Skicka in" {
		f.t.Errorf("the submit button = %q, want %q", got, "Skicka in")
	}
	if status := f.b.ClickAndWait(esSubmit); status != 200 {
		f.t.Errorf("Skicka in: status %d, want 200", status)
	}
	if !regexp.MustCompile(`/arenden/[^/]+/kvitto$`).MatchString(f.b.Location()) {
		f.t.Fatalf("after Skicka in the browser is on %s (h1 %q), want the receipt", f.b.Location(), f.b.Text("h1"))
	}
	if got := f.b.Text(".notice.ok.receipt h1"); got != esReceiptHeading {
		f.t.Errorf("the receipt's heading = %q, want %q in the green box", got, esReceiptHeading)
	}
	ref := f.b.Text(".notice.ok.receipt .reference strong")
	if !esReference.MatchString(ref) {
		f.t.Errorf("the reference = %q, want it to match %s", ref, esReference)
	}
	if got := f.b.Text(".notice.ok.receipt .reference"); got != "Ärendenummer: "+ref {
		f.t.Errorf("the receipt's reference line = %q, want %q", got, "Ärendenummer: "+ref)
	}
	return ref
}

// esAnswer is the answer in the review's or the receipt's row with the label, its lines
// joined with "\n"; "(no row)" when there is no such row.
func esAnswer(b *browsertest.Browser, label string) string {
	return browsertest.Eval[string](b, fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll("dl.summary .summary-row")) {
			if (row.querySelector("dt").innerText.trim() === %q) {
				return row.querySelector("dd").innerText.trim();
			}
		}
		return "(no row)";
	})()`, label))
}

// esChangeLink is the href of the review's Ändra link in the row with the label.
func esChangeLink(b *browsertest.Browser, label string) string {
	return browsertest.Eval[string](b, fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll("dl.summary .summary-row")) {
			if (row.querySelector("dt").innerText.trim() === %q) {
				const a = row.querySelector("dd.change a");
				return a ? a.getAttribute("href") : "(no link)";
			}
		}
		return "(no row)";
	})()`, label))
}

// esCatalogueTitles are the titles of the e-services the catalogue lists.
func esCatalogueTitles(b *browsertest.Browser) []string {
	return browsertest.Eval[[]string](b, `[...document.querySelectorAll("main .service-list h2")].map(h => h.innerText.trim())`)
}

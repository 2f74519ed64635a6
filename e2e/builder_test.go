package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

const (
	bdTitle    = "Bokning av idrottshall"
	bdSlug     = "bokning-av-idrottshall"
	bdOldLabel = "Vill du boka omklädningsrum?"
	bdNewLabel = "Vill ni boka omklädningsrum?"
	bdFile     = "Bifoga föreningens stadgar"
)

// An e-service admin builds an e-service from nothing with JavaScript turned off: two steps, a
// condition and a file field; previews it and publishes it. A citizen submits it. The admin
// changes a label and publishes again: the citizen's next draft shows the new label, the first
// case still the old. Every page is checked with axe as it loads.
func TestBuildAndPublishWithoutJavaScript(t *testing.T) {
	p := webtest.Start(t)
	admin := browsertest.New(t, browsertest.WithoutJavaScript())
	citizen := browsertest.New(t, browsertest.WithoutJavaScript())

	// 1. The admin creates the e-service and builds its two steps.
	admin.Navigate(p.URL + "/personal/etjanster")
	bdLogin(t, admin, pickPerson("Erik Förvaltare"), "/personal/etjanster")
	admin.Run(chromedp.SendKeys(chromedp.CSS("#title"), bdTitle))
	bdSelect(t, admin, "category", "culture")
	admin.ClickAndWait(`form[action="/personal/etjanster"] button[type=submit]`)
	editor := admin.Location()
	if !strings.HasSuffix(strings.Split(editor, "?")[0], "/formular") {
		t.Fatalf("creating went to %s, want the form editor", editor)
	}
	editor = strings.Split(editor, "?")[0]
	overview := strings.TrimSuffix(editor, "/formular")

	bdAddStep(t, admin, "Bokning")
	bdAddField(t, admin, "bokning", "yes_no", map[string]string{"label_sv": bdOldLabel, "key": "omkladning"}, "required")
	bdAddField(t, admin, "bokning", "short_text", map[string]string{"label_sv": "Förening", "key": "forening"}, "required")
	bdAddStep(t, admin, "Underlag")
	bdAddField(t, admin, "underlag", "file", map[string]string{"label_sv": bdFile, "key": "stadgar"}, "",
		func() {
			bdSelect(t, admin, "show_if_field", "omkladning")
			bdSelect(t, admin, "show_if_op", "equals")
			admin.Run(chromedp.SendKeys(chromedp.CSS("#show_if_value"), "yes"))
		})
	bdAddField(t, admin, "underlag", "long_text", map[string]string{"label_sv": "Övrigt", "key": "ovrigt"}, "")
	editorText := admin.Text("main")
	for _, want := range []string{"Bokning", "Underlag", bdOldLabel, bdFile, "Övrigt"} {
		if !strings.Contains(editorText, want) {
			t.Errorf("the editor lacks %q", want)
		}
	}

	// 2. The preview: the file field shows only after "yes", validation as for a citizen.
	admin.Navigate(overview + "/forhandsgranska")
	if !strings.Contains(admin.Text("main"), "Förhandsgranskning") {
		t.Errorf("the preview does not say it is a preview: %s", admin.Text("main"))
	}
	if status := admin.ClickAndWait(esNext); status != 422 {
		t.Errorf("Nästa on an empty preview step: status %d, want 422", status)
	}
	admin.Click(`label[for="` + admin.Attr(`input[name="omkladning"][value="no"]`, "id") + `"]`)
	admin.Run(chromedp.SendKeys(chromedp.CSS("#forening"), "IK Alingsås"))
	admin.ClickAndWait(esNext)
	if strings.Contains(admin.Text("main"), bdFile) {
		t.Errorf("the file field shows in the preview although the answer was no")
	}
	admin.Navigate(overview + "/forhandsgranska")
	admin.Click(`label[for="` + admin.Attr(`input[name="omkladning"][value="yes"]`, "id") + `"]`)
	admin.ClickAndWait(esNext)
	if !strings.Contains(admin.Text("main"), bdFile) {
		t.Errorf("the file field does not show in the preview after yes: %s", admin.Text("main"))
	}
	admin.ClickAndWait(esNext)
	if !strings.HasSuffix(admin.Location(), "/forhandsgranska/granska") {
		t.Fatalf("the preview ended on %s, want its review", admin.Location())
	}
	if !strings.Contains(admin.Text("main"), "inget ärende skapas") {
		t.Errorf("the preview's review does not say no case is created: %s", admin.Text("main"))
	}

	// 3. Publish: not before the privacy notice is complete; the overview links to what is missing.
	admin.Navigate(overview)
	if browsertest.Eval[bool](admin, `document.querySelector('form[action$="/publicera"]') !== null`) {
		t.Error("the overview offers to publish an e-service without a privacy notice")
	}
	admin.ClickAndWait(`a[href$="/installningar#privacy_data_sv"]`)
	admin.Run(chromedp.SendKeys(chromedp.CSS("#retention_months"), "24"))
	for _, part := range []string{"data", "purpose", "legal_basis", "controller", "retention"} {
		admin.Run(chromedp.SendKeys(chromedp.CSS("#privacy_"+part+"_sv"), "Om "+part))
	}
	admin.ClickAndWait(`form[action$="/installningar"] button[type=submit]`)
	admin.Navigate(overview)
	admin.ClickAndWait(`form[action$="/publicera"] button`)
	if !strings.Contains(admin.Text("main"), "Version 1 är publicerad") {
		t.Fatalf("after publishing: %s", admin.Text("main"))
	}

	// 4. A citizen submits it, with a file.
	pdf := filepath.Join(t.TempDir(), "stadgar.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	citizen.Navigate(p.URL + "/login?return=%2Fe-tjanster%2F" + bdSlug)
	bdLogin(t, citizen, pickPerson(karinName), "/e-tjanster/"+bdSlug)
	citizen.ClickAndWait(esStart)
	if got := citizen.Text("main"); !strings.Contains(got, bdOldLabel) {
		t.Fatalf("the first step lacks %q: %s", bdOldLabel, got)
	}
	citizen.Click(`label[for="` + citizen.Attr(`input[name="omkladning"][value="yes"]`, "id") + `"]`)
	citizen.Run(chromedp.SendKeys(chromedp.CSS("#forening"), "IK Alingsås"))
	citizen.ClickAndWait(esNext)
	citizen.Run(chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name="stadgar"]`), []string{pdf}))
	citizen.ClickAndWait(esNext)
	if !strings.HasSuffix(citizen.Location(), "/granska") {
		t.Fatalf("the citizen is on %s, want the review: %s", citizen.Location(), citizen.Text("main"))
	}
	citizen.ClickAndWait(esSubmit)
	receipt := citizen.Location()
	if !regexp.MustCompile(`/arenden/[^/]+/kvitto$`).MatchString(receipt) {
		t.Fatalf("after submitting: %s", receipt)
	}
	firstCase := strings.TrimSuffix(receipt, "/kvitto")

	// 5. The admin changes the label and publishes again.
	admin.Navigate(editor + "/falt/omkladning")
	admin.Run(chromedp.Clear(chromedp.CSS("#label_sv")))
	admin.Run(chromedp.SendKeys(chromedp.CSS("#label_sv"), bdNewLabel))
	admin.ClickAndWait(`button[name="action"][value="save"]:not([hidden])`)
	admin.Navigate(overview)
	if !strings.Contains(admin.Text("main"), "ett utkast till en ny version finns") {
		t.Errorf("no draft version after the change: %s", admin.Text("main"))
	}
	admin.ClickAndWait(`form[action$="/publicera"] button`)
	if !strings.Contains(admin.Text("main"), "Version 2 är publicerad") {
		t.Fatalf("after publishing again: %s", admin.Text("main"))
	}

	// 6. The citizen's next draft has the new label; the first case keeps the old one.
	citizen.Navigate(p.URL + "/e-tjanster/" + bdSlug)
	citizen.ClickAndWait(esStart)
	if got := citizen.Text("main"); !strings.Contains(got, bdNewLabel) {
		t.Errorf("the new draft lacks the new label: %s", got)
	}
	citizen.Navigate(firstCase)
	got := citizen.Text("main")
	if !strings.Contains(got, bdOldLabel) || strings.Contains(got, bdNewLabel) {
		t.Errorf("the first case should show the old label only: %s", got)
	}
}

// bdSelect chooses a select's option by value.
func bdSelect(t *testing.T, b *browsertest.Browser, id, value string) {
	t.Helper()
	got := browsertest.Eval[string](b, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q;
		return s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].value })()`, id, value))
	if got != value {
		t.Fatalf("the select %s has no option %q", id, value)
	}
}

// bdAddStep adds a step with the title on the editor page.
func bdAddStep(t *testing.T, b *browsertest.Browser, title string) {
	t.Helper()
	b.Run(chromedp.SendKeys(chromedp.CSS("#new_step_title"), title))
	if status := b.ClickAndWait(`form[action$="/formular/steg"] button[type=submit]`); status != 200 {
		t.Fatalf("adding the step %s: status %d: %s", title, status, b.Text("main"))
	}
}

// bdAddField adds a field of the type to the step from the editor page, filling in the inputs,
// ticking the check box named tick (if any) and running more, then returns to the editor.
func bdAddField(t *testing.T, b *browsertest.Browser, step, typ string, inputs map[string]string, tick string, more ...func()) {
	t.Helper()
	bdSelect(t, b, "typ-"+step, typ)
	b.ClickAndWait(fmt.Sprintf(`form[action$="/steg/%s/nytt-falt"] button[type=submit]`, step))
	for id, v := range inputs {
		b.Run(chromedp.SendKeys(chromedp.CSS("#"+id), v))
	}
	if tick != "" {
		b.Click(`label[for="` + tick + `"]`)
	}
	for _, f := range more {
		f()
	}
	if status := b.ClickAndWait(`button[name="action"][value="save"]:not([hidden])`); status != 200 || !strings.HasSuffix(strings.Split(b.Location(), "?")[0], "/formular") {
		t.Fatalf("adding the field %s: status %d on %s: %s", inputs["key"], status, b.Location(), b.Text("main"))
	}
}

// bdLogin picks the person in the development IdP and, without JavaScript, presses Fortsätt on
// the SAML post page.
func bdLogin(t *testing.T, b *browsertest.Browser, person, wantPath string) {
	t.Helper()
	b.ClickAndWait(person)
	b.ClickAndWait(samlContinue)
	checkPath(t, b, wantPath)
}

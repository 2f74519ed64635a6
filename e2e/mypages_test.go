package e2e

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A citizen's whole case in a browser: submit, read the caseworker's message, answer it with an
// attachment, supplement the case when asked, and download the receipt. axe checks every page.
func TestCaseMessagesSupplementAndReceipt(t *testing.T) {
	for _, width := range citizenWidths {
		t.Run(widthName(width), func(t *testing.T) { caseMessagesSupplementAndReceipt(t, width) })
	}
}

func caseMessagesSupplementAndReceipt(t *testing.T, width int) {
	p := webtest.Start(t)
	b := browsertest.New(t, browsertest.WithWindowSize(width, 900))
	ctx := context.Background()

	b.Navigate(p.URL + "/login?return=%2Fmina-sidor")
	clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")

	// Submit a fault report.
	b.Navigate(p.URL + "/e-tjanster/felanmalan-gatubelysning")
	b.ClickAndWait(`form[action$="/starta"] button`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#location"), "Kungsgatan 12"))
	setSelect(t, b, "fault_type", "slackt")
	b.ClickAndWait(`button[value="next"]`)
	b.Click(`label[for="wants_feedback-1"]`) // Nej
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`form[action$="/skicka"] button[type="submit"]`)
	if !strings.Contains(b.Text("h1"), "Ditt ärende är nu inskickat") {
		t.Fatalf("no receipt: %s", b.Text("h1"))
	}
	reference := b.Text(".reference strong")
	caseID := uuid.MustParse(regexp.MustCompile(`/arenden/([0-9a-f-]{36})/kvitto`).FindStringSubmatch(b.Location())[1])

	// The receipt downloads as a PDF.
	pdfStart := browsertest.Value(b, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[href$="kvitto.pdf"]').href).then(r => r.arrayBuffer()).then(a => new TextDecoder().decode(a.slice(0, 5)))`,
		chromedp.EvalAwaitPromise))
	if pdfStart != "%PDF-" {
		t.Errorf("the receipt download starts %q", pdfStart)
	}

	// A caseworker writes.
	if _, err := message.NewStore(p.Pool, p.Notices).Send(ctx, caseID, message.Caseworker, "Handläggare Anna", "Kan du skicka en bild på lyktan?", nil); err != nil {
		t.Fatal(err)
	}
	b.Navigate(p.URL + "/mina-sidor/arenden")
	if row := b.Text("table.cases tbody tr"); !strings.Contains(row, reference) || !strings.Contains(row, "1 olästa meddelanden") {
		t.Errorf("Mina ärenden row: %q", row)
	}
	b.ClickAndWait(`table.cases a`)
	if !strings.Contains(b.Text(".thread"), "Kan du skicka en bild på lyktan?") {
		t.Errorf("the thread lacks the caseworker's message")
	}

	// The citizen answers with a picture.
	picture := filepath.Join(t.TempDir(), "lyktan.png")
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	if err := os.WriteFile(picture, img.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#body"), "Här är en bild."))
	b.Run(chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{picture}))
	b.ClickAndWait(`form[action$="/meddelanden"] button[type="submit"]`)
	if !strings.Contains(b.Text("main"), "Ditt meddelande är skickat") || !strings.Contains(b.Text(".thread"), "lyktan.png") {
		t.Errorf("after sending: %s", b.Text(".thread"))
	}

	// The caseworker asks for a supplement; the citizen corrects the place.
	if err := casework.NewStore(p.Pool, p.Notices).RequestSupplement(ctx, p.StaffMember(t, "ali-1001"), caseID, "Ange närmaste husnummer."); err != nil {
		t.Fatal(err)
	}
	b.Navigate(p.URL + "/arenden/" + caseID.String())
	if !strings.Contains(b.Text(".supplement"), "Ange närmaste husnummer.") {
		t.Errorf("the request is not shown")
	}
	b.ClickAndWait(`.supplement button`)
	browsertest.Eval[string](b, `document.getElementById("location").value = ""`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#location"), "Kungsgatan 14"))
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`button[value="next"]`)
	b.ClickAndWait(`form[action$="/skicka"] button[type="submit"]`)
	main := b.Text("main")
	for _, want := range []string{"Din komplettering är inskickad", "Kungsgatan 14", "Under handläggning"} {
		if !strings.Contains(main, want) {
			t.Errorf("the case page after the supplement lacks %q", want)
		}
	}

	// The citizen withdraws the case, giving a reason (each page checked with axe and for reflow).
	b.ClickAndWait(`a[href$="/aterkalla"]`)
	b.Run(chromedp.SendKeys(chromedp.CSS("#reason"), "Lampan lagades av grannen."))
	b.ClickAndWait(`form[action$="/aterkalla"] button[type="submit"]`)
	if main := b.Text("main"); !strings.Contains(main, "Du har återkallat ärendet") || !strings.Contains(main, "Du återkallade ärendet") {
		t.Errorf("the case page after withdrawing: %s", main)
	}
}

// setSelect chooses a value of a select as a person does, with the events app.js listens to.
func setSelect(t *testing.T, b *browsertest.Browser, id, value string) {
	t.Helper()
	browsertest.Eval[bool](b, `(() => { const s = document.getElementById("`+id+`"); s.value = "`+value+`";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
}

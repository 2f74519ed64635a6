package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The e-service journeys through the real server and PostgreSQL: the catalogue, an e-service's
// page, steps with errors, files and conditions, saving and resuming drafts, the review, the
// submission and the receipt, as browsers do it (forms, multipart uploads, cookies, redirects).

// esBrowser is one browser (one cookie jar) on the portal.
type esBrowser struct {
	t testing.TB
	p *webtest.Portal
	c *http.Client
}

func newBrowser(t testing.TB, p *webtest.Portal) *esBrowser {
	return &esBrowser{t: t, p: p, c: p.Client(t)}
}

// loggedIn is a browser that has logged in as the test person.
func loggedIn(t testing.TB, p *webtest.Portal, personKey string) *esBrowser {
	b := newBrowser(t, p)
	resp := p.Login(t, b.c, personKey, "/mina-sidor")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: status %d", personKey, resp.StatusCode)
	}
	webtest.ReadBody(t, resp)
	return b
}

// get returns the response and its body.
func (b *esBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp := b.p.Do(b.t, b.c, "GET", path, nil)
	return resp, webtest.ReadBody(b.t, resp)
}

// page gets a page that must answer 200.
func (b *esBrowser) page(path string) string {
	b.t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, errorText(body))
	}
	return body
}

// post posts a form and returns the response with its body read.
func (b *esBrowser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	resp := b.p.Do(b.t, b.c, "POST", path, form)
	return resp, webtest.ReadBody(b.t, resp)
}

// step posts a step's answers with the button's action.
func (b *esBrowser) step(path string, answers url.Values, action string) (*http.Response, string) {
	b.t.Helper()
	form := url.Values{}
	for k, v := range answers {
		form[k] = slices.Clone(v)
	}
	form.Set("action", action)
	return b.post(path, form)
}

// upload is a file chosen in a file input.
type upload struct {
	Field, Name string
	Data        []byte
}

// multipart posts fields and files as multipart/form-data, with the headers a browser sends on a
// same-origin form post.
func (b *esBrowser) multipart(path string, fields url.Values, files ...upload) (*http.Response, string) {
	b.t.Helper()
	body, contentType := multipartBody(b.t, fields, files)
	req, err := http.NewRequest("POST", b.p.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", b.p.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, webtest.ReadBody(b.t, resp)
}

func multipartBody(t testing.TB, fields url.Values, files []upload) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vals := range fields {
		for _, v := range vals {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.Field, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

var (
	stepPath    = regexp.MustCompile(`^/utkast/([0-9a-f-]{36})/steg/([a-z0-9_]+)$`)
	receiptPath = regexp.MustCompile(`^/arenden/([0-9a-f-]{36})/kvitto$`)
	referenceRE = regexp.MustCompile(`<p class="reference">[^<]*<strong>([^<]+)</strong>`)
)

// start presses "Starta e-tjänsten" and returns the draft's id and first step's address.
func (b *esBrowser) start(slug string) (draftID, stepURL string) {
	b.t.Helper()
	resp, body := b.post("/e-tjanster/"+slug+"/starta", nil)
	loc := resp.Header.Get("Location")
	m := stepPath.FindStringSubmatch(loc)
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		b.t.Fatalf("start %s: status %d, location %q: %s", slug, resp.StatusCode, loc, errorText(body))
	}
	return m[1], loc
}

// walk answers steps in turn with "Nästa", from the step at loc, as long as steps has answers
// for the step it is on. It returns where it stopped: the review, or a step without answers.
func (b *esBrowser) walk(loc string, steps map[string]url.Values) string {
	b.t.Helper()
	for range 20 {
		m := stepPath.FindStringSubmatch(loc)
		if m == nil {
			return loc
		}
		answers, ok := steps[m[2]]
		if !ok {
			return loc
		}
		resp, body := b.step(loc, answers, "next")
		if resp.StatusCode != http.StatusSeeOther {
			b.t.Fatalf("step %s: status %d: %s", m[2], resp.StatusCode, errorText(body))
		}
		loc = resp.Header.Get("Location")
	}
	b.t.Fatalf("walk did not end: at %s", loc)
	return ""
}

// submit presses "Skicka in" and returns the case id from the receipt's address.
func (b *esBrowser) submit(draftID string, form url.Values) (caseID string) {
	b.t.Helper()
	resp, body := b.post("/utkast/"+draftID+"/skicka", form)
	m := receiptPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		b.t.Fatalf("submit: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	return m[1]
}

// receipt shows the case's receipt and returns its reference number.
func (b *esBrowser) receipt(caseID string) (reference, body string) {
	b.t.Helper()
	body = b.page("/arenden/" + caseID + "/kvitto")
	if !strings.Contains(body, "Ditt ärende är nu inskickat") {
		b.t.Errorf("the receipt does not say the case is submitted")
	}
	m := referenceRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no reference number on the receipt")
	}
	return m[1], body
}

// errorText is the part of a page that explains an error, for failure messages.
func errorText(body string) string {
	for _, marker := range []string{`class="error-summary"`, "<h1>"} {
		if i := strings.Index(body, marker); i >= 0 {
			s := body[i:]
			if end := strings.Index(s, "</main>"); end >= 0 {
				s = s[:end]
			}
			if len(s) > 1500 {
				s = s[:1500]
			}
			return s
		}
	}
	if len(body) > 500 {
		return body[:500]
	}
	return body
}

func assertContains(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func assertLacks(t testing.TB, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s has %q", what, w)
		}
	}
}

// assertNotFound checks that the response is the normal "Sidan finns inte" page.
func assertNotFound(t testing.TB, what string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("%s: status %d, want 404", what, resp.StatusCode)
		return
	}
	if !strings.Contains(body, "Sidan finns inte") {
		t.Errorf("%s: the 404 page is not the normal one: %s", what, errorText(body))
	}
}

// dbInt runs a query that returns one integer.
func dbInt(t testing.TB, p *webtest.Portal, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := p.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// caseAnswers returns a case's stored answers as raw JSON text and decoded.
func caseAnswers(t testing.TB, p *webtest.Portal, caseID string) (string, form.Answers) {
	t.Helper()
	var raw string
	if err := p.Pool.QueryRow(context.Background(), `SELECT answers::text FROM cases WHERE id = $1`, caseID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var a form.Answers
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		t.Fatal(err)
	}
	return raw, a
}

func accountIDOf(t testing.TB, p *webtest.Portal, personalNumber string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	err := p.Pool.QueryRow(context.Background(), `SELECT id FROM account WHERE personal_number = $1`,
		strings.ReplaceAll(personalNumber, "-", "")).Scan(&id)
	if err != nil {
		t.Fatalf("account %s: %v", personalNumber, err)
	}
	return id
}

// pngImage is a real, small PNG picture.
func pngImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{uint8(x * 30), uint8(y * 30), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfDocument is a minimal valid PDF document.
func pdfDocument(title string) []byte {
	return []byte("%PDF-1.4\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
		"4 0 obj << /Title (" + title + ") >> endobj\n" +
		"trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n")
}

// inDays is a date the given number of days from today, as a date input sends it.
func inDays(n int) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") }

// childNumber makes a valid personal identity number born on the date (YYYYMMDD) with the serial.
func childNumber(t testing.TB, date, serial string) string {
	t.Helper()
	d := personnummer.Luhn(date[2:] + serial)
	s := fmt.Sprintf("%s-%s%d", date, serial, d)
	if _, err := personnummer.Parse(s); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return s
}

// The answers of the demo e-services, step by step.

func streetLightingSteps() map[string]url.Values {
	return map[string]url.Values{
		"fault":    {"location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Lyktan vid busshållplatsen har varit släckt i en vecka."}},
		"feedback": {"wants_feedback": {"no"}},
	}
}

func buildingPermitSteps(measure string) map[string]url.Values {
	return map[string]url.Values{
		"property": {"property_designation": {"Sörhaga 1:23"}, "owner": {"yes"}},
		"applicant": {
			"applicant_contact.name": {"Karin Lindqvist"}, "applicant_contact.email": {"karin.lindqvist@example.se"},
			"applicant_contact.phone": {"070-123 45 67"}, "applicant_personal_number": {"19850412-9829"},
			"applicant_address.street": {"Kungsgatan 12"}, "applicant_address.postal_code": {"441 30"},
			"applicant_address.city": {"Alingsås"},
		},
		"measure": {
			"measure_type": {measure}, "planned_start": {inDays(60)},
			"description": {"Ett fristående garage i trä med sadeltak, röd fasad och svart tak."},
		},
		"size":       {"building_area": {"36"}, "gross_area": {"36"}, "height": {"4,5"}, "storeys": {"1"}},
		"demolition": {"hazardous_waste": {"no"}},
		"confirm":    {"correct": {"yes"}},
	}
}

func cultureSchoolSteps(child, guardian string) map[string]url.Values {
	return map[string]url.Values{
		"child": {"child_name": {"Elsa Bergström"}, "child_personal_number": {child}, "school_year": {"3"}},
		"courses": {
			"instruments": {"piano", "fiol"}, "played_before": {"no"}, "start_date": {inDays(30)},
		},
		"guardian": {
			"guardian_contact.name": {guardian}, "guardian_contact.email": {"vardnadshavare@example.se"},
			"terms": {"yes"},
		},
	}
}

// cards returns the catalogue's e-service cards by title.
func cards(body string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(body, `<li class="card">`)
	titleRE := regexp.MustCompile(`<h2><a href="[^"]*">([^<]+)</a></h2>`)
	for _, card := range parts[1:] {
		if end := strings.Index(card, "</li>"); end >= 0 {
			card = card[:end]
		}
		if m := titleRE.FindStringSubmatch(card); m != nil {
			out[m[1]] = card
		}
	}
	return out
}

func titles(cards map[string]string) []string {
	var out []string
	for k := range cards {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var (
	alingsasServices = []string{
		"Anmälan till kulturskola", "Ansökan om bygglov", "Ansökan om ekonomiskt bistånd", "Ansökan om grävtillstånd",
		"Ansökan om serveringstillstånd", "Ansökan om skolskjuts", "Begäran om allmän handling", "Boka grillplatsen vid Mjörnstranden",
		"Boka rådgivning om bygglov", "Felanmälan gatubelysning",
	}
	motalaServices = []string{
		"Anmälan om hemkompostering", "Ansökan om parkeringstillstånd för rörelsehindrade", "Ansökan om skolskjuts",
		"Boka Idrottshall Ekängen", "Felanmälan vatten och avlopp",
	}
)

func TestEServiceCatalogue(t *testing.T) {
	p := webtest.Start(t)
	b := newBrowser(t, p)

	t.Run("lists the municipality's published e-services with their login rules", func(t *testing.T) {
		body := b.page("/e-tjanster")
		got := cards(body)
		if !slices.Equal(titles(got), alingsasServices) {
			t.Fatalf("catalogue lists %q, want %q", titles(got), alingsasServices)
		}
		assertContains(t, "the catalogue", body, "10 e-tjänster")
		for title, label := range map[string]string{
			"Ansökan om bygglov":         "Kräver inloggning",
			"Anmälan till kulturskola":   "Kräver inloggning",
			"Ansökan om skolskjuts":      "Inloggning valfri",
			"Felanmälan gatubelysning":   "Ingen inloggning",
			"Begäran om allmän handling": "Ingen inloggning",
		} {
			assertContains(t, title+"'s card", got[title], `<span class="tag">`+label+`</span>`)
		}
	})

	t.Run("search finds what is about building permits only", func(t *testing.T) {
		got := titles(cards(b.page("/e-tjanster?q=bygglov")))
		if !slices.Equal(got, []string{"Ansökan om bygglov", "Boka rådgivning om bygglov"}) {
			t.Errorf("search for bygglov lists %q", got)
		}
	})

	t.Run("filters narrow the list", func(t *testing.T) {
		for query, want := range map[string][]string{
			"malgrupp=company":                  {"Ansökan om bygglov", "Ansökan om grävtillstånd", "Ansökan om serveringstillstånd", "Begäran om allmän handling", "Boka rådgivning om bygglov", "Felanmälan gatubelysning"},
			"kategori=building":                 {"Ansökan om bygglov", "Boka rådgivning om bygglov"},
			"malgrupp=company&kategori=traffic": {"Ansökan om grävtillstånd", "Felanmälan gatubelysning"},
			"malgrupp=private&kategori=school":  {"Ansökan om skolskjuts"},
			"malgrupp=hackers":                  alingsasServices, // an unknown value is no filter
		} {
			body := b.page("/e-tjanster?" + query)
			if got := titles(cards(body)); !slices.Equal(got, want) {
				t.Errorf("%s lists %q, want %q", query, got, want)
			}
		}
	})

	// An external e-service lives in another system: its card links straight out (since
	// 6da094c), and its own page, for those who reach it, links out too.
	t.Run("an external e-service links out", func(t *testing.T) {
		external := `href="https://www.alingsas.se/omsorg-och-hjalp/ekonomiskt-bistand/"`
		card := cards(b.page("/e-tjanster"))["Ansökan om ekonomiskt bistånd"]
		assertContains(t, "the external card", card, external, "Följ ditt ärende här", "I annat system", "Kräver inloggning")
		assertLacks(t, "the other cards", cards(b.page("/e-tjanster"))["Ansökan om bygglov"], "Följ ditt ärende här", "I annat system")
		body := b.page("/e-tjanster/ansokan-om-ekonomiskt-bistand")
		assertContains(t, "the external e-service's page", body, "Följ ditt ärende här", external, "Gå till e-tjänsten")
		assertLacks(t, "the external e-service's page", body, "/starta")
		resp, body := b.post("/e-tjanster/ansokan-om-ekonomiskt-bistand/starta", nil)
		assertNotFound(t, "starting an external e-service", resp, body)
	})

	t.Run("another municipality's host shows its own e-services", func(t *testing.T) {
		req, err := http.NewRequest("GET", p.URL+"/e-tjanster", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "motala.localhost"
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := webtest.ReadBody(t, resp)
		if got := titles(cards(body)); !slices.Equal(got, motalaServices) {
			t.Errorf("Motala's catalogue lists %q, want %q", got, motalaServices)
		}
		// Both have a school transport of their own; the rest are Alingsås's only.
		assertLacks(t, "Motala's catalogue", body, slices.DeleteFunc(slices.Clone(alingsasServices), func(s string) bool { return s == "Ansökan om skolskjuts" })...)

		// Alingsås's e-service is not found on Motala's host.
		req, _ = http.NewRequest("GET", p.URL+"/e-tjanster/ansokan-om-bygglov", nil)
		req.Host = "motala.localhost"
		if resp, err = b.c.Do(req); err != nil {
			t.Fatal(err)
		}
		assertNotFound(t, "Alingsås's e-service on Motala's host", resp, webtest.ReadBody(t, resp))
	})
}

func TestEServicePage(t *testing.T) {
	p := webtest.Start(t)
	privacy := []string{"Uppgifter vi samlar in", "Varför", "Rättslig grund", "Personuppgiftsansvarig", "Hur länge vi sparar uppgifterna"}

	t.Run("the privacy notice comes before the form", func(t *testing.T) {
		body := newBrowser(t, p).page("/e-tjanster/felanmalan-gatubelysning")
		form := strings.Index(body, `action="/e-tjanster/felanmalan-gatubelysning/starta"`)
		if form < 0 {
			t.Fatal("no start button")
		}
		assertContains(t, "the page", body, "Så behandlar vi dina personuppgifter", "Du behöver inte logga in",
			"Du kan välja att skicka in anonymt", "Samhällsbyggnadsnämnden i Alingsås kommun")
		for _, h := range privacy {
			i := strings.Index(body, "<dt>"+h+"</dt>")
			if i < 0 || i > form {
				t.Errorf("privacy heading %q at %d, the form at %d", h, i, form)
			}
		}
	})

	t.Run("a login-required e-service says so and sends a visitor to log in", func(t *testing.T) {
		b := newBrowser(t, p)
		body := b.page("/e-tjanster/ansokan-om-bygglov")
		assertContains(t, "the page", body,
			"Du behöver logga in med e-legitimation för att använda e-tjänsten.",
			"Har du samordningsnummer kan du inte logga in med e-legitimation.",
			`href="/login?return=%2Fe-tjanster%2Fansokan-om-bygglov"`, "Logga in och starta")
		login := strings.Index(body, "Logga in och starta")
		for _, h := range privacy {
			if i := strings.Index(body, "<dt>"+h+"</dt>"); i < 0 || i > login {
				t.Errorf("privacy heading %q at %d, the login button at %d", h, i, login)
			}
		}
		resp, _ := b.post("/e-tjanster/ansokan-om-bygglov/starta", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?return=%2Fe-tjanster%2Fansokan-om-bygglov" {
			t.Errorf("a visitor's start: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := dbInt(t, p, `SELECT count(*) FROM draft`); n != 0 {
			t.Errorf("%d drafts after a visitor's start of a login-required e-service", n)
		}

		// Logged in, the page starts the e-service.
		karin := loggedIn(t, p, "adult")
		body = karin.page("/e-tjanster/ansokan-om-bygglov")
		assertContains(t, "the page for a logged-in citizen", body, `action="/e-tjanster/ansokan-om-bygglov/starta"`)
		if _, loc := karin.start("ansokan-om-bygglov"); !strings.HasSuffix(loc, "/steg/property") {
			t.Errorf("start leads to %s", loc)
		}
	})

	t.Run("an unknown e-service is not found", func(t *testing.T) {
		resp, body := newBrowser(t, p).get("/e-tjanster/finns-inte")
		assertNotFound(t, "an unknown e-service", resp, body)
	})
}

func TestJourneyVisitorStreetLighting(t *testing.T) {
	p := webtest.Start(t)
	b := newBrowser(t, p)
	photo := pngImage(t)

	draftID, stepURL := b.start("felanmalan-gatubelysning")
	if !strings.HasSuffix(stepURL, "/steg/fault") {
		t.Fatalf("the first step is %s", stepURL)
	}
	feedbackURL := "/utkast/" + draftID + "/steg/feedback"

	t.Run("the first step", func(t *testing.T) {
		body := b.page(stepURL)
		assertContains(t, "the step", body, "Steg 1 av 2", "Gata eller plats", `enctype="multipart/form-data"`, `name="photos"`)
	})

	t.Run("empty required fields", func(t *testing.T) {
		resp, body := b.multipart(stepURL, url.Values{"action": {"next"}, "location": {""}, "description": {"Lyktan blinkar hela natten."}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		assertContains(t, "the step with errors", body, "Det finns fel i formuläret", `href="#location"`, `href="#fault_type"`,
			"Fyll i ett svar. Frågan är obligatorisk.", "Välj ett av alternativen.", "<title>Fel: ",
			">Lyktan blinkar hela natten.</textarea>")
		var description string
		p.Pool.QueryRow(t.Context(), `SELECT answers->'description'->>0 FROM draft WHERE id = $1`, draftID).Scan(&description)
		if description != "Lyktan blinkar hela natten." {
			t.Errorf("the draft keeps description %q", description)
		}
	})

	t.Run("the step with a photo", func(t *testing.T) {
		resp, body := b.multipart(stepURL, url.Values{
			"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Lyktan blinkar hela natten."},
		}, upload{"photos", "lykta.png", photo})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != feedbackURL {
			t.Fatalf("status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1 AND filename = 'lykta.png' AND content_type = 'image/png' AND size = $2`,
			draftID, len(photo)); n != 1 {
			t.Errorf("%d stored photos", n)
		}
		// Back on the step, the photo is listed.
		assertContains(t, "the step", b.page(stepURL), "lykta.png", `name="remove_file"`, `value="Kungsgatan 12"`)
	})

	t.Run("the contact block applies only when feedback is wanted", func(t *testing.T) {
		resp, body := b.step(feedbackURL, url.Values{"wants_feedback": {"yes"}}, "next")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("feedback without contact details: status %d", resp.StatusCode)
		}
		assertContains(t, "the step", body, `href="#contact.name"`, "Fyll i namn.")

		resp, body = b.step(feedbackURL, url.Values{"wants_feedback": {"no"}}, "next")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/utkast/"+draftID+"/granska" {
			t.Fatalf("no feedback: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
	})

	t.Run("the review lists every answer", func(t *testing.T) {
		body := b.page("/utkast/" + draftID + "/granska")
		assertContains(t, "the review", body, "Kontrollera dina svar", "Gata eller plats", "Kungsgatan 12", "En lykta är släckt",
			"Lyktan blinkar hela natten.", "lykta.png", "Vill du få återkoppling?", "Nej", `name="anonymous"`,
			`action="/utkast/`+draftID+`/skicka"`, `href="`+stepURL+`#location"`)
		assertLacks(t, "the review", body, "Dina kontaktuppgifter")
	})

	var caseID string
	t.Run("submit and receipt", func(t *testing.T) {
		caseID = b.submit(draftID, nil)
		ref, body := b.receipt(caseID)
		if !regexp.MustCompile(`^ALI-\d{4}-\d{6}$`).MatchString(ref) || !strings.HasPrefix(ref, fmt.Sprintf("ALI-%d-", time.Now().Year())) {
			t.Errorf("reference %q", ref)
		}
		assertContains(t, "the receipt", body, "Felanmälan gatubelysning", "Alingsås kommun", "Kungsgatan 12", "lykta.png",
			"Spara ärendenumret")
		var stored string
		p.Pool.QueryRow(t.Context(), `SELECT reference FROM cases WHERE id = $1`, caseID).Scan(&stored)
		if stored != ref {
			t.Errorf("the receipt shows %q, the case has %q", ref, stored)
		}
	})
	if caseID == "" {
		t.FailNow()
	}

	t.Run("the database", func(t *testing.T) {
		for _, check := range []struct {
			what, query string
			args        []any
			want        int
		}{
			{"cases", `SELECT count(*) FROM cases`, nil, 1},
			{"the draft's case", `SELECT count(*) FROM cases WHERE id = $1 AND source_draft_id = $2 AND account_id IS NULL AND NOT anonymous AND status = 'submitted'`, []any{caseID, draftID}, 1},
			{"files moved to the case", `SELECT count(*) FROM upload WHERE case_id = $1 AND draft_id IS NULL AND filename = 'lykta.png'`, []any{caseID}, 1},
			{"files", `SELECT count(*) FROM upload`, nil, 1},
			{"submitted events", `SELECT count(*) FROM case_event WHERE case_id = $1 AND kind = 'submitted'`, []any{caseID}, 1},
			{"notices (a visitor has no account)", `SELECT count(*) FROM notice`, nil, 0},
		} {
			if n := dbInt(t, p, check.query, check.args...); n != check.want {
				t.Errorf("%s: %d, want %d", check.what, n, check.want)
			}
		}
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1`, draftID); n != 0 {
			t.Errorf("the draft is still there")
		}
		_, answers := caseAnswers(t, p, caseID)
		var fileID string
		p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE case_id = $1`, caseID).Scan(&fileID)
		want := form.Answers{
			"location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Lyktan blinkar hela natten."},
			"photos": {fileID}, "wants_feedback": {"no"},
		}
		if fmt.Sprint(answers) != fmt.Sprint(want) {
			t.Errorf("case answers %v, want %v", answers, want)
		}
	})

	t.Run("the draft is gone", func(t *testing.T) {
		resp, body := b.get(stepURL)
		assertNotFound(t, "the submitted draft's step", resp, body)
	})
}

func TestJourneyLoggedInBuildingPermit(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	karinID := accountIDOf(t, p, "19850412-9829")
	draftID, loc := karin.start("ansokan-om-bygglov")
	stepURL := func(key string) string { return "/utkast/" + draftID + "/steg/" + key }

	demolition := buildingPermitSteps("rivning")
	newBuilding := buildingPermitSteps("nybyggnad")

	t.Run("demolition skips the size step", func(t *testing.T) {
		steps := map[string]url.Values{"property": demolition["property"], "applicant": demolition["applicant"], "measure": demolition["measure"]}
		if at := karin.walk(loc, steps); at != stepURL("demolition") {
			t.Fatalf("after the measure (rivning) the journey is at %s", at)
		}
		resp, body := karin.get(stepURL("size"))
		assertNotFound(t, "the hidden size step", resp, body)
		body = karin.page(stepURL("demolition"))
		assertContains(t, "the demolition step", body, "Steg 4 av 6", "farligt avfall")
		if at := karin.walk(stepURL("demolition"), demolition); at != stepURL("documents") {
			t.Fatalf("after the demolition step the journey is at %s", at)
		}
	})

	t.Run("a new building shows the size step", func(t *testing.T) {
		resp, body := karin.step(stepURL("measure"), newBuilding["measure"], "next")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL("size") {
			t.Fatalf("measure (nybyggnad): status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		resp, body = karin.get(stepURL("demolition"))
		assertNotFound(t, "the hidden demolition step", resp, body)
		assertContains(t, "the size step", karin.page(stepURL("size")), "Steg 4 av 6", "Byggnadsarea")
		if at := karin.walk(stepURL("size"), newBuilding); at != stepURL("documents") {
			t.Fatalf("after the size step the journey is at %s", at)
		}
	})

	t.Run("drawings are required", func(t *testing.T) {
		resp, body := karin.multipart(stepURL("documents"), url.Values{"action": {"next"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("no drawings: status %d", resp.StatusCode)
		}
		assertContains(t, "the step", body, `href="#drawings"`, "Bifoga minst en fil.")
	})

	t.Run("drawings as PDF", func(t *testing.T) {
		resp, body := karin.multipart(stepURL("documents"), url.Values{"action": {"next"}},
			upload{"drawings", "situationsplan.pdf", pdfDocument("Situationsplan")},
			upload{"drawings", "fasadritning.pdf", pdfDocument("Fasadritning")})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL("confirm") {
			t.Fatalf("documents: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		if at := karin.walk(stepURL("confirm"), newBuilding); at != "/utkast/"+draftID+"/granska" {
			t.Fatalf("after the confirmation the journey is at %s", at)
		}
	})

	t.Run("the review", func(t *testing.T) {
		body := karin.page("/utkast/" + draftID + "/granska")
		assertContains(t, "the review", body, "Sörhaga 1:23", "Nybyggnad", "Byggnadens storlek", "4,5",
			"situationsplan.pdf", "fasadritning.pdf", "19850412-9829", "Ja, intygat")
		assertLacks(t, "the review", body, "farligt avfall", `name="anonymous"`)
	})

	caseID := karin.submit(draftID, nil)
	ref, body := karin.receipt(caseID)
	if !regexp.MustCompile(`^ALI-\d{4}-\d{6}$`).MatchString(ref) {
		t.Errorf("reference %q", ref)
	}
	assertContains(t, "the receipt", body, "Ansökan om bygglov", "Du kan följa ärendet under Mina sidor", "situationsplan.pdf", `href="/mina-sidor"`)

	t.Run("the database", func(t *testing.T) {
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND account_id = $2 AND NOT anonymous`, caseID, karinID); n != 1 {
			t.Errorf("the case is not Karin's")
		}
		// Karin has chosen no channel: the submit records the notice as not sent, and queues no job.
		if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE kind = 'case_submitted' AND account_id = $1 AND case_id = $2
			AND sent_at IS NOT NULL AND channel = 'none' AND skipped_reason = 'no_channel'`, karinID, caseID); n != 1 {
			t.Errorf("%d case_submitted notices for Karin skipped for want of a channel", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM river_job WHERE kind = 'notify_deliver'
			AND (args ->> 'notice_id')::uuid IN (SELECT id FROM notice WHERE case_id = $1)`, caseID); n != 0 {
			t.Errorf("%d delivery jobs for the case's notices", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE case_id = $1 AND draft_id IS NULL AND content_type = 'application/pdf'`, caseID); n != 2 {
			t.Errorf("%d drawings with the case", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM draft`); n != 0 {
			t.Errorf("%d drafts left", n)
		}
		raw, answers := caseAnswers(t, p, caseID)
		if answers["measure_type"][0] != "nybyggnad" || answers["building_area"][0] != "36" || answers["height"][0] != "4.5" ||
			answers["applicant_personal_number"][0] != "198504129829" || len(answers["drawings"]) != 2 {
			t.Errorf("case answers %s", raw)
		}
		if _, ok := answers["hazardous_waste"]; ok {
			t.Errorf("the hidden demolition step's answer is in the case: %s", raw)
		}
	})
}

func TestDraftSaveAndResume(t *testing.T) {
	p := webtest.Start(t)

	t.Run("a citizen saves, resumes and deletes", func(t *testing.T) {
		karin := loggedIn(t, p, "adult")
		draftID, stepURL := karin.start("felanmalan-gatubelysning")
		feedbackURL := "/utkast/" + draftID + "/steg/feedback"
		resp, body := karin.multipart(stepURL, url.Values{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"blinkar"}},
			upload{"photos", "lykta.png", pngImage(t)})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != feedbackURL {
			t.Fatalf("status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		resp, _ = karin.step(feedbackURL, url.Values{"wants_feedback": {"yes"}, "contact.name": {"Karin Lindqvist"}}, "save")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != feedbackURL+"?sparat=1" {
			t.Fatalf("save: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		assertContains(t, "the saved step", karin.page(feedbackURL+"?sparat=1"), "Dina svar är sparade kl.", `value="Karin Lindqvist"`)

		mine := karin.page("/mina-sidor")
		assertContains(t, "Mina sidor", mine, "Sparade ansökningar", "Felanmälan gatubelysning", "Senast sparad", `href="`+feedbackURL+`"`,
			`action="/utkast/`+draftID+`/radera"`)

		// Another browser, after a new login, resumes where Karin was.
		other := newBrowser(t, p)
		resp = p.Login(t, other.c, "adult", feedbackURL)
		body = webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("resume: status %d", resp.StatusCode)
		}
		assertContains(t, "the resumed step", body, "Steg 2 av 2", "Återkoppling", `value="Karin Lindqvist"`)
		assertContains(t, "the first step", other.page(stepURL), `value="Kungsgatan 12"`, "lykta.png")

		resp, _ = other.post("/utkast/"+draftID+"/radera", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mina-sidor?raderat=1" {
			t.Fatalf("delete: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		assertContains(t, "Mina sidor", other.page("/mina-sidor?raderat=1"), "Ansökan är raderad.", "Du har inga sparade ansökningar.")
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1`, draftID); n != 0 {
			t.Error("the draft is still there")
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload`); n != 0 {
			t.Errorf("%d files left after the draft was deleted", n)
		}
		resp, body = karin.get(feedbackURL)
		assertNotFound(t, "the deleted draft", resp, body)
	})

	t.Run("a visitor must log in to save, and the login keeps the draft", func(t *testing.T) {
		b := newBrowser(t, p)
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		resp, _ := b.multipart(stepURL, url.Values{"action": {"save"}, "location": {"Stora torget"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL+"?sparat=inloggning" {
			t.Fatalf("save: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		body := b.page(stepURL + "?sparat=inloggning")
		assertContains(t, "the step", body, "för att spara och fortsätta senare behöver du logga in",
			`href="/login?return=`+url.QueryEscape(stepURL)+`"`, `value="Stora torget"`)
		assertLacks(t, "the step", body, "Dina svar är sparade")

		resp = p.Login(t, b.c, "adult", stepURL)
		body = webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("after the login the step answers %d", resp.StatusCode)
		}
		assertContains(t, "the step after the login", body, `value="Stora torget"`)
		assertContains(t, "Mina sidor", b.page("/mina-sidor"), "Felanmälan gatubelysning", `href="`+stepURL+`"`)
		karinID := accountIDOf(t, p, "19850412-9829")
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1 AND account_id = $2 AND session_key IS NULL`, draftID, karinID); n != 1 {
			t.Error("the visitor's draft was not claimed by the account")
		}
		// Saving now keeps it for the account.
		resp, _ = b.multipart(stepURL, url.Values{"action": {"save"}, "location": {"Stora torget"}})
		if resp.Header.Get("Location") != stepURL+"?sparat=1" {
			t.Errorf("save after login: location %q", resp.Header.Get("Location"))
		}
	})
}

func TestDraftPrivacy(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	draftID, stepURL := karin.start("felanmalan-gatubelysning")
	resp, body := karin.multipart(stepURL, url.Values{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"}},
		upload{"photos", "lykta.png", pngImage(t)})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, errorText(body))
	}
	var fileID string
	if err := p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE draft_id = $1`, draftID).Scan(&fileID); err != nil {
		t.Fatal(err)
	}
	var answersBefore string
	p.Pool.QueryRow(t.Context(), `SELECT answers::text FROM draft WHERE id = $1`, draftID).Scan(&answersBefore)

	visitorWithOwnDraft := newBrowser(t, p)
	visitorWithOwnDraft.start("felanmalan-gatubelysning")
	others := map[string]*esBrowser{
		"another citizen":               loggedIn(t, p, "guardian1"),
		"a visitor":                     newBrowser(t, p),
		"a visitor with a draft of own": visitorWithOwnDraft,
	}
	base := "/utkast/" + draftID
	tries := func(t *testing.T, b *esBrowser) {
		for _, try := range []struct {
			name string
			do   func() (*http.Response, string)
		}{
			{"GET step", func() (*http.Response, string) { return b.get(stepURL) }},
			{"GET review", func() (*http.Response, string) { return b.get(base + "/granska") }},
			{"GET file", func() (*http.Response, string) { return b.get(base + "/filer/" + fileID) }},
			{"POST step", func() (*http.Response, string) {
				return b.step(stepURL, url.Values{"location": {"Inbrott"}, "fault_type": {"annat"}}, "next")
			}},
			{"POST step with a file", func() (*http.Response, string) {
				return b.multipart(stepURL, url.Values{"action": {"save"}}, upload{"photos", "x.png", pngImage(t)})
			}},
			{"POST remove file", func() (*http.Response, string) {
				return b.step(stepURL, url.Values{"remove_file": {fileID}}, "save")
			}},
			{"POST submit", func() (*http.Response, string) { return b.post(base+"/skicka", nil) }},
			{"POST delete", func() (*http.Response, string) { return b.post(base+"/radera", nil) }},
		} {
			resp, body := try.do()
			assertNotFound(t, try.name, resp, body)
		}
	}
	for who, b := range others {
		t.Run(who+" cannot reach the draft", func(t *testing.T) {
			b.t = t
			tries(t, b)
		})
	}

	t.Run("the draft is untouched", func(t *testing.T) {
		var answers string
		p.Pool.QueryRow(t.Context(), `SELECT answers::text FROM draft WHERE id = $1`, draftID).Scan(&answers)
		if answers != answersBefore {
			t.Errorf("answers changed from %s to %s", answersBefore, answers)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 1 {
			t.Errorf("%d files on the draft", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM cases`); n != 0 {
			t.Errorf("%d cases", n)
		}
		// Its owner still reaches everything.
		karin.t = t
		karin.page(stepURL)
		karin.page(base + "/filer/" + fileID)
	})

	karin.t = t
	karin.walk("/utkast/"+draftID+"/steg/feedback", streetLightingSteps())
	caseID := karin.submit(draftID, nil)
	karin.receipt(caseID)
	for who, b := range others {
		t.Run(who+" cannot see the receipt", func(t *testing.T) {
			b.t = t
			resp, body := b.get("/arenden/" + caseID + "/kvitto")
			assertNotFound(t, "the receipt", resp, body)
			resp, body = b.post(base+"/skicka", nil)
			assertNotFound(t, "submitting the submitted draft", resp, body)
		})
	}
	t.Run("nonsense addresses", func(t *testing.T) {
		b := others["a visitor"]
		b.t = t
		for _, path := range []string{"/utkast/inte-ett-id/steg/fault", "/utkast/" + uuid.NewString() + "/granska", "/arenden/inte-ett-id/kvitto", "/arenden/" + uuid.NewString() + "/kvitto"} {
			resp, body := b.get(path)
			assertNotFound(t, path, resp, body)
		}
	})
}

// rawPost posts a form without a testing.T, for use in goroutines.
func rawPost(p *webtest.Portal, c *http.Client, path string, form url.Values) (int, string, error) {
	req, err := http.NewRequest("POST", p.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

func TestDoubleSubmit(t *testing.T) {
	p := webtest.Start(t)

	ready := func(t *testing.T, b *esBrowser) string {
		draftID, loc := b.start("felanmalan-gatubelysning")
		if at := b.walk(loc, streetLightingSteps()); !strings.HasSuffix(at, "/granska") {
			t.Fatalf("the journey ends at %s", at)
		}
		return draftID
	}

	t.Run("sequentially", func(t *testing.T) {
		b := newBrowser(t, p)
		draftID := ready(t, b)
		first := b.submit(draftID, nil)
		second := b.submit(draftID, nil)
		if first != second {
			t.Errorf("the second submit leads to case %s, the first to %s", second, first)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE source_draft_id = $1`, draftID); n != 1 {
			t.Errorf("%d cases", n)
		}
		b.receipt(second)
	})

	// Several posts of the same draft at once, as a double or triple click sends them: one case,
	// and every answer leads to its receipt, which stays reachable. A burst is repeated a few
	// times, since how the requests interleave varies.
	for _, who := range []string{"adult", ""} {
		name := "concurrently as a visitor"
		if who != "" {
			name = "concurrently as a citizen"
		}
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t, p)
			if who != "" {
				b = loggedIn(t, p, who)
			}
			for burst := range 8 {
				draftID := ready(t, b)
				statuses, locations := submitAtOnce(t, p, b.c, 8, "/utkast/"+draftID+"/skicka")
				if c := dbInt(t, p, `SELECT count(*) FROM cases WHERE source_draft_id = $1`, draftID); c != 1 {
					t.Errorf("burst %d: %d cases from one draft", burst, c)
				}
				var caseID string
				p.Pool.QueryRow(t.Context(), `SELECT id::text FROM cases WHERE source_draft_id = $1`, draftID).Scan(&caseID)
				for i := range statuses {
					if statuses[i] != http.StatusSeeOther || locations[i] != "/arenden/"+caseID+"/kvitto" {
						t.Errorf("burst %d, submit %d: status %d, location %q; want 303 to the receipt of %s", burst, i, statuses[i], locations[i], caseID)
					}
				}
				if resp, body := b.get("/arenden/" + caseID + "/kvitto"); resp.StatusCode != http.StatusOK {
					t.Errorf("burst %d: the receipt answers %d: %s", burst, resp.StatusCode, errorText(body))
				}
			}
		})
	}
}

// submitAtOnce posts n empty forms to path at the same moment with the client's cookies.
func submitAtOnce(t *testing.T, p *webtest.Portal, c *http.Client, n int, paths ...string) (statuses []int, locations []string) {
	t.Helper()
	statuses, locations = make([]int, n), make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-gate
			statuses[i], locations[i], errs[i] = rawPost(p, c, paths[i%len(paths)], url.Values{})
		})
	}
	close(gate)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return statuses, locations
}

// gatedBody is a request body that tells when the server starts reading it, and waits for
// release before it gives its bytes.
type gatedBody struct {
	r                *bytes.Reader
	started, release chan struct{}
	once             sync.Once
}

func (g *gatedBody) Read(b []byte) (int, error) {
	g.once.Do(func() {
		close(g.started)
		<-g.release
	})
	return g.r.Read(b)
}

// A visitor's receipt must stay reachable when another request of the same session (a second
// tab, a slow upload, a double click) was under way while the case was submitted. The session
// middleware writes back the whole session after every request (scs re-commits it for the idle
// timeout), so a request that loaded the session before the submit overwrites the receipt the
// submit remembered in it.
func TestSubmitKeepsVisitorReceiptDuringOtherRequest(t *testing.T) {
	p := webtest.Start(t)
	b := newBrowser(t, p)
	draftID, loc := b.start("felanmalan-gatubelysning")
	b.walk(loc, streetLightingSteps())

	// A slow post of a step in another tab: it has loaded the session and the draft when it starts
	// reading its body (the server then sends 100 Continue), and it ends after the submit.
	body, contentType := multipartBody(t, url.Values{"action": {"save"}, "wants_feedback": {"no"}}, nil)
	gate := &gatedBody{r: bytes.NewReader(body.Bytes()), started: make(chan struct{}), release: make(chan struct{})}
	req, err := http.NewRequest("POST", p.URL+"/utkast/"+draftID+"/steg/feedback", gate)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", p.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Expect", "100-continue")
	slow := &http.Client{
		Jar:           b.c.Jar,
		Transport:     &http.Transport{ExpectContinueTimeout: time.Minute},
		CheckRedirect: b.c.CheckRedirect,
	}
	done := make(chan int)
	go func() {
		resp, err := slow.Do(req)
		if err != nil {
			done <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	select {
	case <-gate.started:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not start reading the slow request")
	}

	caseID := b.submit(draftID, nil)
	if resp, _ := b.get("/arenden/" + caseID + "/kvitto"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the receipt right after the submit: status %d", resp.StatusCode)
	}
	close(gate.release)
	status := <-done
	t.Logf("the other request ended with %d", status)

	resp, page := b.get("/arenden/" + caseID + "/kvitto")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after the other request ended, the visitor's receipt answers %d (%s): the reference number is lost to the visitor",
			resp.StatusCode, errorText(page))
	}
	resp, page = b.post("/utkast/"+draftID+"/skicka", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/arenden/"+caseID+"/kvitto" {
		t.Errorf("submitting again: status %d, location %q (%s)", resp.StatusCode, resp.Header.Get("Location"), errorText(page))
	}
}

func TestOnceOnlySubmission(t *testing.T) {
	p := webtest.Start(t)
	const child = "20160514-9820"

	guardian1 := loggedIn(t, p, "guardian1")
	guardian2 := loggedIn(t, p, "guardian2")
	// Drafts for the child filled in before its first case exists reach the review (a draft
	// started after it is stopped at the child's step: TestOnceOnlyToldBeforeFillingIn); their
	// submit is refused. The number written without a hyphen is the same child.
	againID, loc := guardian1.start("anmalan-till-kulturskola")
	if at := guardian1.walk(loc, cultureSchoolSteps("201605149820", "Johan Bergström")); !strings.HasSuffix(at, "/granska") {
		t.Fatalf("the journey ends at %s", at)
	}
	otherID, loc := guardian2.start("anmalan-till-kulturskola")
	guardian2.walk(loc, cultureSchoolSteps(child, "Emma Bergström"))
	draftID, loc := guardian1.start("anmalan-till-kulturskola")
	guardian1.walk(loc, cultureSchoolSteps(child, "Johan Bergström"))
	firstCase := guardian1.submit(draftID, nil)
	firstRef, _ := guardian1.receipt(firstCase)

	t.Run("the same guardian again for the same child", func(t *testing.T) {
		guardian1.t = t
		draftID := againID
		resp, body := guardian1.post("/utkast/"+draftID+"/skicka", nil)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("status %d, want 409: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the answer", body, "samma svar på frågan ”Barnets personnummer”", "Se ditt ärende "+firstRef,
			`href="/arenden/`+firstCase+`"`, "Ansökan kunde inte skickas in")
		if n := dbInt(t, p, `SELECT count(*) FROM cases`); n != 1 {
			t.Errorf("%d cases", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1`, draftID); n != 1 {
			t.Error("the refused draft is gone")
		}
	})

	t.Run("the other guardian for the same child", func(t *testing.T) {
		guardian2.t = t
		resp, body := guardian2.post("/utkast/"+otherID+"/skicka", nil)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("status %d, want 409: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the answer", body, "samma svar på frågan ”Barnets personnummer”")
		assertLacks(t, "the answer", body, "Se ditt ärende", firstRef, firstCase)
		resp, body = guardian2.get("/arenden/" + firstCase + "/kvitto")
		assertNotFound(t, "the other guardian's receipt", resp, body)
	})

	t.Run("another child", func(t *testing.T) {
		guardian2.t = t
		draftID, loc := guardian2.start("anmalan-till-kulturskola")
		guardian2.walk(loc, cultureSchoolSteps(childNumber(t, "20150302", "238"), "Emma Bergström"))
		caseID := guardian2.submit(draftID, nil)
		ref, _ := guardian2.receipt(caseID)
		if ref == firstRef {
			t.Errorf("two cases with reference %s", ref)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM cases`); n != 2 {
			t.Errorf("%d cases", n)
		}
	})

	// Both guardians submit for the same new child at the same moment. The test holds the
	// municipality's reference counter so that both submissions have passed the once-only check
	// before either inserts its case: one must get the receipt and the other the once-only answer
	// (409), not a server error.
	t.Run("both guardians at the same moment", func(t *testing.T) {
		guardian1.t, guardian2.t = t, t
		newChild := childNumber(t, "20170811", "642")
		var drafts []string
		for _, g := range []*esBrowser{guardian1, guardian2} {
			draftID, loc := g.start("anmalan-till-kulturskola")
			if at := g.walk(loc, cultureSchoolSteps(newChild, "Vårdnadshavare")); !strings.HasSuffix(at, "/granska") {
				t.Fatalf("the journey ends at %s", at)
			}
			drafts = append(drafts, draftID)
		}
		ctx := t.Context()
		hold, err := p.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Rollback(context.WithoutCancel(ctx))
		if _, err := hold.Exec(ctx, `SELECT 1 FROM reference_counter r JOIN tenant t ON t.id = r.tenant_id WHERE t.slug = 'alingsas' FOR UPDATE OF r`); err != nil {
			t.Fatal(err)
		}
		type result struct{ status int }
		results := make(chan result, 2)
		for i, g := range []*esBrowser{guardian1, guardian2} {
			go func() {
				status, _, err := rawPost(p, g.c, "/utkast/"+drafts[i]+"/skicka", url.Values{})
				if err != nil {
					status = 0
				}
				results <- result{status}
			}()
		}
		waitForLockWaiters(t, p, 2)
		hold.Rollback(ctx)
		var statuses []int
		for range 2 {
			statuses = append(statuses, (<-results).status)
		}
		slices.Sort(statuses)
		if !slices.Equal(statuses, []int{http.StatusSeeOther, http.StatusConflict}) {
			t.Errorf("the two submissions answered %v, want [303 409]", statuses)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM cases`); n != 3 {
			t.Errorf("%d cases, want 3", n)
		}
	})
}

// waitForLockWaiters waits until n connections of the test's database wait for a lock.
func waitForLockWaiters(t *testing.T, p *webtest.Portal, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		waiting := dbInt(t, p, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections wait for a lock, want %d", waiting, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAnonymousSubmission(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	karinID := accountIDOf(t, p, "19850412-9829")
	personal := []string{"Karin", "Lindqvist", "karin.lindqvist@example.se", "+46701234567", "070-123 45 67", "0701234567",
		"Kungsgatan", "441 30", "19850412-9829", "198504129829"}

	// The street lighting report takes anonymous reports; its contact details are personal.
	for name, contact := range map[string]url.Values{
		"with e-mail": {"contact.name": {"Karin Lindqvist"}, "contact.email": {"karin.lindqvist@example.se"}, "contact.phone": {"070-123 45 67"}},
		"with phone":  {"contact.name": {"Karin Lindqvist"}, "contact.phone": {"0701234567"}},
	} {
		t.Run(name, func(t *testing.T) {
			karin.t = t
			draftID, loc := karin.start("felanmalan-gatubelysning")
			feedback := url.Values{"wants_feedback": {"yes"}}
			for k, v := range contact {
				feedback[k] = v
			}
			steps := map[string]url.Values{
				"fault":    {"location": {"Storgatan 3"}, "fault_type": {"slackt"}, "description": {"Lyktan vid busshållplatsen är släckt."}},
				"feedback": feedback,
			}
			if at := karin.walk(loc, steps); !strings.HasSuffix(at, "/granska") {
				t.Fatalf("the journey ends at %s", at)
			}
			review := karin.page("/utkast/" + draftID + "/granska")
			assertContains(t, "the review", review, `name="anonymous"`, "Skicka in anonymt")
			caseID := karin.submit(draftID, url.Values{"anonymous": {"yes"}})
			ref, body := karin.receipt(caseID)
			if !regexp.MustCompile(`^ALI-\d{4}-\d{6}$`).MatchString(ref) {
				t.Errorf("reference %q", ref)
			}
			assertContains(t, "the receipt", body, "Ärendet skickades in anonymt")
			if i := strings.Index(body, "Dina svar"); i >= 0 {
				assertLacks(t, "the receipt's answers", body[i:], personal...)
			} else {
				t.Error("the receipt has no answers")
			}

			if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND account_id IS NULL AND anonymous`, caseID); n != 1 {
				t.Error("the case is not anonymous")
			}
			raw, answers := caseAnswers(t, p, caseID)
			for _, s := range personal {
				if strings.Contains(raw, s) {
					t.Errorf("the anonymous case's answers hold %q: %s", s, raw)
				}
			}
			for k := range answers {
				if strings.HasPrefix(k, "contact") {
					t.Errorf("the anonymous case has the personal answer %s", k)
				}
			}
			if answers["fault_type"][0] != "slackt" || len(answers["description"]) != 1 {
				t.Errorf("the case lost answers that are not personal: %s", raw)
			}
			if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE case_id = $1`, caseID); n != 0 {
				t.Errorf("%d notices for an anonymous case", n)
			}
		})
	}

	t.Run("the anonymous cases are not Karin's", func(t *testing.T) {
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE account_id = $1`, karinID); n != 0 {
			t.Errorf("%d cases with Karin's account", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE anonymous`); n != 2 {
			t.Errorf("%d anonymous cases", n)
		}
		// Karin logging in again in another browser cannot see them.
		other := loggedIn(t, p, "adult")
		rows, _ := p.Pool.Query(t.Context(), `SELECT id::text FROM cases`)
		ids, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		for _, id := range ids {
			resp, body := other.get("/arenden/" + id + "/kvitto")
			assertNotFound(t, "an anonymous case's receipt in another session", resp, body)
		}
	})

	t.Run("refused where the e-service does not offer it", func(t *testing.T) {
		karin.t = t
		before := dbInt(t, p, `SELECT count(*) FROM cases`)
		draftID, loc := karin.start("anmalan-till-kulturskola")
		karin.walk(loc, cultureSchoolSteps(childNumber(t, "20140707", "456"), "Karin Lindqvist"))
		assertLacks(t, "the review", karin.page("/utkast/"+draftID+"/granska"), `name="anonymous"`)
		resp, body := karin.post("/utkast/"+draftID+"/skicka", url.Values{"anonymous": {"yes"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
		assertContains(t, "the answer", body, "E-tjänsten kan inte skickas in anonymt.")
		if n := dbInt(t, p, `SELECT count(*) FROM cases`); n != before {
			t.Errorf("%d cases after the refusal, %d before", n, before)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1`, draftID); n != 1 {
			t.Error("the refused draft is gone")
		}
		caseID := karin.submit(draftID, nil)
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND account_id = $2 AND NOT anonymous`, caseID, karinID); n != 1 {
			t.Error("the case submitted without anonymity is not Karin's")
		}
	})
}

func TestSubmitDropsHiddenAnswers(t *testing.T) {
	p := webtest.Start(t)
	b := newBrowser(t, p) // school transport needs no login
	draftID, loc := b.start("ansokan-om-skolskjuts")
	stepURL := func(key string) string { return "/utkast/" + draftID + "/steg/" + key }
	pupil := url.Values{
		"pupil_name": {"Elsa Bergström"}, "pupil_personal_number": {"20160514-9820"},
		"pupil_address.street": {"Drottninggatan 21"}, "pupil_address.postal_code": {"441 30"}, "pupil_address.city": {"Alingsås"},
		"school": {"annan"}, "other_school": {"Montessoriskolan Kastanjen"}, "grade": {"4_6"},
	}
	steps := map[string]url.Values{
		"pupil":  pupil,
		"reason": {"reason": {"vaxelvis_boende"}, "distance_km": {"4,5"}, "start_date": {inDays(14)}},
		"alternating": {
			"other_guardian_name": {"Anders Berg"}, "other_guardian_address.street": {"Ängsvägen 3"},
			"other_guardian_address.postal_code": {"441 40"}, "other_guardian_address.city": {"Alingsås"},
			"schedule": {"varannan_vecka"},
		},
		"guardian": {
			"guardian_name": {"Johan Bergström"}, "guardian_email": {"johan@example.se"},
			"guardian_phone": {"070-765 43 21"}, "both_guardians": {"yes"},
		},
	}
	if at := b.walk(loc, steps); at != "/utkast/"+draftID+"/granska" {
		t.Fatalf("the journey ends at %s", at)
	}
	assertContains(t, "the review", b.page("/utkast/"+draftID+"/granska"), "Montessoriskolan Kastanjen", "Anders Berg")

	// Another school: the browser without JavaScript still posts the other school's name.
	pupil.Set("school", "noltorpsskolan")
	if resp, body := b.step(stepURL("pupil"), pupil, "next"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pupil: status %d: %s", resp.StatusCode, errorText(body))
	}
	// A disability with a certificate, then distance after all: the certificate's field is hidden.
	resp, body := b.multipart(stepURL("reason"), url.Values{
		"action": {"next"}, "reason": {"funktionsnedsattning"}, "distance_km": {"4,5"}, "start_date": {inDays(14)},
		"disability_description": {"Elsa har en rörelsenedsättning och kan inte gå långt."},
	}, upload{"certificate", "intyg.pdf", pdfDocument("Läkarintyg")})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL("guardian") {
		t.Fatalf("reason: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	resp, body = b.multipart(stepURL("reason"), url.Values{
		"action": {"next"}, "reason": {"avstand"}, "distance_km": {"4,5"}, "start_date": {inDays(14)},
		"disability_description": {"Elsa har en rörelsenedsättning och kan inte gå långt."},
	})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL("guardian") {
		t.Fatalf("reason: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	review := b.page("/utkast/" + draftID + "/granska")
	assertLacks(t, "the review", review, "Montessoriskolan", "Anders Berg", "rörelsenedsättning", "intyg.pdf")
	assertContains(t, "the review", review, "Noltorpsskolan")

	caseID := b.submit(draftID, nil)
	_, receipt := b.receipt(caseID)
	assertLacks(t, "the receipt", receipt, "Montessoriskolan", "Anders Berg", "rörelsenedsättning", "intyg.pdf")

	t.Run("the case has no hidden answers", func(t *testing.T) {
		raw, answers := caseAnswers(t, p, caseID)
		for k := range answers {
			if k == "other_school" || k == "disability_description" || k == "certificate" || k == "schedule" ||
				strings.HasPrefix(k, "other_guardian") {
				t.Errorf("the case has the hidden answer %s: %s", k, raw)
			}
		}
		if answers["school"][0] != "noltorpsskolan" || answers["reason"][0] != "avstand" || answers["distance_km"][0] != "4.5" {
			t.Errorf("case answers %s", raw)
		}
	})

	// The certificate was uploaded for a field that the submitted answers hide: it must not go
	// with the case (it is health data the case does not show, and nobody asked for it).
	t.Run("the hidden field's file is not kept with the case", func(t *testing.T) {
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE case_id = $1`, caseID); n != 0 {
			t.Errorf("the case has %d files, want 0: the hidden certificate went with it", n)
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE filename = 'intyg.pdf'`); n != 0 {
			t.Errorf("the hidden certificate is still stored")
		}
	})
}

func TestFileUploads(t *testing.T) {
	p := webtest.Start(t)
	photo := pngImage(t)

	t.Run("a picture named .pdf is refused in a PDF field", func(t *testing.T) {
		karin := loggedIn(t, p, "adult")
		draftID, loc := karin.start("ansokan-om-bygglov")
		at := karin.walk(loc, buildingPermitSteps("rivning"))
		if at != "/utkast/"+draftID+"/steg/documents" {
			t.Fatalf("the journey is at %s", at)
		}
		resp, body := karin.multipart(at, url.Values{"action": {"next"}}, upload{"drawings", "ritning.pdf", photo})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		assertContains(t, "the step", body, "Filen har en filtyp som inte tas emot här", `href="#drawings"`)
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
			t.Errorf("%d files stored", n)
		}
		// A real PDF is taken, and its owner downloads it as a PDF.
		drawing := pdfDocument("Planritning")
		resp, body = karin.multipart(at, url.Values{"action": {"next"}}, upload{"drawings", "planritning.pdf", drawing})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a PDF: status %d: %s", resp.StatusCode, errorText(body))
		}
		var fileID string
		p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE draft_id = $1`, draftID).Scan(&fileID)
		resp, body = karin.get("/utkast/" + draftID + "/filer/" + fileID)
		if resp.StatusCode != http.StatusOK || body != string(drawing) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download: status %d, type %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	})

	b := newBrowser(t, p)
	fault := url.Values{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"}}

	t.Run("too many files", func(t *testing.T) {
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		var files []upload
		for i := range 4 {
			files = append(files, upload{"photos", fmt.Sprintf("lykta%d.png", i+1), photo})
		}
		resp, body := b.multipart(stepURL, fault, files...)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		assertContains(t, "the step", body, "Du har redan bifogat så många filer som går", `href="#photos"`)
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 3 {
			t.Errorf("%d files stored, want 3", n)
		}
		// At the limit, the page offers no more file input.
		body = b.page(stepURL)
		assertLacks(t, "the step at the limit", body, `type="file"`)
		resp, body = b.multipart(stepURL, fault, upload{"photos", "en-till.png", photo})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Du har redan bifogat så många filer som går") {
			t.Errorf("a fourth file later: status %d", resp.StatusCode)
		}
	})

	t.Run("a file over the size limit", func(t *testing.T) {
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		big := append(slices.Clone(photo), make([]byte, 10<<20)...) // a PNG over the field's 10 MB
		resp, body := b.multipart(stepURL, fault, upload{"photos", "stor.png", big})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		assertContains(t, "the step", body, "Filen är för stor")
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
			t.Errorf("%d files stored", n)
		}
	})

	t.Run("an empty file", func(t *testing.T) {
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		resp, body := b.multipart(stepURL, fault, upload{"photos", "tom.png", nil})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		assertContains(t, "the step", body, "Filen är tom")
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
			t.Errorf("%d files stored", n)
		}
	})

	// "Spara" with a file the field does not take: the page must not say the answers are saved
	// while the file was silently dropped; the user is told, as with "Nästa".
	t.Run("a refused file is reported when saving", func(t *testing.T) {
		karin := loggedIn(t, p, "adult")
		draftID, stepURL := karin.start("felanmalan-gatubelysning")
		resp, body := karin.multipart(stepURL, url.Values{"action": {"save"}, "location": {"Kungsgatan 12"}},
			upload{"photos", "lykta.pdf", pdfDocument("Inte en bild")})
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
			t.Errorf("%d files stored", n)
		}
		if resp.StatusCode == http.StatusSeeOther {
			body = karin.page(resp.Header.Get("Location"))
		}
		if !strings.Contains(body, "Filen har en filtyp som inte tas emot här") {
			t.Errorf("after Spara with a refused file: status %d, location %q, and no word of the refused file (the page says saved: %v)",
				resp.StatusCode, resp.Header.Get("Location"), strings.Contains(body, "Dina svar är sparade"))
		}
	})

	t.Run("download, then remove", func(t *testing.T) {
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		// The name says JPEG; the bytes say PNG, and the bytes decide.
		resp, body := b.multipart(stepURL, fault, upload{"photos", "foto.jpg", photo}, upload{"photos", "andra.png", photo})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", resp.StatusCode, errorText(body))
		}
		var fileID string
		p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE draft_id = $1 AND filename = 'foto.jpg'`, draftID).Scan(&fileID)
		fileURL := "/utkast/" + draftID + "/filer/" + fileID
		assertContains(t, "the step", b.page(stepURL), `href="`+fileURL+`"`, "foto.jpg", "andra.png")

		resp, body = b.get(fileURL)
		if resp.StatusCode != http.StatusOK || body != string(photo) {
			t.Fatalf("download: status %d, %d bytes", resp.StatusCode, len(body))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("content type %q, want the sniffed image/png", ct)
		}
		disposition, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disposition != "attachment" || params["filename"] != "foto.jpg" {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}

		resp, _ = b.multipart(stepURL, url.Values{"remove_file": {fileID}, "location": {"Kungsgatan 12"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != stepURL {
			t.Fatalf("remove: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := dbInt(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 1 {
			t.Errorf("%d files after removing one of two", n)
		}
		body = b.page(stepURL)
		assertLacks(t, "the step", body, "foto.jpg")
		assertContains(t, "the step", body, "andra.png")
		resp, body = b.get(fileURL)
		assertNotFound(t, "the removed file", resp, body)
		var photos string
		p.Pool.QueryRow(t.Context(), `SELECT answers->>'photos' FROM draft WHERE id = $1`, draftID).Scan(&photos)
		if strings.Contains(photos, fileID) || photos == "" {
			t.Errorf("the draft's photos answer is %s", photos)
		}
	})
}

func TestPublishedVersionNeverChanges(t *testing.T) {
	p := webtest.Start(t)
	ctx := t.Context()
	var eserviceID, oldVersion uuid.UUID
	var definition []byte
	err := p.Pool.QueryRow(ctx, `
		SELECT e.id, v.id, v.definition FROM eservice e
		JOIN tenant t ON t.id = e.tenant_id JOIN eservice_version v ON v.id = e.current_version_id
		WHERE t.slug = 'alingsas' AND e.slug = 'felanmalan-gatubelysning'`).Scan(&eserviceID, &oldVersion, &definition)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the database refuses to change a published version", func(t *testing.T) {
		if _, err := p.Pool.Exec(ctx, `UPDATE eservice_version SET definition = '{"steps": []}' WHERE id = $1`, oldVersion); err == nil ||
			!strings.Contains(err.Error(), "never changes") {
			t.Errorf("update of a published version: %v", err)
		}
		if _, err := p.Pool.Exec(ctx, `DELETE FROM eservice_version WHERE id = $1`, oldVersion); err == nil {
			t.Error("a published version was deleted")
		}
	})

	old := newBrowser(t, p)
	oldDraft, oldStep := old.start("felanmalan-gatubelysning")

	def, err := form.Parse(definition)
	if err != nil {
		t.Fatal(err)
	}
	def.Steps[0].Fields[0].Label = form.Text{"sv": "Var står lyktan?", "en": "Where is the light?"}
	var newVersion eservice.Version
	err = pgx.BeginFunc(ctx, p.Pool, func(tx pgx.Tx) error {
		v, err := eservice.Publish(ctx, tx, eserviceID, def, "test")
		newVersion = v
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if newVersion.Number != 2 {
		t.Errorf("the new version is number %d", newVersion.Number)
	}

	t.Run("a draft keeps the version it was started on", func(t *testing.T) {
		old.t = t
		body := old.page(oldStep)
		assertContains(t, "the old draft's step", body, "Gata eller plats")
		assertLacks(t, "the old draft's step", body, "Var står lyktan?")
		old.walk(oldStep, streetLightingSteps())
		caseID := old.submit(oldDraft, nil)
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND version_id = $2`, caseID, oldVersion); n != 1 {
			t.Error("the case is not on the draft's version")
		}
		if n := dbInt(t, p, `SELECT count(*) FROM case_event WHERE case_id = $1 AND data->>'version' = '1'`, caseID); n != 1 {
			t.Error("the submitted event does not name version 1")
		}
		_, receipt := old.receipt(caseID)
		assertContains(t, "the receipt", receipt, "Gata eller plats")
	})

	t.Run("a new draft starts on the new version", func(t *testing.T) {
		b := newBrowser(t, p)
		draftID, stepURL := b.start("felanmalan-gatubelysning")
		body := b.page(stepURL)
		assertContains(t, "the new draft's step", body, "Var står lyktan?")
		assertLacks(t, "the new draft's step", body, "Gata eller plats")
		b.walk(stepURL, streetLightingSteps())
		caseID := b.submit(draftID, nil)
		if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND version_id = $2`, caseID, newVersion.ID); n != 1 {
			t.Error("the case is not on the new version")
		}
	})

	t.Run("both versions are unchanged", func(t *testing.T) {
		var after []byte
		p.Pool.QueryRow(ctx, `SELECT definition FROM eservice_version WHERE id = $1`, oldVersion).Scan(&after)
		if !bytes.Equal(after, definition) {
			t.Error("the old version's definition changed")
		}
	})
}

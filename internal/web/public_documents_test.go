package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Requests for public documents over HTTP: a visitor asks without a name, a registrar finds the
// case, masks, previews and releases, and the visitor gets the redacted PDF through the secret
// link; the rules of each step, each as the server answers them.

var pdKeyRE = regexp.MustCompile(`^/allmanna-handlingar/svar\?nyckel=([^&]+)&klart=sent$`)

// pdAsk sends a request for public documents with the browser and returns where it went.
func pdAsk(b *esBrowser, form url.Values) string {
	b.t.Helper()
	resp, body := b.post("/allmanna-handlingar", form)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("the request: status %d: %s", resp.StatusCode, errorText(body))
	}
	return resp.Header.Get("Location")
}

// pdText reads the text layer of a PDF.
func pdText(t testing.TB, b []byte) string {
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

// pdRequestID is the request with the reference.
func pdRequestID(t testing.TB, p *webtest.Portal, key string) string {
	t.Helper()
	var id string
	if err := p.Pool.QueryRow(context.Background(), `SELECT id::text FROM disclosure_request WHERE link_hash = sha256(convert_to($1, 'UTF8'))`, key).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPublicDocumentRequest(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	photo := pngImage(t)
	caseID := csSubmitStreetLighting(karin, photo, url.Values{})
	var reference, fileID string
	if err := p.Pool.QueryRow(t.Context(), `SELECT c.reference, u.id::text FROM cases c JOIN upload u ON u.case_id = c.id WHERE c.id = $1`, caseID).
		Scan(&reference, &fileID); err != nil {
		t.Fatal(err)
	}

	visitor := newBrowser(t, p)
	var key, requestID string
	t.Run("anyone asks, without a name", func(t *testing.T) {
		visitor.t = t
		form := visitor.page("/allmanna-handlingar")
		assertContains(t, "the form", form, `name="references"`, `name="subject"`, `value="link"`, `value="email"`, `value="post"`, "inte tala om vem du är")
		assertLacks(t, "the form of a visitor", form, `value="mypages"`, `name="name"`, "personnummer")
		// The catalogue's e-service leads here.
		resp, _ := visitor.get("/e-tjanster/begaran-om-allman-handling")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/allmanna-handlingar" {
			t.Errorf("the demo e-service: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		assertContains(t, "the catalogue card", cards(visitor.page("/e-tjanster"))["Begäran om allmän handling"], `href="/allmanna-handlingar"`)
		assertLacks(t, "the catalogue card", cards(visitor.page("/e-tjanster"))["Begäran om allmän handling"], "I annat system")

		// Nothing asked, a bad number, no way of delivery: refused, every answer kept.
		resp, body := visitor.post("/allmanna-handlingar", url.Values{"references": {"ALI-2026"}, "subject": {"Protokollet från mars"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a bad request: status %d", resp.StatusCode)
		}
		assertContains(t, "the refused form", body, `class="error-summary"`, `href="#references"`, `href="#delivery"`,
			"Skriv ärendenummer som ALI-2026-000042", "Välj hur du vill få handlingarna.", `value="ALI-2026"`, "Protokollet från mars")
		resp, body = visitor.post("/allmanna-handlingar", url.Values{"delivery": {"mypages"}, "subject": {"x"}})
		assertContains(t, "Mina sidor for a visitor", body, "Logga in för att få handlingarna på Mina sidor")
		if n := dbInt(t, p, `SELECT count(*) FROM disclosure_request`); n != 0 || resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%d requests after refusals (status %d)", n, resp.StatusCode)
		}

		loc := pdAsk(visitor, url.Values{"references": {strings.ToLower(reference)}, "delivery": {"link"}})
		m := pdKeyRE.FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("the request went to %q", loc)
		}
		key, _ = url.QueryUnescape(m[1])
		requestID = pdRequestID(t, p, key)
		page := visitor.page(loc)
		assertContains(t, "the requester's page", page, "Din begäran är skickad", "Spara länken", "nyckel="+url.QueryEscape(key), reference, "Under prövning")
		if n := dbInt(t, p, `SELECT count(*) FROM disclosure_request WHERE id = $1 AND account_id IS NULL AND email IS NULL AND postal_address IS NULL`, requestID); n != 1 {
			t.Error("the request holds more than what was asked")
		}
		// Without the key, or with another, there is nothing.
		for _, path := range []string{"/allmanna-handlingar/svar", "/allmanna-handlingar/svar?nyckel=x" + key, "/allmanna-handlingar/svar/handlingar.pdf?nyckel=" + key} {
			resp, body := newBrowser(t, p).get(path)
			assertNotFound(t, path, resp, body)
		}
	})

	ruth := staffBrowser(t, p, "registrar-alingsas")
	base := "/personal/registratur/" + requestID
	t.Run("the registrar finds, links and reviews the case", func(t *testing.T) {
		ruth.t = t
		queue := ruth.page("/personal/registratur")
		assertContains(t, "the queue", queue, base, "Väntat", "1 minut", "Hämta dem via en hemlig länk")
		page := ruth.page(base)
		assertContains(t, "the request", page, reference, `value="`+reference+`"`, "Inga ärenden är kopplade")
		searches := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE what = 'search' AND role = 'registrar'`)
		found := ruth.page(base + "?sok=1&referens=" + reference)
		assertContains(t, "the search", found, "Felanmälan gatubelysning", "Koppla till begäran")
		if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE what = 'search' AND role = 'registrar'`); n != searches+1 {
			t.Errorf("the search was recorded %d times", n-searches)
		}
		if resp, body := ruth.post(base+"/koppla", url.Values{"arende": {caseID}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("link: %d: %s", resp.StatusCode, errorText(body))
		}
		doc := base + "/handlingar/" + caseID
		reads := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND role = 'registrar' AND what = 'case'`, caseID)
		review := ruth.page(doc)
		assertContains(t, "the review", review, "Kungsgatan 12", "lykta.png", `name="beslut-answer:location"`, "OSL 21:3")
		if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND role = 'registrar' AND what = 'case'`, caseID); n != reads+1 {
			t.Errorf("the review was recorded %d times", n-reads)
		}
		// A masking needs a ground: refused, the choices kept.
		resp, body := ruth.post(doc, url.Values{"beslut-answer:location": {"mask"}, "grund-answer:location": {""}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a masking without a ground: %d", resp.StatusCode)
		}
		assertContains(t, "the refused review", body, "Välj en sekretessgrund.", `href="#grund-answer-location"`,
			`id="beslut-answer-location-mask" name="beslut-answer:location" value="mask" checked`)
		resp, body = ruth.post(doc, url.Values{"beslut-answer:location": {"mask"}, "grund-answer:location": {"OSL 21:3"},
			"beslut-file:" + fileID: {"release"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the decisions: %d: %s", resp.StatusCode, errorText(body))
		}
		preview, err := pdGet(ruth, base+"/forhandsgranska.pdf")
		if err != nil {
			t.Fatal(err)
		}
		text := pdText(t, preview)
		assertContains(t, "the preview", text, "FÖRHANDSGRANSKNING", "Maskerat enligt OSL 21:3")
		assertLacks(t, "the preview", text, "Kungsgatan 12")
		// The visitor has nothing yet.
		resp, body = visitor.get("/allmanna-handlingar/svar/handlingar.pdf?nyckel=" + url.QueryEscape(key))
		assertNotFound(t, "the answer before the decision", resp, body)
	})

	t.Run("the registrar releases, the visitor gets the redacted PDF", func(t *testing.T) {
		ruth.t, visitor.t = t, t
		resp, body := ruth.post(base+"/besluta", url.Values{"motivering": {"Platsen kan röja var anmälaren bor."}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "klart=released") {
			t.Fatalf("decide: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		assertContains(t, "the answered request", ruth.page(base+"?klart=released"), "svaret är utlämnat", "Maskerade uppgiften location")
		assertLacks(t, "the open queue", ruth.page("/personal/registratur"), base)
		assertContains(t, "the answered queue", ruth.page("/personal/registratur?flik=decided"), base)

		q := "?nyckel=" + url.QueryEscape(key)
		page := visitor.page("/allmanna-handlingar/svar" + q)
		assertContains(t, "the answered page", page, "Besvarad", "vissa uppgifter är maskerade", "lykta.png")
		b, err := pdGet(visitor, "/allmanna-handlingar/svar/handlingar.pdf"+q)
		if err != nil {
			t.Fatal(err)
		}
		text := pdText(t, b)
		assertContains(t, "the released PDF", text, reference, "Lyktan vid busshållplatsen", "Maskerat enligt OSL 21:3", "kammarrätten",
			"Platsen kan röja var anmälaren bor.")
		assertLacks(t, "the released PDF", text, "Kungsgatan 12", "FÖRHANDSGRANSKNING")
		file, err := pdGet(visitor, "/allmanna-handlingar/svar/filer/"+fileID+q)
		if err != nil || !bytes.Equal(file, photo) {
			t.Errorf("the released photo: %d bytes, %v", len(file), err)
		}
		// A decided request changes no more.
		if resp, _ := ruth.post(base+"/koppla", url.Values{"arende": {caseID}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("linking to an answered request: %d", resp.StatusCode)
		}
	})

	t.Run("a logged-in requester follows the request on Mina sidor and is told", func(t *testing.T) {
		karin.t = t
		form := karin.page("/allmanna-handlingar")
		assertContains(t, "the form of a citizen", form, `value="mypages"`)
		loc := pdAsk(karin, url.Values{"subject": {"Felanmälningar om gatubelysning i mars"}, "eservice": {pdEService(t, p, "felanmalan-gatubelysning")},
			"from": {"2026-03-01"}, "to": {"2026-03-31"}, "delivery": {"mypages"}})
		if !strings.HasPrefix(loc, "/mina-sidor/allmanna-handlingar/") {
			t.Fatalf("the request went to %q", loc)
		}
		assertContains(t, "the citizen's request", karin.page(loc), "Under prövning", "Felanmälningar om gatubelysning i mars", "2026-03-01 – 2026-03-31")
		assertContains(t, "the list", karin.page("/mina-sidor/allmanna-handlingar"), "Under prövning")
		assertContains(t, "Mina sidor", karin.page("/mina-sidor"), `href="/mina-sidor/allmanna-handlingar"`)
		id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/mina-sidor/allmanna-handlingar/")
		// Another citizen, and the registrar, see nothing of who asked.
		resp, body := loggedIn(t, p, "guardian1").get("/mina-sidor/allmanna-handlingar/" + id)
		assertNotFound(t, "another citizen", resp, body)
		assertLacks(t, "the registrar's page", ruth.page("/personal/registratur/"+id), "Karin", "Lindqvist", "19850412")

		if resp, body := ruth.post("/personal/registratur/"+id+"/besluta", url.Values{"avsla": {"yes"}, "avslag-grund": {"OSL 26:1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("refuse: %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the refused request", karin.page(loc), "Besvarad", "Begäran avslås")
		if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE request_id = $1 AND kind = 'request_answered' AND account_id IS NOT NULL`, id); n != 1 {
			t.Errorf("%d notices to the requester", n)
		}
		b, err := pdGet(karin, "/mina-sidor/allmanna-handlingar/"+id+"/handlingar.pdf")
		if err != nil {
			t.Fatal(err)
		}
		assertContains(t, "the refusal", pdText(t, b), "Beslut om allmänna handlingar", "avslår begäran", "OSL 26:1", "Så överklagar du")
	})

	t.Run("by e-mail, the answer is attached", func(t *testing.T) {
		visitor.t = t
		loc := pdAsk(visitor, url.Values{"references": {reference}, "delivery": {"email"}, "email": {"anonym@example.se"}})
		m := pdKeyRE.FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("went to %q", loc)
		}
		k, _ := url.QueryUnescape(m[1])
		id := pdRequestID(t, p, k)
		ruth.post("/personal/registratur/"+id+"/koppla", url.Values{"arende": {caseID}})
		if resp, body := ruth.post("/personal/registratur/"+id+"/besluta", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("decide: %d: %s", resp.StatusCode, errorText(body))
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var body string
			err := p.Pool.QueryRow(t.Context(), `SELECT subject || E'\n' || body FROM dev_mailbox WHERE recipient = 'anonym@example.se'`).Scan(&body)
			if err == nil {
				assertContains(t, "the e-mail", body, "Din begäran", "är besvarad", "bifogade filerna", "begaran-ALI-", ".pdf", "lykta.png")
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no e-mail: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// pdGet downloads a file that must be there.
func pdGet(b *esBrowser, path string) ([]byte, error) {
	b.t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d: %s", path, resp.StatusCode, errorText(body))
	}
	return []byte(body), nil
}

func pdEService(t testing.TB, p *webtest.Portal, slug string) string {
	t.Helper()
	var id string
	if err := p.Pool.QueryRow(context.Background(), `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The second registrar: when the municipality wants one, a decision waits for another
// registrar, and the one who made it cannot approve it.
func TestPublicDocumentApproval(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	settings := maria.page("/personal/admin/allmanna-handlingar")
	assertContains(t, "the settings", settings, "OSL 21:3 Skyddad identitet och adress", "Inga begäranden ännu.")
	resp, body := maria.post("/personal/admin/allmanna-handlingar", url.Values{"second_registrar": {"yes"}, "grounds": {"OSL 26:1 Socialtjänst\nsekretess"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Skriv en sekretessgrund per rad") || !strings.Contains(body, "sekretess</textarea>") {
		t.Fatalf("bad grounds: %d: %s", resp.StatusCode, errorText(body))
	}
	resp, body = maria.post("/personal/admin/allmanna-handlingar", url.Values{"second_registrar": {"yes"},
		"grounds": {"OSL 21:3 Skyddad identitet\nOSL 26:1 Socialtjänst\nOSL 23:2 Skolan"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d: %s", resp.StatusCode, errorText(body))
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'disclosure_settings_changed'`); n != 1 {
		t.Errorf("%d changes recorded", n)
	}

	visitor := newBrowser(t, p)
	m := pdKeyRE.FindStringSubmatch(pdAsk(visitor, url.Values{"subject": {"Protokoll"}, "delivery": {"link"}}))
	key, _ := url.QueryUnescape(m[1])
	id := pdRequestID(t, p, key)
	base := "/personal/registratur/" + id

	ruth := staffBrowser(t, p, "registrar-alingsas")
	assertContains(t, "the request", ruth.page(base), "Fatta beslut och skicka för godkännande", "OSL 23:2 (Skolan)")
	// Nothing linked and no refusal: refused with a reason.
	resp, body = ruth.post(base+"/besluta", url.Values{"motivering": {"Inget"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Koppla minst ett ärende") || !strings.Contains(body, "Inget</textarea>") {
		t.Fatalf("a decision on nothing: %d: %s", resp.StatusCode, errorText(body))
	}
	resp, _ = ruth.post(base+"/besluta", url.Values{"avsla": {"yes"}, "avslag-grund": {"OSL 26:1"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "klart=proposed") {
		t.Fatalf("propose: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := ruth.page(base)
	assertContains(t, "the proposal", page, "Väntar på godkännande", "En annan registrator än du måste godkänna")
	assertLacks(t, "the proposal to its maker", page, "/godkann")
	if resp, body := ruth.post(base+"/godkann", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "En annan registrator än den som fattade beslutet") {
		t.Errorf("approved by its maker: %d", resp.StatusCode)
	}
	q := "?nyckel=" + url.QueryEscape(key)
	assertContains(t, "the requester's page", visitor.page("/allmanna-handlingar/svar"+q), "Under prövning")
	resp, body = visitor.get("/allmanna-handlingar/svar/handlingar.pdf" + q)
	assertNotFound(t, "a proposal", resp, body)

	rolf := staffBrowser(t, p, "registrar2-alingsas")
	if _, err := pdGet(rolf, base+"/svar.pdf"); err != nil {
		t.Fatal(err)
	}
	if resp, body := rolf.post(base+"/godkann", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d: %s", resp.StatusCode, errorText(body))
	}
	assertContains(t, "the approved request", visitor.page("/allmanna-handlingar/svar"+q), "Besvarad", "Begäran avslås")
	log := maria.page("/personal/admin/allmanna-handlingar")
	assertContains(t, "the municipality's log", log, "Begäran kom in", "Fattade beslut: Begäran avslås", "Skickade beslutet för godkännande",
		"Godkände beslutet", "Lämnade ut svaret", "Ruth Registrator", "Rolf Registrator")
	if resp, _ := ruth.get("/personal/admin/allmanna-handlingar"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a registrar at the admin's log: %d", resp.StatusCode)
	}
}

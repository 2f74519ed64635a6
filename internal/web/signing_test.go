package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A citizen on a municipality's host, for the signing journeys (Motala's school transport needs
// both guardians' signatures).
type hostBrowser struct {
	t    *testing.T
	p    *webtest.Portal
	c    *http.Client
	host string                    // e.g. http://motala.localhost:PORT
	read map[*http.Response]string // the bodies get and post read
}

func motalaCitizen(t *testing.T, p *webtest.Portal, personKey string) *hostBrowser {
	t.Helper()
	b := &hostBrowser{t: t, p: p, c: p.Client(t), host: p.HostURL("motala.localhost")}
	resp := p.LoginAt(t, b.c, b.host, "", personKey, "/mina-sidor")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: status %d", personKey, resp.StatusCode)
	}
	webtest.ReadBody(t, resp)
	return b
}

func (b *hostBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp := b.p.Do(b.t, b.c, "GET", b.abs(path), nil)
	return resp, b.body(resp)
}

// body reads the response's body once, and returns what was read after that.
func (b *hostBrowser) body(resp *http.Response) string {
	b.t.Helper()
	if body, ok := b.read[resp]; ok {
		return body
	}
	if b.read == nil {
		b.read = map[*http.Response]string{}
	}
	b.read[resp] = webtest.ReadBody(b.t, resp)
	return b.read[resp]
}

func (b *hostBrowser) page(path string) string {
	b.t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, errorText(body))
	}
	return body
}

func (b *hostBrowser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	resp := b.p.Do(b.t, b.c, "POST", b.abs(path), form)
	return resp, b.body(resp)
}

func (b *hostBrowser) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.host + path
}

// answersOfSchoolTransport are Motala's school transport for Elsa, step by step.
func answersOfSchoolTransport() map[string]url.Values {
	return map[string]url.Values{
		"pupil": {"pupil_name": {"Elsa Bergström"}, "pupil_personal_number": {"20160514-9820"},
			"pupil_address.street": {"Drottninggatan 21"}, "pupil_address.postal_code": {"591 35"}, "pupil_address.city": {"Motala"},
			"school": {"bergaskolan"}, "grade": {"1_3"}},
		"reason":   {"reason": {"avstand"}, "distance_km": {"4,2"}, "start_date": {time.Now().AddDate(0, 1, 0).Format("2006-01-02")}},
		"guardian": {"guardian_name": {"Johan Bergström"}, "guardian_email": {"johan@example.se"}, "guardian_phone": {"070-123 45 67"}},
	}
}

var hostStepPath = regexp.MustCompile(`/utkast/([0-9a-f-]{36})/steg/([a-z_]+)$`)

// startSchoolTransport starts Motala's school transport and answers every step; it returns the
// draft's id.
func (b *hostBrowser) startSchoolTransport() string {
	b.t.Helper()
	resp, body := b.post("/e-tjanster/ansokan-om-skolskjuts/starta", nil)
	loc := resp.Header.Get("Location")
	m := hostStepPath.FindStringSubmatch(loc)
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		b.t.Fatalf("start: status %d, location %q: %s", resp.StatusCode, loc, errorText(body))
	}
	steps := answersOfSchoolTransport()
	for range 10 {
		m := hostStepPath.FindStringSubmatch(loc)
		if m == nil {
			break
		}
		form := url.Values{"action": {"next"}}
		for k, v := range steps[m[2]] {
			form[k] = v
		}
		resp, body := b.post(loc, form)
		if resp.StatusCode != http.StatusSeeOther {
			b.t.Fatalf("step %s: status %d: %s", m[2], resp.StatusCode, errorText(body))
		}
		loc = resp.Header.Get("Location")
	}
	if !strings.HasSuffix(loc, "/granska") {
		b.t.Fatalf("the steps ended at %s, not the review", loc)
	}
	return m[1]
}

// atIdP follows a signature's start (a redirect to the installation's host, then to the IdP),
// checks that the IdP shows the sign message, answers as personKey with opts, posts the answer to
// the assertion consumer, and returns its response (not followed) and the sign message shown.
func (b *hostBrowser) atIdP(resp *http.Response, personKey string, opts *devidp.Options) (*http.Response, string) {
	b.t.Helper()
	idpURL := b.toIdP(resp)
	picker := b.p.Do(b.t, b.c, "GET", idpURL, nil)
	page := webtest.ReadBody(b.t, picker)
	if picker.StatusCode != http.StatusOK || !strings.Contains(page, "Tjänsten ber dig signera följande text") {
		b.t.Fatalf("the IdP shows no sign message (status %d): %s", picker.StatusCode, errorText(page))
	}
	msg := regexp.MustCompile(`<blockquote><p>([^<]*)</p></blockquote>`).FindStringSubmatch(page)
	if msg == nil {
		b.t.Fatalf("no sign message on the IdP's page")
	}
	var form url.Values
	if opts != nil {
		u, _ := url.Parse(idpURL)
		q := u.Query()
		req, err := b.p.DevIdP.Parse(httptestRequest(idpURL), q.Get("SAMLRequest"), q.Get("RelayState"))
		if err != nil {
			b.t.Fatal(err)
		}
		form = b.p.Answer(b.t, req, personKey, *opts)
	} else {
		f := webtest.HiddenInputs(page)
		f.Set("person", personKey)
		u, _ := url.Parse(idpURL)
		answer := b.p.Do(b.t, b.c, "POST", u.Scheme+"://"+u.Host+"/idp/sso", f)
		form = webtest.HiddenInputs(webtest.ReadBody(b.t, answer))
	}
	return b.p.Do(b.t, b.c, "POST", b.p.URL+"/saml/acs", form), htmlUnescape(msg[1])
}

// toIdP follows a signature's start to the IdP and returns the IdP's address: through a page
// that goes on by itself (a post is never redirected to another site), and the installation's
// host's redirects.
func (b *hostBrowser) toIdP(resp *http.Response) string {
	b.t.Helper()
	for i := 0; ; i++ {
		body := b.body(resp)
		next := resp.Header.Get("Location")
		if resp.StatusCode == http.StatusOK {
			next = webtest.HandoverLink(body)
		}
		if strings.Contains(next, "/idp/sso") {
			return next
		}
		if i == 3 || next == "" {
			b.t.Fatalf("no way to the IdP (status %d): %s", resp.StatusCode, errorText(body))
		}
		resp = b.p.Do(b.t, b.c, "GET", next, nil)
	}
}

// signedTo follows the assertion consumer's way back to the signer's host (a redirect, or a page
// that goes on by itself to another host) and returns the page it ends on.
func (b *hostBrowser) signedTo(acs *http.Response) (*http.Response, string) {
	b.t.Helper()
	body := b.body(acs)
	loc := acs.Header.Get("Location")
	if acs.StatusCode == http.StatusOK {
		loc = webtest.HandoverLink(body)
	}
	if loc == "" {
		b.t.Fatalf("assertion consumer: status %d: %s", acs.StatusCode, errorText(body))
	}
	if !strings.HasPrefix(loc, b.host) {
		b.t.Fatalf("after signing: back to %s, want %s", loc, b.host)
	}
	resp := b.p.Do(b.t, b.c, "GET", loc, nil)
	return resp, webtest.ReadBody(b.t, resp)
}

var signerLink = regexp.MustCompile(`href="(/signera/[0-9a-f-]{36})"`)

// partyLink is the link to the draft to sign on the person's Mina sidor.
func (b *hostBrowser) partyLink() string {
	b.t.Helper()
	body := b.page("/mina-sidor")
	m := signerLink.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no draft to sign on Mina sidor: %s", errorText(body))
	}
	return m[1]
}

func countRows(t *testing.T, p *webtest.Portal, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := p.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Johan applies for Elsa's school transport in Motala: he signs and sends, the review and the
// receipt name Emma, the other guardian in the register's custody data; Emma is told, reads
// everything on her "Att signera", and signs; the case arrives with both signatures, which the
// citizen, the co-signer and the caseworker see, the receipt (and its PDF) lists, and the
// caseworker's page checks again against the IdP's certificate.
func TestSigningGuardians(t *testing.T) {
	p := webtest.Start(t, webtest.OnLocalhost)
	johan := motalaCitizen(t, p, "guardian1")
	draftID := johan.startSchoolTransport()

	review := johan.page("/utkast/" + draftID + "/granska")
	assertContains(t, "review", review, "Signera ansökan", "Emma Bergström", "Signera och skicka för signering")
	assertLacks(t, "review: the other guardian's number", review, "19840229", "198402299880")
	if resp, _ := johan.post("/utkast/"+draftID+"/skicka", nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("a direct submit: status %d, want 409", resp.StatusCode)
	}

	// A bad address is refused, with what was typed kept.
	resp, body := johan.post("/utkast/"+draftID+"/signera", url.Values{"email_1": {"emma at example"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "emma at example") {
		t.Fatalf("a bad address: status %d: %s", resp.StatusCode, errorText(body))
	}
	resp, _ = johan.post("/utkast/"+draftID+"/signera", url.Values{"email_1": {"emma@example.se"}})
	acs, msg := johan.atIdP(resp, "guardian1", nil)
	assertContains(t, "sign message", msg, "Johan Bergström", "Ansökan om skolskjuts", "Motala kommun", "Kontrollsumma")
	resp, body = johan.signedTo(acs)
	assertContains(t, "sent for signing", body, "Ansökan är skickad för signering", "Emma Bergström", "Logga ut först", "Logga ut nu")
	if n := countRows(t, p, `SELECT count(*) FROM notice WHERE kind = 'signing_requested' AND email = 'emma@example.se'`); n != 1 {
		t.Fatalf("%d notices to Emma's address, want 1", n)
	}

	// Motala's webhook for signed cases: told of the case in the transaction that submits it.
	if _, err := p.Pool.Exec(context.Background(), `
		INSERT INTO webhook (tenant_id, name, url, secret, events)
		SELECT id, 'Signerade', 'https://hooks.example.se/signed', repeat('s', 40), '{case_signed}' FROM tenant WHERE slug = 'motala'`); err != nil {
		t.Fatal(err)
	}
	emma := motalaCitizen(t, p, "guardian2")
	party := emma.partyLink()
	signPage := emma.page(party)
	assertContains(t, "Emma's page", signPage, "Johan Bergström ber dig signera", "Elsa Bergström", "20160514-9820",
		"Bergaskolan", "Signera med e-legitimation", "Avböj att signera")
	resp, _ = emma.post(party, nil)
	acs, msg = emma.atIdP(resp, "guardian2", nil)
	assertContains(t, "Emma's sign message", msg, "Emma Bergström", "vårdnadshavare", "Johan Bergström")
	_, body = emma.signedTo(acs)
	ref := regexp.MustCompile(`MOT-\d{4}-\d{6}`).FindString(body)
	assertContains(t, "after Emma signed", body, "Alla har signerat")
	if ref == "" {
		t.Fatalf("no reference on the co-signer's page: %s", errorText(body))
	}

	caseID := dbString(t, p, `SELECT id::text FROM cases WHERE reference = $1`, ref)
	// One case_signed event with both signatures and its delivery (written with the event), by the
	// transaction that kept Emma's signature and submitted the case (the same transaction id; the
	// delivery row itself changes as it is tried).
	if n := countRows(t, p, `
		SELECT count(*) FROM webhook_event e JOIN webhook_delivery d ON d.event_id = e.id
		JOIN signature s ON s.xmin::text = e.xmin::text AND s.personal_number = '198402299880'
		WHERE e.type = 'case_signed' AND e.case_id = $1 AND e.body::jsonb -> 'data' ->> 'signatures' = '2'`, caseID); n != 1 {
		t.Errorf("%d case_signed events with their delivery in the signing transaction, want 1", n)
	}
	casePage := johan.page("/arenden/" + caseID)
	assertContains(t, "Johan's case page", casePage, "Underskrifter", "Johan Bergström, sökande", "Emma Bergström, vårdnadshavare")
	assertContains(t, "receipt", johan.page("/arenden/"+caseID+"/kvitto"), "Johan Bergström, sökande", "Emma Bergström, vårdnadshavare")
	if resp, _ := johan.get("/arenden/" + caseID + "/kvitto.pdf"); resp.StatusCode != http.StatusOK {
		t.Fatalf("receipt PDF: status %d", resp.StatusCode)
	}
	assertContains(t, "Emma's page after", emma.page(party), ref, "Har signerat")
	if n := countRows(t, p, `SELECT count(*) FROM notice WHERE kind = 'signing_submitted'`); n != 1 {
		t.Errorf("%d notices of the submission to Emma, want 1", n)
	}

	mikael := newBrowser(t, p)
	p.LoginAt(t, mikael.c, p.HostURL("motala.localhost"), "/personal", "caseworker-motala", "/personal")
	staffPage := p.Do(t, mikael.c, "GET", p.HostURL("motala.localhost")+"/personal/arenden/"+caseID, nil)
	assertContains(t, "caseworker's case page", webtest.ReadBody(t, staffPage), "Emma Bergström, vårdnadshavare", "/underskrifter")
	evidence := p.Do(t, mikael.c, "GET", p.HostURL("motala.localhost")+"/personal/arenden/"+caseID+"/underskrifter", nil)
	page := webtest.ReadBody(t, evidence)
	if evidence.StatusCode != http.StatusOK || strings.Count(page, "Giltig: signaturen stämmer mot identifieringstjänstens certifikat") != 2 {
		t.Fatalf("evidence page: status %d: %s", evidence.StatusCode, errorText(page))
	}
	assertContains(t, "evidence", page, "19840229-9880", "loa3-sigmessage", "Kontrollsumma")
	if n := countRows(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND detail = 'signatures'`, caseID); n != 1 {
		t.Errorf("%d audit records of the signatures page, want 1", n)
	}

	// Evidence changed after the fact no longer verifies: the check is a real one.
	if _, err := p.Pool.Exec(context.Background(), `
		UPDATE signature SET response = convert_to(replace(convert_from(response, 'UTF8'), '198402299880', '198502299880'), 'UTF8')
		WHERE personal_number = '198402299880'`); err != nil {
		t.Fatal(err)
	}
	evidence = p.Do(t, mikael.c, "GET", p.HostURL("motala.localhost")+"/personal/arenden/"+caseID+"/underskrifter", nil)
	page = webtest.ReadBody(t, evidence)
	if strings.Count(page, "Ogiltig: signaturen kan inte kontrolleras") != 1 || strings.Count(page, "Giltig: signaturen stämmer") != 1 {
		t.Errorf("tampered evidence: %s", errorText(page))
	}
}

// An e-service admin sets who signs on the e-service's signing page; a rule that cannot work is
// refused with a message at its input, and a change is in the e-service's history.
func TestSigningBuilder(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	transport := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-skolskjuts") + "/signering"
	assertContains(t, "signing page", erik.page(transport), "Barnets andra vårdnadshavare", "Elevens personnummer")
	rule := url.Values{"applicant": {"yes"}, "cosigners": {"guardians"}, "field": {"pupil_personal_number"},
		"remind_days": {"3"}, "deadline_days": {"14"}}
	resp, body := erik.post(transport, rule)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Signering kräver att e-tjänsten kräver inloggning") {
		t.Fatalf("an e-service without login: status %d: %s", resp.StatusCode, errorText(body))
	}
	permit := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-bygglov") + "/signering"
	bad := url.Values{"applicant": {"yes"}, "cosigners": {"person"}, "field": {""}, "remind_days": {"20"}, "deadline_days": {"14"}}
	resp, body = erik.post(permit, bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad rule: status %d", resp.StatusCode)
	}
	assertContains(t, "bad rule", body, "Välj fältet med personnummer", "Påminnelsen måste komma före tidsfristen", `value="20"`)
	resp, _ = erik.post(permit, url.Values{"applicant": {"yes"}, "cosigners": {"none"}, "remind_days": {"0"}, "deadline_days": {"30"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	assertContains(t, "saved", erik.page(resp.Header.Get("Location")), "Inställningarna för signering är sparade")
	if n := countRows(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_signing_changed'`); n != 1 {
		t.Errorf("%d changes recorded, want 1", n)
	}
	if rule := dbString(t, p, `SELECT cosigners || ':' || applicant FROM eservice_signing s JOIN eservice e ON e.id = s.eservice_id WHERE e.slug = 'ansokan-om-bygglov'`); rule != "none:true" {
		t.Errorf("stored rule %s", rule)
	}

	// A caseworker checks an association's representative: only for an e-service for associations;
	// the setting stands by itself, without signatures.
	grave := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-gravtillstand") + "/signering"
	resp, body = erik.post(grave, url.Values{"cosigners": {"none"}, "remind_days": {"3"}, "deadline_days": {"14"}, "association_check": {"yes"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Kontroll av föreningens företrädare kräver att e-tjänsten vänder sig till föreningar") {
		t.Fatalf("an association check for companies: status %d: %s", resp.StatusCode, errorText(body))
	}
	resp, _ = erik.post(permit, url.Values{"cosigners": {"none"}, "remind_days": {"3"}, "deadline_days": {"14"}, "association_check": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the association check: status %d", resp.StatusCode)
	}
	page := erik.page(permit)
	if !regexp.MustCompile(`id="association_check" name="association_check" value="yes"[^>]*checked`).MatchString(page) {
		t.Errorf("the association check is not shown as set: %s", errorText(page))
	}
	if got := dbString(t, p, `SELECT e.association_check::text || ':' || count(s.*) FROM eservice e LEFT JOIN eservice_signing s ON s.eservice_id = e.id
		WHERE e.slug = 'ansokan-om-bygglov' GROUP BY e.association_check`); got != "true:0" {
		t.Errorf("stored: %s, want the check without signatures", got)
	}
}

func htmlUnescape(s string) string { return html.UnescapeString(s) }

func httptestRequest(target string) *http.Request { return httptest.NewRequest("GET", target, nil) }

// sendForSigning has Johan start Elsa's school transport, sign it and send it to Emma; it
// returns the draft's id and Emma's party's page.
func sendForSigning(t *testing.T, p *webtest.Portal, johan *hostBrowser) (draftID, party string) {
	t.Helper()
	draftID = johan.startSchoolTransport()
	resp, _ := johan.post("/utkast/"+draftID+"/signera", nil)
	acs, _ := johan.atIdP(resp, "guardian1", nil)
	if _, body := johan.signedTo(acs); !strings.Contains(body, "Ansökan är skickad för signering") {
		t.Fatalf("not sent: %s", errorText(body))
	}
	party = "/signera/" + dbString(t, p, `SELECT p.id::text FROM signing_party p JOIN signing g ON g.id = p.signing_id
		WHERE g.draft_id = $1 AND p.role = 'guardian'`, draftID)
	return draftID, party
}

// The rules of signing over HTTP: only the person the register names can sign, and sees why
// not otherwise, at the page and at the IdP; an IdP that did not show the text is refused; a
// change of the draft voids the signatures and says so, also one under way; a co-signer may
// decline with a reason; a reminder after the e-service's days, and after the deadline the draft
// goes back to the applicant, who is told who has not signed.
func TestSigningRules(t *testing.T) {
	p := webtest.Start(t, webtest.OnLocalhost)
	johan := motalaCitizen(t, p, "guardian1")
	emma := motalaCitizen(t, p, "guardian2")
	karin := motalaCitizen(t, p, "adult")
	draftID, party := sendForSigning(t, p, johan)
	signatures := func() int { return countRows(t, p, `SELECT count(*) FROM signature`) }

	t.Run("an applicant who is not the child's guardian", func(t *testing.T) {
		other := karin.startSchoolTransport()
		assertLacks(t, "a step of a draft nobody signed", karin.page("/utkast/"+other+"/steg/reason"), "Ansökan är signerad av", "Om du ändrar ett svar")
		review := karin.page("/utkast/" + other + "/granska")
		assertContains(t, "review", review, "Enligt folkbokföringen är du inte vårdnadshavare")
		assertLacks(t, "review", review, "Signera och skicka för signering", "Emma Bergström")
		if resp, _ := karin.post("/utkast/"+other+"/signera", nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("send: status %d, want 409", resp.StatusCode)
		}
	})

	t.Run("a wrong person cannot sign, and sees why", func(t *testing.T) {
		resp, body := karin.get(party)
		assertContains(t, "Karin's page", body, "Du kan inte signera den här ansökan", "barnets andra vårdnadshavare, Emma Bergström",
			"Du är inloggad som Karin Lindqvist")
		assertLacks(t, "Karin's page", body, "Bergaskolan", "20160514", "Signera med e-legitimation")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
		if resp, _ := karin.post(party, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("Karin's sign: status %d, want 409", resp.StatusCode)
		}
		if resp, _ := karin.post(party+"/avboj", url.Values{"reason": {"nej"}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("Karin's decline: status %d, want 409", resp.StatusCode)
		}
		assertLacks(t, "Karin's Mina sidor", karin.page("/mina-sidor"), "/signera/")
		if resp, _ := johan.post(party, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("the applicant signing as the co-signer: status %d, want 409", resp.StatusCode)
		}
	})

	t.Run("someone else at the IdP", func(t *testing.T) {
		resp, _ := emma.post(party, nil)
		acs, _ := emma.atIdP(resp, "guardian1", nil)
		body := webtest.ReadBody(t, acs)
		if acs.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403: %s", acs.StatusCode, errorText(body))
		}
		assertContains(t, "wrong signer", body, "Fel person legitimerade sig", "Du legitimerade dig som Johan Bergström",
			"ska signeras av Emma Bergström", party)
		if n := signatures(); n != 1 {
			t.Errorf("%d signatures, want Johan's only", n)
		}
	})

	t.Run("an IdP that did not show the text", func(t *testing.T) {
		for _, digest := range []string{"-", "http://www.w3.org/2001/04/xmlenc#sha256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="} {
			resp, _ := emma.post(party, nil)
			acs, _ := emma.atIdP(resp, "guardian2", &devidp.Options{SignMessageDigest: digest})
			body := webtest.ReadBody(t, acs)
			if acs.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Signeringen misslyckades") {
				t.Errorf("digest %q: status %d: %s", digest, acs.StatusCode, errorText(body))
			}
		}
		if n := signatures(); n != 1 {
			t.Errorf("%d signatures, want Johan's only", n)
		}
	})

	t.Run("cancelled at the IdP", func(t *testing.T) {
		idp := emma.toIdP(p.Do(t, emma.c, "POST", emma.abs(party), url.Values{}))
		u, _ := url.Parse(idp)
		req, err := p.DevIdP.Parse(httptestRequest(idp), u.Query().Get("SAMLRequest"), u.Query().Get("RelayState"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := p.DevIdP.Cancel(req)
		if err != nil {
			t.Fatal(err)
		}
		acs := p.Do(t, emma.c, "POST", p.URL+"/saml/acs", url.Values{"SAMLResponse": {f.SAMLResponse}, "RelayState": {f.RelayState}})
		body := webtest.ReadBody(t, acs)
		if acs.StatusCode != http.StatusOK || !strings.Contains(body, "Du avbröt signeringen") {
			t.Errorf("cancel: status %d: %s", acs.StatusCode, errorText(body))
		}
		// The answer cannot be used again.
		again := p.Do(t, emma.c, "POST", p.URL+"/saml/acs", url.Values{"SAMLResponse": {f.SAMLResponse}, "RelayState": {f.RelayState}})
		if body := webtest.ReadBody(t, again); again.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Signeringen tog för lång tid") {
			t.Errorf("a second post: status %d: %s", again.StatusCode, errorText(body))
		}
	})

	t.Run("a change voids the signatures and says so", func(t *testing.T) {
		// Before a change, each step page warns that it voids the signatures given, naming who
		// signed; once changed, the warning is gone (the signatures are void) and the review says so.
		step := johan.page("/utkast/" + draftID + "/steg/reason")
		assertContains(t, "a step of the signed draft", step, "Ansökan är skickad för signering.", "Ansökan är signerad av Johan Bergström.",
			"Om du ändrar ett svar gäller underskrifterna inte längre")
		assertContains(t, "another step", johan.page("/utkast/"+draftID+"/steg/pupil"), "Ansökan är signerad av Johan Bergström.")

		// Emma starts to sign; Johan changes the draft before her answer comes back.
		resp, _ := emma.post(party, nil)
		changeDistance(t, johan, draftID, "7,5")
		acs, _ := emma.atIdP(resp, "guardian2", nil)
		body := webtest.ReadBody(t, acs)
		if acs.StatusCode != http.StatusConflict || !strings.Contains(body, "Ansökan ändrades medan du signerade") {
			t.Fatalf("signed a changed draft: status %d: %s", acs.StatusCode, errorText(body))
		}
		assertContains(t, "Johan's review", johan.page("/utkast/"+draftID+"/granska"), "Underskrifterna som gjordes innan gäller inte längre")
		assertLacks(t, "the step after the change", johan.page("/utkast/"+draftID+"/steg/reason"), "Ansökan är signerad av")
		assertContains(t, "Johan's signing page", johan.page("/utkast/"+draftID+"/signering"),
			"Ansökan har ändrats efter att den skickades för signering", "Signerade en tidigare version")
		page := emma.page(party)
		assertContains(t, "Emma's page", page, "Ansökan har ändrats efter att den skickades för signering", "7,5")
		assertLacks(t, "Emma's page", page, "Signera med e-legitimation")
		if resp, _ := emma.post(party, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("signing the changed draft: status %d, want 409", resp.StatusCode)
		}

		// Johan signs the new content and sends it again; Emma signs it; the case has those.
		resp, _ = johan.post("/utkast/"+draftID+"/signera", nil)
		acs, _ = johan.atIdP(resp, "guardian1", nil)
		johan.signedTo(acs)
		resp, _ = emma.post(party, nil)
		acs, _ = emma.atIdP(resp, "guardian2", nil)
		_, body = emma.signedTo(acs)
		assertContains(t, "submitted", body, "Alla har signerat")
		if n := countRows(t, p, `SELECT count(*) FROM cases c JOIN signing g ON g.case_id = c.id WHERE c.answers -> 'distance_km' ->> 0 = '7.5'`); n != 1 {
			t.Errorf("%d cases with the changed answer", n)
		}
		caseID := dbString(t, p, `SELECT case_id::text FROM signing WHERE case_id IS NOT NULL`)
		c := johan.page("/arenden/" + caseID)
		if strings.Count(c, "Johan Bergström, sökande") != 1 {
			t.Errorf("the case shows Johan's signature %d times", strings.Count(c, "Johan Bergström, sökande"))
		}
	})

	t.Run("a co-signer declines with a reason", func(t *testing.T) {
		draftID, party := sendForSigning(t, p, johan)
		resp, body := emma.post(party+"/avboj", url.Values{"reason": {"  "}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Skriv varför du avböjer") {
			t.Fatalf("an empty reason: status %d: %s", resp.StatusCode, errorText(body))
		}
		resp, _ = emma.post(party+"/avboj", url.Values{"reason": {"Vi har inte bestämt skola än."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("decline: status %d", resp.StatusCode)
		}
		assertContains(t, "Emma's page", emma.page(party), "Du har avböjt att signera")
		assertContains(t, "Johan's signing page", johan.page("/utkast/"+draftID+"/signering"), "Ansökan kom tillbaka till dig",
			"Avböjde att signera", "Vi har inte bestämt skola än.")
		if n := countRows(t, p, `SELECT count(*) FROM notice WHERE kind = 'signing_declined'`); n != 1 {
			t.Errorf("%d notices to Johan of the decline", n)
		}
		assertLacks(t, "Emma's Mina sidor", emma.page("/mina-sidor"), party)

		// Johan sends the unchanged draft again: his signature still holds, so it goes at once.
		resp, _ = johan.post("/utkast/"+draftID+"/signera", nil)
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/signering?skickat=1") {
			t.Fatalf("send again: status %d to %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		assertContains(t, "Emma's Mina sidor", emma.page("/mina-sidor"), party)

		// A reminder after three days, once; after the deadline the draft goes back to Johan.
		ctx := context.Background()
		p.SigningClock.Advance(4 * 24 * time.Hour)
		if back, reminded, err := p.Signing.Due(ctx); err != nil || back != 0 || reminded != 1 {
			t.Fatalf("after 4 days: %d back, %d reminded, %v", back, reminded, err)
		}
		if back, reminded, err := p.Signing.Due(ctx); err != nil || back != 0 || reminded != 0 {
			t.Fatalf("again: %d back, %d reminded, %v", back, reminded, err)
		}
		p.SigningClock.Advance(11 * 24 * time.Hour)
		if back, _, err := p.Signing.Due(ctx); err != nil || back != 1 {
			t.Fatalf("after 15 days: %d back, %v", back, err)
		}
		status := johan.page("/utkast/" + draftID + "/signering")
		assertContains(t, "Johan's signing page", status, "Alla hann inte signera före", "Följande har inte signerat", "Emma Bergström")
		if n := countRows(t, p, `SELECT count(*) FROM notice WHERE kind = 'signing_returned'`); n != 1 {
			t.Errorf("%d notices to Johan of the deadline", n)
		}
		if n := countRows(t, p, `SELECT count(*) FROM notice WHERE kind = 'signing_reminder'`); n != 1 {
			t.Errorf("%d reminders to Emma", n)
		}
		assertContains(t, "Emma's page", emma.page(party), "Ansökan väntar inte på din underskrift nu")
		if resp, _ := emma.post(party, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("signing after the deadline: status %d, want 409", resp.StatusCode)
		}
	})
}

// changeDistance changes the distance on the school transport's reason step.
func changeDistance(t *testing.T, b *hostBrowser, draftID, km string) {
	t.Helper()
	form := url.Values{"action": {"next"}}
	for k, v := range answersOfSchoolTransport()["reason"] {
		form[k] = v
	}
	form.Set("distance_km", km)
	if resp, body := b.post("/utkast/"+draftID+"/steg/reason", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: status %d: %s", resp.StatusCode, errorText(body))
	}
}

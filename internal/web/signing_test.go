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
	host string // e.g. http://motala.localhost:PORT
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
	return resp, webtest.ReadBody(b.t, resp)
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
	return resp, webtest.ReadBody(b.t, resp)
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
	for i := 0; resp.StatusCode == http.StatusSeeOther && !strings.Contains(resp.Header.Get("Location"), "/idp/sso"); i++ {
		if i == 3 {
			b.t.Fatalf("no way to the IdP: %s", resp.Header.Get("Location"))
		}
		webtest.ReadBody(b.t, resp)
		resp = b.p.Do(b.t, b.c, "GET", resp.Header.Get("Location"), nil)
	}
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign: status %d, want a redirect to the IdP: %s", resp.StatusCode, errorText(webtest.ReadBody(b.t, resp)))
	}
	webtest.ReadBody(b.t, resp)
	idpURL := resp.Header.Get("Location")
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

// signedTo follows the assertion consumer's redirect back to the signer's host and returns the
// page it ends on.
func (b *hostBrowser) signedTo(acs *http.Response) (*http.Response, string) {
	b.t.Helper()
	if acs.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("assertion consumer: status %d: %s", acs.StatusCode, errorText(webtest.ReadBody(b.t, acs)))
	}
	webtest.ReadBody(b.t, acs)
	loc := acs.Header.Get("Location")
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
}

func htmlUnescape(s string) string { return html.UnescapeString(s) }

func httptestRequest(target string) *http.Request { return httptest.NewRequest("GET", target, nil) }

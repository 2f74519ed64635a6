package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// staffLogin logs the client in as a test staff member through the development IdP's pages and
// returns the response of the staff ACS.
func staffLogin(t *testing.T, p *webtest.Portal, c *http.Client, key string) *http.Response {
	t.Helper()
	resp := p.Do(t, c, "GET", "/personal/login?return=%2Fpersonal", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff login start: %d", resp.StatusCode)
	}
	picker := webtest.ReadBody(t, p.Do(t, c, "GET", resp.Header.Get("Location"), nil))
	form := webtest.HiddenInputs(picker)
	form.Set("person", key)
	answer := p.Do(t, c, "POST", "/idp/sso", form)
	if answer.StatusCode != http.StatusOK {
		t.Fatalf("development IdP: %d", answer.StatusCode)
	}
	return p.Do(t, c, "POST", "/personal/saml/acs", webtest.HiddenInputs(webtest.ReadBody(t, answer)))
}

func TestStaffLogin(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)

	resp := p.Do(t, c, "GET", "/personal", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal/login?return=%2Fpersonal" {
		t.Fatalf("visitor at /personal: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The picker offers the staff of this municipality only.
	start := p.Do(t, c, "GET", "/personal/login", nil)
	picker := webtest.ReadBody(t, p.Do(t, c, "GET", start.Header.Get("Location"), nil))
	assertContains(t, "staff picker", picker, "Anna Handläggare", "Erik Förvaltare")
	assertLacks(t, "staff picker", picker, "Mikael Mattsson", "Karin Lindqvist")

	resp = staffLogin(t, p, c, "caseworker-alingsas")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal" {
		t.Fatalf("staff ACS: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), webtest.ReadBody(t, resp))
	}
	home := webtest.ReadBody(t, p.Do(t, c, "GET", "/personal", nil))
	assertContains(t, "staff home", home, "Inloggad som Anna Handläggare, Alingsås kommun.", "Handläggare", "Samhällsbyggnad", "Personalens start")
	assertLacks(t, "staff home", home, `href="/mina-sidor"`)
}

// A citizen's login never opens the staff area.
func TestCitizenIsNotStaff(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	resp := p.Do(t, c, "GET", "/personal", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login") {
		t.Errorf("citizen at /personal: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Only staff the municipality registered get in: Motala's caseworker is unknown in Alingsås.
func TestStaffOfAnotherMunicipalityRefused(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	resp := staffLogin(t, p, c, "caseworker-motala")
	body := webtest.ReadBody(t, resp)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Du har ingen behörighet här") {
		t.Errorf("Motala's caseworker at Alingsås: %d", resp.StatusCode)
	}
	if r := p.Do(t, c, "GET", "/personal", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after a refused staff login /personal answers %d", r.StatusCode)
	}
	// An employee whose access has ended is refused too.
	if _, err := p.Pool.Exec(t.Context(), `UPDATE staff SET active = false WHERE employee_id = 'ali-1001'`); err != nil {
		t.Fatal(err)
	}
	if r := staffLogin(t, p, p.Client(t), "caseworker-alingsas"); r.StatusCode != http.StatusForbidden {
		t.Errorf("deactivated staff: %d", r.StatusCode)
	}
}

// The pending login decides which login an answer finishes: a citizen's answer is no good at the
// staff ACS, nor a staff answer at the citizens'.
func TestStaffAndCitizenAnswersDoNotCross(t *testing.T) {
	p := webtest.Start(t)

	c := p.Client(t)
	req := p.BeginLogin(t, c, "/mina-sidor")
	citizenAnswer := p.Answer(t, req, "adult", devidpOptions())
	resp := p.Do(t, c, "POST", "/personal/saml/acs", citizenAnswer)
	if resp.StatusCode == http.StatusSeeOther {
		t.Errorf("a citizen's answer logged in at the staff ACS")
	}

	s := p.Client(t)
	start := p.Do(t, s, "GET", "/personal/login", nil)
	picker := webtest.ReadBody(t, p.Do(t, s, "GET", start.Header.Get("Location"), nil))
	form := webtest.HiddenInputs(picker)
	form.Set("person", "caseworker-alingsas")
	answer := webtest.HiddenInputs(webtest.ReadBody(t, p.Do(t, s, "POST", "/idp/sso", form)))
	resp = p.Do(t, s, "POST", "/saml/acs", answer)
	if resp.StatusCode == http.StatusSeeOther {
		t.Errorf("a staff answer logged in at the citizens' ACS")
	}
	if r := p.Do(t, s, "GET", "/mina-sidor", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after a crossed answer /mina-sidor answers %d", r.StatusCode)
	}
}

// The staff service provider is an entity of its own, with its own certificate.
func TestStaffMetadata(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	staffMD := webtest.ReadBody(t, p.Do(t, c, "GET", "/personal/saml/metadata", nil))
	citizenMD := webtest.ReadBody(t, p.Do(t, c, "GET", "/saml/metadata", nil))
	assertContains(t, "staff metadata", staffMD, `entityID="`+p.URL+`/personal/saml/metadata"`, `Location="`+p.URL+`/personal/saml/acs"`)
	cert := regexp.MustCompile(`<X509Certificate[^>]*>([^<]+)</X509Certificate>`)
	sc, cc := cert.FindStringSubmatch(staffMD), cert.FindStringSubmatch(citizenMD)
	if sc == nil || cc == nil || sc[1] == cc[1] {
		t.Error("the staff and citizen service providers share a certificate")
	}
}

func devidpOptions() devidp.Options { return devidp.Options{} }

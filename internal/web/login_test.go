package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A whole login through real SAML messages: the signed request, the development IdP's page, its
// signed answer posted to the assertion consumer, the account, Mina uppgifter, and logout.
func TestLoginAndLogout(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)

	// A visitor asking for Mina uppgifter is sent to the login, which returns there.
	resp := p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?return=%2Fmina-sidor%2Fuppgifter" {
		t.Fatalf("visitor: status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	page := webtest.ReadBody(t, p.Login(t, c, "adult", "/mina-sidor/uppgifter"))
	for _, want := range []string{"Mina uppgifter", "Karin Lindqvist", "19850412-9829", "Kungsgatan 12", "441 30 Alingsås", "Logga ut", "Du loggas ut automatiskt kl."} {
		if !strings.Contains(page, want) {
			t.Errorf("Mina uppgifter lacks %q", want)
		}
	}

	resp = p.Do(t, c, "POST", "/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/utloggad" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if body := webtest.ReadBody(t, p.Do(t, c, "GET", "/utloggad", nil)); !strings.Contains(body, "stäng webbläsaren") {
		t.Error("the logged-out page does not advise closing the browser")
	}
	if resp := p.Do(t, c, "GET", "/mina-sidor", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout Mina sidor answers %d", resp.StatusCode)
	}
}

// The session token changes at login, so a token planted before cannot be used after.
func TestLoginRenewsSessionToken(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	p.Do(t, c, "POST", "/session/forlang", nil) // a visitor: no session is made
	before := cookie(c, p.URL, web.SessionCookie)
	p.Login(t, c, "adult", "/mina-sidor")
	after := cookie(c, p.URL, web.SessionCookie)
	if after == "" || after == before {
		t.Errorf("session token %q before, %q after", before, after)
	}
}

func TestProtectedIdentityShowsNoAddress(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	page := webtest.ReadBody(t, p.Login(t, c, "protected", "/mina-sidor/uppgifter"))
	if !strings.Contains(page, "skyddade personuppgifter") {
		t.Error("no explanation of the protected identity")
	}
	var n int
	p.Pool.QueryRow(t.Context(), `SELECT count(*) FROM account WHERE protected_identity AND street IS NULL AND city IS NULL`).Scan(&n)
	if n != 1 {
		t.Errorf("protected accounts without address: %d", n)
	}
}

func TestCoordinationNumberHolderCanLogIn(t *testing.T) {
	p := webtest.Start(t)
	page := webtest.ReadBody(t, p.Login(t, p.Client(t), "coordination", "/mina-sidor/uppgifter"))
	if !strings.Contains(page, "Samordningsnummer") || !strings.Contains(page, "ingen adress registrerad") {
		t.Error("the coordination number holder's page is wrong")
	}
}

// Editing contact data: errors re-render the form with what was typed and a linked summary.
func TestEditContactData(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")

	bad := map[string][]string{"email": {"karin@"}, "phone": {"070-123 45 67"}, "preferred_channel": {"sms"}}
	resp := p.Do(t, c, "POST", "/mina-sidor/uppgifter", bad)
	page := webtest.ReadBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("invalid input: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Det finns fel i formuläret", `href="#email"`, "Skriv e-postadressen i formatet", `value="karin@"`, `value="070-123 45 67"`, `aria-invalid="true"`, "<title>Fel: Mina uppgifter"} {
		if !strings.Contains(page, want) {
			t.Errorf("error page lacks %q", want)
		}
	}

	good := map[string][]string{"email": {"karin@example.se"}, "phone": {"070-123 45 67"}, "preferred_channel": {"sms"}}
	resp = p.Do(t, c, "POST", "/mina-sidor/uppgifter", good)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid input: status %d", resp.StatusCode)
	}
	page = webtest.ReadBody(t, p.Do(t, c, "GET", resp.Header.Get("Location"), nil))
	for _, want := range []string{"Dina kontaktuppgifter är sparade", `value="karin@example.se"`, `value="+46701234567"`} {
		if !strings.Contains(page, want) {
			t.Errorf("saved page lacks %q", want)
		}
	}
}

func TestMetadata(t *testing.T) {
	p := webtest.Start(t)
	resp := p.Do(t, p.Client(t), "GET", "/saml/metadata", nil)
	md := webtest.ReadBody(t, resp)
	for _, want := range []string{
		`entityID="` + p.URL + `/saml/metadata"`,
		`Location="` + p.URL + `/saml/acs"`,
		"X509Certificate",
		`<OrganizationDisplayName xml:lang="sv">Mina sidor</OrganizationDisplayName>`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("metadata lacks %q:\n%s", want, md)
		}
	}
}

func cookie(c *http.Client, base, name string) string {
	u, _ := http.NewRequest("GET", base, nil)
	for _, ck := range c.Jar.Cookies(u.URL) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// After a timeout, logging in again returns to the page the user was on.
func TestTimedOutLoginReturnsToPage(t *testing.T) {
	p := webtest.Start(t)
	page := webtest.ReadBody(t, p.Do(t, p.Client(t), "GET", "/utloggad?orsak=inaktivitet&return=%2Fmina-sidor%2Fuppgifter", nil))
	if !strings.Contains(page, "Du har loggats ut") || !strings.Contains(page, `href="/login?return=%2Fmina-sidor%2Fuppgifter"`) {
		t.Errorf("timed-out page:\n%s", page)
	}
	page = webtest.ReadBody(t, p.Do(t, p.Client(t), "GET", "/utloggad?orsak=inaktivitet&return=%2F%2Fevil.example", nil))
	if !strings.Contains(page, `href="/login?return=%2Fmina-sidor"`) {
		t.Error("an unsafe return path reached the login link")
	}
}

// A session past its idle timeout is gone: the next page asks for a login again.
func TestIdleTimeoutEndsSession(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	if _, err := p.Pool.Exec(t.Context(), `UPDATE sessions SET expiry = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	resp := p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?return=%2Fmina-sidor%2Fuppgifter") {
		t.Errorf("expired session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

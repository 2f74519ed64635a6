package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// One installation serves every municipality under its own host: a login started on Motala's or
// Alingsås's host runs its SAML exchange on the portal's own address (localhost) and ends, logged
// in, on the host it started on. Chromium resolves *.localhost itself and keeps each host's
// cookies apart, as it would for two municipalities' domains.
func TestLoginOnMunicipalityHosts(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t, webtest.OnLocalhost)
	motala, alingsas := p.HostURL("motala.localhost"), p.HostURL("alingsas.localhost")
	onHost := func(t *testing.T, b *browsertest.Browser, origin, path string) {
		t.Helper()
		u, err := url.Parse(b.Location())
		if err != nil || u.Scheme+"://"+u.Host != origin || u.Path != path {
			t.Fatalf("the login ended at %s, want %s%s", b.Location(), origin, path)
		}
	}

	t.Run("citizen with JavaScript", func(t *testing.T) {
		b := browsertest.New(t)
		b.Navigate(motala + "/")
		if got := b.Text("header"); !strings.Contains(got, "Motala") {
			t.Fatalf("Motala's start page header = %q", got)
		}
		b.ClickAndWait(menuLogin)
		checkPath(t, b, "/idp/sso")
		clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
		onHost(t, b, motala, "/mina-sidor")
		if got, want := b.Text(".session-bar p"), "Inloggad som "+karinName+"."; !strings.HasPrefix(got, want) {
			t.Errorf("session bar on Motala's host = %q, want it to start with %q", got, want)
		}
		// Another municipality's host has a session of its own: its login starts afresh and ends
		// there.
		b.Navigate(alingsas + "/mina-sidor")
		checkPath(t, b, "/idp/sso")
		clickThroughSAMLPost(t, b, pickPerson(karinName), "/mina-sidor")
		onHost(t, b, alingsas, "/mina-sidor")
	})

	t.Run("staff without JavaScript", func(t *testing.T) {
		b := browsertest.New(t, browsertest.WithoutJavaScript())
		b.Navigate(motala + "/personal")
		checkPath(t, b, "/idp/sso")
		if strings.Contains(b.Text("main"), "Anna Handläggare") {
			t.Error("the picker of a login started on Motala's host offers Alingsås staff")
		}
		b.ClickAndWait(pickPerson("Mikael Mattsson"))
		if status := b.ClickAndWait(samlContinue); status != 200 {
			t.Errorf("Fortsätt ended with status %d, want 200", status)
		}
		onHost(t, b, motala, "/personal")
		if got := b.Text("main"); !strings.Contains(got, "Mikael Mattsson") {
			t.Errorf("Motala's staff start page does not name the caseworker: %q", got)
		}
	})
	t.Run("the hand-over page", func(t *testing.T) {
		// The page goes on at once, so the browser never rests on it: its markup is fetched and
		// checked in a 320 px wide window without its refresh.
		c := p.Client(t)
		picker := p.Follow(t, c, p.Do(t, c, "GET", motala+"/login", nil))
		form := webtest.HiddenInputs(webtest.ReadBody(t, picker))
		form.Set("person", "adult")
		answer := p.Do(t, c, "POST", p.URL+"/idp/sso", form)
		page := webtest.ReadBody(t, p.Do(t, c, "POST", p.URL+"/saml/acs", webtest.HiddenInputs(webtest.ReadBody(t, answer))))
		next := webtest.HandoverLink(page)
		if next == "" {
			t.Fatalf("no hand-over page: %s", page)
		}
		page = strings.Replace(page, `<meta http-equiv="refresh"`, `<meta name="x-refresh"`, 1)
		b := browsertest.New(t, browsertest.WithWindowSize(320, 700))
		b.Navigate(p.URL + "/kakor")
		browsertest.Eval[bool](b, fmt.Sprintf(`document.open(); document.write(%q); document.close(); true`, page))
		b.WaitTrue(`document.querySelector("h1") && document.querySelector("h1").textContent === "Du skickas vidare"`, "the hand-over page did not render")
		b.CheckAccessibility(t)
		if w := browsertest.Eval[int](b, `document.documentElement.scrollWidth`); w > 320 {
			t.Errorf("the hand-over page is %d px wide in a 320 px window", w)
		}
		if href := b.Attr("main a.button", "href"); href != next {
			t.Errorf("the hand-over page's link goes to %q, want %q", href, next)
		}
	})
}

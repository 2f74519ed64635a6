package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The integration pages of the staff area without JavaScript in a 320 px window, each checked
// with axe and for sideways scrolling: a municipality admin adds a webhook (refused first, then
// shown its secret once) and an API client, and reads the webhook's delivery log with its resend
// button; a caseworker reads the archive packages and is told why a reference cannot be exported.
func TestIntegrationPagesWithoutJavaScript(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(320, 800))

	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Fadmin%2Fintegrationer")
	bdLogin(t, b, pickPerson("Maria Admin"), "/personal/admin/integrationer")
	b.ClickAndWait(`form[action$="/webhooks"] button[type="submit"]`)
	if summary := b.Text(".error-summary"); !strings.Contains(summary, "Skriv ett namn") || !strings.Contains(summary, "Välj minst en händelse") {
		t.Fatalf("the refused webhook: %s", b.Text("main"))
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#name"), "Ärendesystem"))
	b.Run(chromedp.SendKeys(chromedp.CSS("#url"), receiver.URL+"/a/very/long/address/that/must/wrap/in/a/narrow/window/minasidor"))
	b.Click(`label[for="events-0"]`)
	b.ClickAndWait(`form[action$="/webhooks"] button[type="submit"]`)
	if secret := b.Attr("#secret", "value"); !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("no secret shown: %s", b.Text("main"))
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#client_name"), "Ärendesystem Lex"))
	b.Click(`label[for="scopes-0"]`)
	b.ClickAndWait(`form[action$="/api-klienter"] button[type="submit"]`)
	if key := b.Attr("#secret", "value"); !strings.HasPrefix(key, "ms_") {
		t.Fatalf("no key shown: %s", b.Text("main"))
	}

	// A case is submitted: the webhook is told, and its log lists the delivery.
	caseID := submitStreetLighting(t, p)
	b.ClickAndWait(`main a[href^="/personal/admin/integrationer/webhooks/"]`)
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(b.Text("main"), "Levererad"); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the log lacks the delivery: %s", b.Text("main"))
		}
		b.Navigate(b.Location())
	}
	b.ClickAndWait(`main form[action$="/skicka-igen"] button`)
	if !strings.Contains(b.Text("main"), "Leveransen skickas igen.") {
		t.Errorf("after resending: %s", b.Text("main"))
	}
	b.ClickAndWait(`form.logout button`)

	// The case is closed and packed for the archive; the caseworker's list shows the package.
	anna := p.StaffMember(t, "ali-1001")
	if err := casework.NewStore(p.Pool, p.Notices).Close(ctx, anna, caseID, "Lyktan är lagad."); err != nil {
		t.Fatal(err)
	}
	x, err := archive.NewStore(p.Pool).Request(ctx, anna, caseID)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); x.State == archive.StatePending; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no package in a minute")
		}
		if x, err = archive.NewStore(p.Pool).Get(ctx, anna, x.ID); err != nil {
			t.Fatal(err)
		}
	}
	b.Navigate(p.URL + "/personal/login?return=%2Fpersonal%2Farkiv")
	bdLogin(t, b, pickPerson("Anna Handläggare"), "/personal/arkiv")
	if !strings.Contains(b.Text("main"), x.Reference) || b.Attr(`a[href$="/paket"]`, "href") == "" {
		t.Errorf("the archive page lacks the package: %s", b.Text("main"))
	}
	b.Run(chromedp.SendKeys(chromedp.CSS("#reference"), "ALI-1999-000001"))
	b.ClickAndWait(`main form button[type="submit"]`)
	if !strings.Contains(b.Text(".error-summary"), "Det finns inget ärende med det numret") {
		t.Errorf("the refused export: %s", b.Text("main"))
	}
}

// submitStreetLighting submits Alingsås's street-lighting report as Karin over HTTP and returns
// the case's id.
func submitStreetLighting(t *testing.T, p *webtest.Portal) uuid.UUID {
	t.Helper()
	c := p.Client(t)
	p.Login(t, c, "adult", "/mina-sidor")
	return submitStreetLightingWith(t, p, c)
}

// submitStreetLightingWith submits the street-lighting report with the client, logged in.
func submitStreetLightingWith(t *testing.T, p *webtest.Portal, c *http.Client) uuid.UUID {
	t.Helper()
	loc := p.Do(t, c, "POST", "/e-tjanster/felanmalan-gatubelysning/starta", url.Values{}).Header.Get("Location")
	for _, answers := range []url.Values{
		{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Lyktan är släckt."}},
		{"action": {"next"}, "wants_feedback": {"no"}},
	} {
		resp := p.Do(t, c, "POST", loc, answers)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("step %s: %d", loc, resp.StatusCode)
		}
		loc = resp.Header.Get("Location")
	}
	draft := strings.Split(strings.TrimPrefix(loc, "/utkast/"), "/")[0]
	resp := p.Do(t, c, "POST", "/utkast/"+draft+"/skicka", url.Values{})
	id, err := uuid.Parse(strings.Split(strings.TrimPrefix(resp.Header.Get("Location"), "/arenden/"), "/")[0])
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("submit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	return id
}

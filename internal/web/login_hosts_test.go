package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Each client here is a browser: requests go to each host's own address and its cookie jar keeps
// each host's cookies to that host. A login started on a municipality's host runs its SAML
// exchange on the portal's own address and must end, logged in, on the host it started on.
func TestLoginOnEveryHost(t *testing.T) {
	p := webtest.Start(t)
	motala := p.HostURL("motala.localhost")

	t.Run("citizen", func(t *testing.T) {
		c := p.Client(t)
		resp := p.LoginAt(t, c, motala, "", "adult", "/mina-sidor/uppgifter")
		body := webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != motala+"/mina-sidor/uppgifter" {
			t.Fatalf("login ended at %s with status %d", resp.Request.URL, resp.StatusCode)
		}
		assertContains(t, "Mina uppgifter on Motala's host", body, "19850412-9829", "Motala")
		// The session is Motala's host's: the portal's own address has none.
		if r := p.Do(t, c, "GET", p.URL+"/mina-sidor", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("Mina sidor on the portal's own host answered %d: the session crossed hosts", r.StatusCode)
		}
	})

	t.Run("staff", func(t *testing.T) {
		c := p.Client(t)
		resp := p.LoginAt(t, c, motala, "/personal", "caseworker-motala", "/personal/arenden")
		body := webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != motala+"/personal/arenden" {
			t.Fatalf("staff login ended at %s with status %d", resp.Request.URL, resp.StatusCode)
		}
		assertContains(t, "Motala's queue", body, "Mikael Mattsson")
	})

	t.Run("staff picker offers the municipality of the host the login started on", func(t *testing.T) {
		c := p.Client(t)
		picker := p.Follow(t, c, p.Do(t, c, "GET", motala+"/personal/login", nil))
		body := webtest.ReadBody(t, picker)
		assertContains(t, "picker", body, "Mikael Mattsson")
		if strings.Contains(body, "Anna Handläggare") {
			t.Error("the development IdP offers Alingsås staff for a login started on Motala's host")
		}
	})

	t.Run("the portal's own host logs in without a hand-over", func(t *testing.T) {
		c := p.Client(t)
		resp := p.Login(t, c, "adult", "/mina-sidor")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != p.URL+"/mina-sidor" {
			t.Fatalf("login ended at %s with status %d", resp.Request.URL, resp.StatusCode)
		}
	})

	t.Run("an unknown host starts the login on the portal's own host", func(t *testing.T) {
		c := p.Client(t)
		resp := p.Do(t, c, "GET", p.HostURL("evil.localhost")+"/login?return=%2Fmina-sidor", nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != p.URL+"/login?return=%2Fmina-sidor" {
			t.Fatalf("login start on an unknown host: %d, Location %q", resp.StatusCode, loc)
		}
	})
}

// handOver runs a citizen's login started on host with c up to the hand-over, and returns the
// hand-over address that the portal's own host sends the browser to.
func handOver(t *testing.T, p *webtest.Portal, c *http.Client, host string) string {
	t.Helper()
	picker := p.Follow(t, c, p.Do(t, c, "GET", host+"/login?return=%2Fmina-sidor", nil))
	form := webtest.HiddenInputs(webtest.ReadBody(t, picker))
	form.Set("person", "adult")
	answer := p.Do(t, c, "POST", p.URL+"/idp/sso", form)
	acs := p.Do(t, c, "POST", p.URL+"/saml/acs", webtest.HiddenInputs(webtest.ReadBody(t, answer)))
	page := webtest.ReadBody(t, acs)
	next := webtest.HandoverLink(page)
	if acs.StatusCode != http.StatusOK || !strings.HasPrefix(next, host+"/login/klar?kod=") || !strings.Contains(page, `href="`+html.EscapeString(next)+`"`) {
		t.Fatalf("assertion consumer: %d, hand-over %q, want a page that goes on to %s, with a link", acs.StatusCode, next, host)
	}
	return next
}

// The hand-over is single-use, short-lived, bound to the browser that started the login and
// valid only on the host it started on.
func TestLoginHandover(t *testing.T) {
	p := webtest.Start(t)
	motala := p.HostURL("motala.localhost")
	refused := func(t *testing.T, resp *http.Response) {
		t.Helper()
		body := webtest.ReadBody(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Inloggningen gick ut") {
			t.Errorf("hand-over: status %d, want 400 and the expired-login page: %s", resp.StatusCode, errorText(body))
		}
	}

	t.Run("from another browser", func(t *testing.T) {
		a, b := p.Client(t), p.Client(t)
		code := handOver(t, p, a, motala)
		refused(t, p.Do(t, b, "GET", code, nil))
		// The code was used up by the attempt: the right browser cannot use it either.
		refused(t, p.Do(t, a, "GET", code, nil))
	})

	t.Run("on another host", func(t *testing.T) {
		a := p.Client(t)
		code := handOver(t, p, a, motala)
		other := strings.Replace(code, "motala.localhost", "alingsas.localhost", 1)
		refused(t, p.Do(t, a, "GET", other, nil))
	})

	t.Run("twice", func(t *testing.T) {
		a := p.Client(t)
		code := handOver(t, p, a, motala)
		resp := p.Do(t, a, "GET", code, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mina-sidor" {
			t.Fatalf("hand-over: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// Another browser that learns the address, even with a cookie of its own, gets nothing.
		b := p.Client(t)
		handOver(t, p, b, motala)
		refused(t, p.Do(t, b, "GET", code, nil))
		refused(t, p.Do(t, a, "GET", code, nil))
	})

	t.Run("too late", func(t *testing.T) {
		a := p.Client(t)
		code := handOver(t, p, a, motala)
		if _, err := p.Pool.Exec(context.Background(), `UPDATE login_handover SET created_at = now() - interval '61 seconds'`); err != nil {
			t.Fatal(err)
		}
		refused(t, p.Do(t, a, "GET", code, nil))
	})

	// A GET writes nothing: a refused hand-over is a security event for the security log only.
	// The code a refused attempt names is used up all the same (the hand-over's one write).
	t.Run("refused, it writes nothing but its log line", func(t *testing.T) {
		resp, n := p.Measure(t, p.Client(t), "GET", motala+"/login/klar", nil)
		refused(t, resp)
		if n.Writes() != 0 {
			t.Errorf("a hand-over without a code: %d writes, want none:\n%s", n.Writes(), strings.Join(n.Statements(), "\n"))
		}
		code := handOver(t, p, p.Client(t), motala)
		resp, n = p.Measure(t, p.Client(t), "GET", code, nil)
		refused(t, resp)
		if n.Writes() != 1 || strings.Contains(strings.Join(n.Statements(), "\n"), "security_event") {
			t.Errorf("a hand-over in another browser: %d writes, want the code's use only:\n%s", n.Writes(), strings.Join(n.Statements(), "\n"))
		}
		var stored int
		if err := p.Pool.QueryRow(context.Background(), `SELECT count(*) FROM security_event`).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("%d security events stored, %v; want none", stored, err)
		}
		log, err := os.ReadFile(p.SecurityLog)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(log), `"kind":"login_failed","at"`); got < 2 ||
			!strings.Contains(string(log), `"reason":"expired"`) || !strings.Contains(string(log), `"method":"GET","path":"/login/klar"`) {
			t.Errorf("the security log has %d refused logins, want the two hand-overs:\n%s", got, log)
		}
	})

	t.Run("a session token carried to another host is ended", func(t *testing.T) {
		a := p.Client(t)
		if resp := p.Do(t, a, "GET", handOver(t, p, a, motala), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("hand-over: %d", resp.StatusCode)
		}
		u, _ := url.Parse(motala)
		var token string
		for _, ck := range a.Jar.Cookies(u) {
			if ck.Name == web.SessionCookie {
				token = ck.Value
			}
		}
		req, _ := http.NewRequest("GET", p.URL+"/mina-sidor/uppgifter", nil)
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: token})
		resp, err := p.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if body := webtest.ReadBody(t, resp); resp.StatusCode != http.StatusSeeOther || strings.Contains(body, "19850412") {
			t.Errorf("Motala's session on the portal's own host: %d", resp.StatusCode)
		}
		if r := p.Do(t, a, "GET", motala+"/mina-sidor", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("the session lives on after it was used on another host: %d", r.StatusCode)
		}
	})
}

// The idle timeout holds on the server, whatever the page's script does: after it, no request
// returns personal data, and the logged-out page shows only once the session is gone. Time passes
// on the server's clock, not by sleeping.
func TestIdleTimeoutOnServer(t *testing.T) {
	p := webtest.Start(t, func(c *config.Config) { c.SessionIdleTimeout = time.Minute })
	ctx := context.Background()

	t.Run("idle", func(t *testing.T) {
		c := p.Client(t)
		p.Login(t, c, "adult", "/mina-sidor")
		assertContains(t, "Mina uppgifter", webtest.ReadBody(t, p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil)), "19850412-9829")
		p.Clock.Advance(61 * time.Second)
		resp := p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil)
		body := webtest.ReadBody(t, resp)
		if strings.Contains(body, "19850412") || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after the idle timeout: %d, personal number shown: %v", resp.StatusCode, strings.Contains(body, "19850412"))
		}
		if loc := resp.Header.Get("Location"); loc != "/utloggad?orsak=inaktivitet&return=%2Fmina-sidor%2Fuppgifter" {
			t.Errorf("after the idle timeout: Location %q, want the logged-out page", loc)
		}
		assertContains(t, "logged-out page", webtest.ReadBody(t, p.Follow(t, c, resp)), "Du har loggats ut")
		// Nothing brings the session back.
		if r := p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("after the logged-out page: %d", r.StatusCode)
		}
	})

	t.Run("active", func(t *testing.T) {
		c := p.Client(t)
		p.Login(t, c, "adult", "/mina-sidor")
		for range 4 {
			p.Clock.Advance(40 * time.Second)
			if r := p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil); r.StatusCode != http.StatusOK {
				t.Fatalf("an active session ended: %d", r.StatusCode)
			}
		}
	})

	t.Run("the logged-out page is not shown to a live session", func(t *testing.T) {
		c := p.Client(t)
		p.Login(t, c, "adult", "/mina-sidor")
		resp := p.Do(t, c, "GET", "/utloggad?orsak=inaktivitet&return=%2Fmina-sidor", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mina-sidor" {
			t.Errorf("logged-out page for a live session: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The script's logout at its deadline ends the session, then shows the page.
		out := p.Do(t, c, "POST", "/logout", url.Values{"orsak": {"inaktivitet"}, "return": {"/mina-sidor"}})
		if loc := out.Header.Get("Location"); loc != "/utloggad?orsak=inaktivitet&return=%2Fmina-sidor" {
			t.Fatalf("logout for inactivity: Location %q", loc)
		}
		assertContains(t, "logged-out page", webtest.ReadBody(t, p.Follow(t, c, out)), "Du har loggats ut")
		if r := p.Do(t, c, "GET", "/mina-sidor", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("after the logout: %d", r.StatusCode)
		}
	})

	t.Run("a page view does not write the session", func(t *testing.T) {
		c := p.Client(t)
		p.Login(t, c, "adult", "/mina-sidor")
		var before, after time.Time
		var n int
		if err := p.Pool.QueryRow(ctx, `SELECT max(expiry), count(*) FROM sessions`).Scan(&before, &n); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			p.Do(t, c, "GET", "/mina-sidor/uppgifter", nil)
		}
		var m int
		if err := p.Pool.QueryRow(ctx, `SELECT max(expiry), count(*) FROM sessions`).Scan(&after, &m); err != nil {
			t.Fatal(err)
		}
		if !after.Equal(before) || m != n {
			t.Errorf("three page views wrote the session: expiry %v → %v, rows %d → %d", before, after, n, m)
		}
	})
}

// Anyone can start a login without logging in: the pending logins one address or one browser
// can make are bounded, with a page that says so in the user's language.
func TestLoginStartsBounded(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	count := func() int {
		var n int
		if err := p.Pool.QueryRow(ctx, `SELECT count(*) FROM login_pending`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("one browser", func(t *testing.T) {
		c := p.Client(t)
		for range 5 {
			p.Do(t, c, "GET", p.HostURL("motala.localhost")+"/login", nil)
		}
		if n := count(); n != 1 {
			t.Errorf("five starts by one browser left %d pending logins, want 1", n)
		}
	})

	t.Run("one address", func(t *testing.T) {
		var last *http.Response
		for range 40 {
			last = p.Do(t, p.Client(t), "GET", "/login", nil) // a client that keeps no cookies
		}
		body := webtest.ReadBody(t, last)
		if last.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("the 40th start from one address: %d", last.StatusCode)
		}
		assertContains(t, "429 page", body, "För många försök", "Vänta tio minuter")
		if n := count(); n > 31 {
			t.Errorf("%d pending logins from one address", n)
		}
	})

	t.Run("the whole installation", func(t *testing.T) {
		if _, err := p.Pool.Exec(ctx, `INSERT INTO login_pending (handle, provider, return_path, client_addr)
			SELECT 'many-' || i, 'citizen', '/', '10.0.' || (i / 250) || '.' || (i % 250) FROM generate_series(1, $1) i`, auth.MaxPendingTotal); err != nil {
			t.Fatal(err)
		}
		c := p.Client(t)
		req, _ := http.NewRequest("GET", p.HostURL("motala.localhost")+"/login", nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("a start with %d pending logins: %d", auth.MaxPendingTotal, resp.StatusCode)
		}
		resp.Body.Close()
	})

	t.Run("expired ones go", func(t *testing.T) {
		if _, err := p.Pool.Exec(ctx, `UPDATE login_pending SET created_at = now() - interval '11 minutes'`); err != nil {
			t.Fatal(err)
		}
		if r := p.Do(t, p.Client(t), "GET", "/login", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("a start after the others expired: %d", r.StatusCode)
		}
		if n := count(); n != 1 {
			t.Errorf("%d pending logins after the expired ones, want 1", n)
		}
	})
}

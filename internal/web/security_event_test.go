package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// seDo sends a request with headers of its own, such as a load balancer's X-Forwarded-For.
func seDo(t *testing.T, p *webtest.Portal, c *http.Client, method, path string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	var req *http.Request
	var err error
	if form != nil {
		req, err = http.NewRequest(method, p.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, err = http.NewRequest(method, p.URL+path, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	webtest.ReadBody(t, resp)
	return resp
}

// The access log and the security events keep the client's address, taken from X-Forwarded-For
// only from a trusted proxy; security events go to their own JSON log too; the cookie and privacy
// pages say so.
func TestClientAddressesAndSecurityEvents(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "security.log")
	p := webtest.Start(t, func(c *config.Config) {
		c.TrustProxy = true
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
		c.SecurityLog = logFile
	})
	ctx := context.Background()
	b := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(b, nil, nil)

	// A caseworker's read, through a chain of proxies: the client is the last untrusted address.
	sc := p.Client(t)
	p.LoginAt(t, sc, p.URL, "/personal", "caseworker-alingsas", "/personal")
	seDo(t, p, sc, "GET", "/personal/arenden/"+caseID, nil, map[string]string{"X-Forwarded-For": "198.51.100.23, 203.0.113.9, 127.0.0.1"})
	var addr string
	if err := p.Pool.QueryRow(ctx, `SELECT host(client_addr) FROM audit_record WHERE case_id = $1 AND what = 'case'`, caseID).Scan(&addr); err != nil || addr != "203.0.113.9" {
		t.Errorf("the read's address: %q, %v", addr, err)
	}

	// A forged request from another site, and a login refused for its level of assurance.
	if resp := seDo(t, p, p.Client(t), "POST", "/sprak", url.Values{"lang": {"en"}}, map[string]string{
		"Origin": "https://evil.example", "X-Forwarded-For": "203.0.113.10"}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the forged request: %d", resp.StatusCode)
	}
	lc := p.Client(t)
	form := p.Answer(t, p.BeginLogin(t, lc, "/mina-sidor"), "adult", devidp.Options{LoA: "http://id.elegnamnden.se/loa/1.0/loa2"})
	if resp := seDo(t, p, lc, "POST", "/saml/acs", form, map[string]string{"X-Forwarded-For": "203.0.113.11"}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the refused login: %d", resp.StatusCode)
	}
	for _, want := range []struct{ kind, reason, addr string }{
		{"forged_request", "cross_origin", "203.0.113.10"},
		{"login_failed", "loa too low", "203.0.113.11"},
	} {
		var n int
		if err := p.Pool.QueryRow(ctx, `
			SELECT count(*) FROM security_event e JOIN tenant t ON t.id = e.tenant_id
			WHERE e.kind = $1 AND e.reason = $2 AND host(e.client_addr) = $3 AND t.slug = 'alingsas' AND e.request_id <> ''`,
			want.kind, want.reason, want.addr).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s events from %s: %d, %v", want.kind, want.addr, n, err)
		}
	}

	// The same events as JSON lines in the security log, for the operator to forward.
	lines := map[string]map[string]any{}
	deadline := time.Now().Add(10 * time.Second)
	for len(lines) < 2 && time.Now().Before(deadline) {
		f, err := os.Open(logFile)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("not a JSON line: %s", sc.Text())
			}
			lines[m["kind"].(string)] = m
		}
		f.Close()
	}
	for kind, addr := range map[string]string{"forged_request": "203.0.113.10", "login_failed": "203.0.113.11"} {
		m := lines[kind]
		if m == nil || m["log"] != "security" || m["client_addr"] != addr || m["msg"] != "security event" {
			t.Errorf("the log's %s line: %v", kind, m)
		}
	}

	// The cookie and privacy pages say that addresses are kept, and for how long.
	assertContains(t, "the cookie page", b.page("/kakor"), "IP-adresser", "efter 30 dagar")
	assertContains(t, "the privacy page", b.page("/personuppgifter"), "IP-adresser", "efter 30 dagar", "90 dagar", "24 månader")
}

// Behind an untrusted peer, X-Forwarded-For is not believed: the address is the peer's.
func TestForwardedForFromAnUntrustedPeer(t *testing.T) {
	p := webtest.Start(t, func(c *config.Config) {
		c.TrustProxy = true
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		c.SecurityLog = filepath.Join(t.TempDir(), "security.log")
	})
	seDo(t, p, p.Client(t), "POST", "/sprak", url.Values{"lang": {"en"}}, map[string]string{
		"Origin": "https://evil.example", "X-Forwarded-For": "203.0.113.10"})
	var addr string
	if err := p.Pool.QueryRow(context.Background(), `SELECT host(client_addr) FROM security_event WHERE kind = 'forged_request'`).Scan(&addr); err != nil ||
		(addr != "127.0.0.1" && addr != "::1") {
		t.Errorf("the address behind an untrusted peer: %q, %v", addr, err)
	}
}

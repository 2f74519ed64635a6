package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

func get(t *testing.T, c *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPages(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`<html lang="sv">`, "Välkommen till e-tjänsterna i Alingsås kommun", `href="#main"`, `<main id="main"`}},
		{"/kakor", 200, []string{"Kakor (cookies)", "minasidor_session", "minasidor_lang", "inaktiv i 20 minuter"}},
		{"/tillganglighet", 200, []string{"Tillgänglighetsredogörelse", "WCAG 2.2", "Digg", "Kända brister"}},
		{"/finns-inte", 404, []string{"Sidan finns inte", "Till startsidan"}},
		{"/sprak", 405, []string{"Det går inte att göra så"}},
		{"/healthz", 200, []string{"ok"}},
		{"/readyz", 200, []string{"ready"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, c, p.URL+tt.path)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

// Every response carries the security headers; HSTS only in production.
func TestSecurityHeaders(t *testing.T) {
	for _, prod := range []bool{false, true} {
		var opts []webtest.Option
		if prod {
			opts = append(opts, webtest.Production)
		}
		p := webtest.Start(t, opts...)
		for _, path := range []string{"/", "/finns-inte", "/healthz", "/static/app.css"} {
			resp, _ := get(t, p.Client(t), p.URL+path)
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("%s: CSP lacks %q: %q", path, d, csp)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows inline code: %q", path, csp)
			}
			want := map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"X-Frame-Options":        "DENY",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
				}
			}
			if h.Get("X-Request-Id") == "" {
				t.Errorf("%s: no X-Request-Id", path)
			}
			if hsts := h.Get("Strict-Transport-Security"); (hsts != "") != prod {
				t.Errorf("%s: HSTS %q with production=%v", path, hsts, prod)
			}
		}
	}
}

// A POST that a browser makes on behalf of another site is refused; our own is let through.
func TestCrossOriginPostIsRefused(t *testing.T) {
	p := webtest.Start(t)
	form := url.Values{"lang": {"en"}, "return": {"/"}}.Encode()
	tests := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"fetch metadata cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"fetch metadata same-site", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, 403},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": p.URL}, 303},
		{"no browser headers (a non-browser client)", nil, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", p.URL+"/sprak", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := p.Client(t).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 403 {
				if !strings.Contains(string(body), "stoppades av säkerhetsskäl") {
					t.Errorf("403 page lacks its explanation:\n%s", body)
				}
				for _, c := range resp.Cookies() {
					if c.Name == "minasidor_lang" {
						t.Error("the refused request still set the language")
					}
				}
			}
		})
	}
}

// A body over the limit is refused with 413, whether its length is declared or not.
func TestBodyLimit(t *testing.T) {
	p := webtest.Start(t)
	big := "lang=en&return=/&pad=" + strings.Repeat("x", int(p.Config.MaxBodyBytes))
	for _, declared := range []bool{true, false} {
		var body io.Reader = strings.NewReader(big)
		if !declared {
			body = io.MultiReader(strings.NewReader(big)) // hides the length: sent chunked
		}
		req, _ := http.NewRequest("POST", p.URL+"/sprak", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := p.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "För mycket data") {
			t.Errorf("declared=%v: status %d", declared, resp.StatusCode)
		}
	}
}

// The language switch sets a cookie and returns to the page, which is then in English; a return
// address off the site leads home instead.
func TestLanguageSwitch(t *testing.T) {
	p := webtest.Start(t)
	c := p.Client(t)
	post := func(lang, ret string) *http.Response {
		resp, err := c.PostForm(p.URL+"/sprak", url.Values{"lang": {lang}, "return": {ret}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post("en", "/kakor?x=1")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/kakor?x=1" {
		t.Fatalf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := get(t, c, p.URL+"/kakor")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Cookies the website uses") {
		t.Error("the page is not in English after the switch")
	}
	if !strings.Contains(body, "inactive for 20 minutes") || strings.Contains(body, "20m0s") {
		t.Error("the cookie page does not give the session's timeout in English words")
	}
	_, body = get(t, c, p.URL+"/finns-inte")
	if !strings.Contains(body, "Page not found") {
		t.Error("the 404 page is not in English")
	}

	for _, evil := range []string{"https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", ""} {
		if loc := post("sv", evil).Header.Get("Location"); loc != "/" {
			t.Errorf("return %q led to %q", evil, loc)
		}
	}
	resp = post("fi", "/")
	if resp.StatusCode != 400 {
		t.Errorf("unknown language: status %d", resp.StatusCode)
	}
}

// The municipality comes from the host name.
func TestMunicipalityFromHost(t *testing.T) {
	p := webtest.Start(t)
	req, _ := http.NewRequest("GET", p.URL+"/", nil)
	req.Host = "motala.localhost"
	resp, err := p.Client(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "Motala kommun") || strings.Contains(string(body), "Alingsås") {
		t.Error("motala.localhost is not served as Motala kommun")
	}
}

package webtest

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/population"
)

// Login logs the client in as a test person through the development IdP's pages, as a browser
// does, and returns the page the login ended on (after the redirects).
func (p *Portal) Login(t testing.TB, c *http.Client, personKey, returnPath string) *http.Response {
	t.Helper()
	return p.LoginAt(t, c, p.URL, "", personKey, returnPath)
}

// LoginAt logs the client in on the site at origin (p.URL or p.HostURL(host)): citizens with
// prefix "", staff with "/personal" and a test staff member's key. It follows every redirect as a
// browser does, across hosts, and returns the page the login ended on.
func (p *Portal) LoginAt(t testing.TB, c *http.Client, origin, prefix, personKey, returnPath string) *http.Response {
	t.Helper()
	picker := p.Follow(t, c, p.Do(t, c, "GET", origin+prefix+"/login?return="+url.QueryEscape(returnPath), nil))
	if picker.StatusCode != http.StatusOK || picker.Request.URL.Path != "/idp/sso" {
		t.Fatalf("login start on %s: ended at %s with status %d", origin, picker.Request.URL, picker.StatusCode)
	}
	idp := picker.Request.URL
	form := HiddenInputs(ReadBody(t, picker))
	form.Set("person", personKey)
	answer := p.Do(t, c, "POST", idp.Scheme+"://"+idp.Host+"/idp/sso", form)
	if answer.StatusCode != http.StatusOK {
		t.Fatalf("development IdP: status %d", answer.StatusCode)
	}
	acs := p.Do(t, c, "POST", p.URL+prefix+"/saml/acs", HiddenInputs(ReadBody(t, answer)))
	if acs.StatusCode == http.StatusOK {
		// A login started on another host is handed over to it by a page that goes on at once.
		page := ReadBody(t, acs)
		next := HandoverLink(page)
		if next == "" {
			t.Fatalf("assertion consumer: a page without a hand-over: %s", page)
		}
		return p.Follow(t, c, p.Do(t, c, "GET", next, nil))
	}
	if acs.StatusCode != http.StatusSeeOther {
		t.Fatalf("assertion consumer: status %d: %s", acs.StatusCode, ReadBody(t, acs))
	}
	return p.Follow(t, c, acs)
}

var handoverRefresh = regexp.MustCompile(`<meta http-equiv="refresh" content="0;url=([^"]+)"`)

// HandoverLink is the address a hand-over page goes on to by itself, or "" when page is none.
func HandoverLink(page string) string {
	m := handoverRefresh.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// Follow follows the redirects of resp, as a browser does, and returns the last response.
func (p *Portal) Follow(t testing.TB, c *http.Client, resp *http.Response) *http.Response {
	t.Helper()
	for i := 0; resp.StatusCode >= 300 && resp.StatusCode < 400; i++ {
		if i == 10 {
			t.Fatalf("more than 10 redirects, the last to %s", resp.Header.Get("Location"))
		}
		next, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		resp = p.Do(t, c, "GET", next.String(), nil)
	}
	return resp
}

// BeginLogin starts a login with the client and returns the request as the IdP received it, for
// tests that make the IdP's answer themselves.
func (p *Portal) BeginLogin(t testing.TB, c *http.Client, returnPath string) *devidp.Request {
	t.Helper()
	resp := p.Do(t, c, "GET", "/login?return="+url.QueryEscape(returnPath), nil)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login start: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := loc.Query()
	req, err := p.DevIdP.Parse(httptest.NewRequest("GET", loc.String(), nil), q.Get("SAMLRequest"), q.Get("RelayState"))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// Answer is the development IdP's answer to req for the test person.
func (p *Portal) Answer(t testing.TB, req *devidp.Request, personKey string, opts devidp.Options) url.Values {
	t.Helper()
	person, ok := population.FindTestPerson(personKey)
	if !ok {
		t.Fatalf("no test person %q", personKey)
	}
	form, err := p.DevIdP.Respond(req, person, opts)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}}
}

// Do sends a request with the client; form, when given, is posted as a form. Unsafe requests
// carry the headers a browser sends on a same-origin form post.
func (p *Portal) Do(t testing.TB, c *http.Client, method, path string, form url.Values) *http.Response {
	t.Helper()
	return p.do(t, c, method, path, form, nil)
}

func (p *Portal) do(t testing.TB, c *http.Client, method, path string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = p.URL + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if method != "GET" && method != "HEAD" {
		req.Header.Set("Origin", req.URL.Scheme+"://"+req.URL.Host)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// ReadBody reads and closes a response body.
func ReadBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return string(b)
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// HiddenInputs returns the hidden inputs of the first form in the page's main content (the
// layout's own forms, such as the language switch, come before it).
func HiddenInputs(page string) url.Values {
	if m := strings.Index(page, `<main`); m >= 0 {
		page = page[m:]
	}
	if end := strings.Index(page, "</form>"); end >= 0 {
		page = page[:end]
	}
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		if !v.Has(m[1]) {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	return v
}

package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/browsertest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Every page a citizen and each kind of staff member reach by following links, one page of each
// route, read without JavaScript in a 320 px window: each passes axe and fits the window
// (Navigate checks both), and answers without an error. The journeys' tests check what the
// pages say; this one checks that none is left out of the checks that every page must pass.
func TestEveryLinkedPageWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := webtest.Start(t)
	karin := p.Client(t)
	p.Login(t, karin, "adult", "/mina-sidor")
	caseID := submitStreetLightingWith(t, p, karin)
	p.Do(t, karin, "POST", "/e-tjanster/felanmalan-gatubelysning/starta", url.Values{})
	anna := p.Client(t)
	p.LoginAt(t, anna, p.URL, "/personal", "caseworker-alingsas", "/personal")
	if resp := p.Do(t, anna, "POST", "/personal/arenden/"+caseID.String()+"/meddelande", url.Values{"text": {"Vilken stolpe gäller det?"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the caseworker's message: status %d", resp.StatusCode)
	}

	for _, user := range []struct {
		name, login, person, start string
	}{
		{"a citizen", "/login", karinName, "/mina-sidor"},
		{"a caseworker", "/personal/login", "Anna Handläggare", "/personal"},
		{"an e-service administrator", "/personal/login", "Erik Förvaltare", "/personal"},
		{"a municipality administrator", "/personal/login", "Maria Admin", "/personal"},
		{"a registrar", "/personal/login", "Ruth Registrator", "/personal"},
	} {
		t.Run(user.name, func(t *testing.T) {
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithWindowSize(320, 800))
			b.Navigate(p.URL + user.login + "?return=" + url.QueryEscape(user.start))
			bdLogin(t, b, pickPerson(user.person), user.start)
			walk(t, b, p.URL, user.start)
		})
	}
}

var download = regexp.MustCompile(`/filer/|(\.(pdf|ics|json|zip|yaml)|/export|/paket|/logotyp)($|\?)`)

// walk opens the pages the browser comes to from start by following the page's links, one page of
// each route (webtest.Route), and fails t for a page that answers with an error. It does not follow the links
// that start or end a login, or those to files.
func walk(t *testing.T, b *browsertest.Browser, base, start string) {
	t.Helper()
	queue, seen := []string{start}, map[string]bool{}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		route := webtest.Route(path)
		if seen[route] || download.MatchString(route) || strings.Contains(route, "login") || strings.Contains(route, "/saml/") ||
			strings.HasPrefix(route, "/static/") || strings.HasPrefix(route, "/idp/") {
			continue
		}
		seen[route] = true
		if status := b.Navigate(base + path); status >= 400 {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		queue = append(queue, browsertest.Eval[[]string](b, `[...document.querySelectorAll('a[href^="/"]')].map(a => a.getAttribute("href").split("#")[0])`)...)
	}
	t.Logf("%d routes from %s", len(seen), start)
}

package web_test

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// What is someone's is theirs alone: every page of a case, a draft, a booking, a register
// extract or a request that a citizen or a caseworker reaches by link (those whose address names
// an id, apart from the times a resource offers anyone), asked for by someone else, shows nothing
// of it. Another citizen and another municipality's caseworker find nothing (404); a visitor
// finds nothing or is asked to log in; a restricted caseworker finds nothing of a case not
// assigned to them.
func TestStrangersFindNothing(t *testing.T) {
	p := webtest.Start(t)
	karin, caseID, reference := karinWithCase(t, p)
	karin.start("felanmalan-gatubelysning")
	rwBook(t, p, karin)
	pdAsk(karin, url.Values{"references": {reference}, "delivery": {"mypages"}})
	if resp, _ := karin.post("/mina-sidor/uppgifter/utdrag", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the register extract: status %d", resp.StatusCode)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, body := anna.post("/personal/arenden/"+caseID+"/meddelande", url.Values{"text": {"Vilken stolpe gäller det?"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the caseworker's message: %d: %s", resp.StatusCode, errorText(body))
	}
	motala := p.HostURL("motala.localhost")
	motalaCaseworker := newBrowser(t, p)
	p.LoginAt(t, motalaCaseworker.c, motala, "/personal", "caseworker-motala", "/personal")

	for _, owner := range []struct {
		name      string
		b         *esBrowser
		start     string
		strangers []stranger
	}{
		{"the citizen's", karin, "/mina-sidor", []stranger{
			{"another citizen", loggedIn(t, p, "signatory").c, "", []int{http.StatusNotFound}},
			{"a visitor", p.Client(t), "", []int{http.StatusNotFound, http.StatusSeeOther}},
		}},
		{"the caseworker's", anna, "/personal", []stranger{
			{"another municipality's caseworker", motalaCaseworker.c, motala, []int{http.StatusNotFound}},
			{"a restricted caseworker", staffBrowser(t, p, "restricted-alingsas").c, "", []int{http.StatusNotFound}},
		}},
	} {
		var own []visit
		for _, v := range crawl(t, p, owner.b.c, p.URL, []string{owner.start}) {
			if strings.Contains(v.route, "{id}") && !strings.HasPrefix(v.route, "/boka/") && v.status == http.StatusOK {
				own = append(own, v)
			}
		}
		if len(own) < 5 {
			t.Fatalf("%s walk came to %d pages of its own", owner.name, len(own))
		}
		for _, s := range owner.strangers {
			t.Run(owner.name+" pages, to "+s.name, func(t *testing.T) {
				for _, v := range own {
					resp := p.Do(t, s.c, "GET", cmp.Or(s.origin, p.URL)+v.path, nil)
					body := webtest.ReadBody(t, resp)
					if !slices.Contains(s.statuses, resp.StatusCode) {
						t.Errorf("%s: status %d, want one of %v", v.path, resp.StatusCode, s.statuses)
					} else if resp.StatusCode == http.StatusSeeOther && !strings.Contains(resp.Header.Get("Location"), "/login") {
						t.Errorf("%s: sent to %s, not to log in", v.path, resp.Header.Get("Location"))
					}
					if strings.Contains(body, "Kungsgatan") || strings.Contains(body, "Karin") {
						t.Errorf("%s shows the case's or its applicant's details", v.path)
					}
				}
			})
		}
	}
}

// stranger is someone who should find nothing of another's, and the statuses they may get (a
// redirect only to log in).
type stranger struct {
	name     string
	c        *http.Client
	origin   string // "" for the first municipality's site
	statuses []int
}

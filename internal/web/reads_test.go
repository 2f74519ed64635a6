package web_test

import (
	"cmp"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A GET that changes nothing writes nothing, on every page, not only on those TestPageBudgets
// names: each kind of user follows every link the portal shows them, from their start page, and
// each page they reach answers without an error and writes nothing, apart from the few pages
// whose reading is itself a change (below), and those commit once. No page makes more than
// mostRoundTrips round trips to PostgreSQL (TestPageBudgets holds the busiest pages to less), and
// none shows a catalogue key in place of its text (a key built at run time that the catalogue
// lacks).

// mostRoundTrips is what any page may cost: the session, the staff member for a staff page, and
// a few reads of the page's own, which its domain call queues in batches.
const mostRoundTrips = 5

// readWrites are the pages whose reading writes, by their route with ids as {id}, and the only
// statements each may write.
var readWrites = map[string][]string{
	// The citizen's case page marks the caseworkers' messages read as it shows them.
	"/arenden/{id}": {"UPDATE message SET read_at"},
	// A staff member's reading of personal data leaves an audit record, in the read's
	// transaction; the case page marks the citizen's messages read as well.
	"/personal/arenden":                 {"INSERT INTO audit_record"},
	"/personal/arenden?…":               {"INSERT INTO audit_record"},
	"/personal/arenden/{id}":            {"INSERT INTO audit_record", "UPDATE message SET read_at"},
	"/personal/arenden/{id}/filer/{id}": {"INSERT INTO audit_record"},
	"/personal/bokningar/{id}":          {"INSERT INTO audit_record"},
	"/personal/bokningar/{id}?…":        {"INSERT INTO audit_record"},
}

func TestPagesWriteNothing(t *testing.T) {
	p := webtest.Start(t)
	karin, caseID, reference := karinWithCase(t, p)
	karin.start("felanmalan-gatubelysning")
	reviewDraft, loc := karin.start("felanmalan-gatubelysning")
	karin.walk(loc, streetLightingSteps())
	rwBook(t, p, karin)
	pdAsk(karin, url.Values{"references": {reference}, "delivery": {"mypages"}})
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, body := anna.post("/personal/arenden/"+caseID+"/meddelande", url.Values{"text": {"Vilken stolpe gäller det?"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the caseworker's message: %d: %s", resp.StatusCode, errorText(body))
	}
	if resp, body := karin.multipart("/arenden/"+caseID+"/meddelanden", url.Values{"body": {"Den vid busshållplatsen."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the citizen's message: %d: %s", resp.StatusCode, errorText(body))
	}

	motala := p.HostURL("motala.localhost")
	johan := motalaCitizen(t, p, "guardian1")
	signing, party := sendForSigning(t, p, johan)
	emma := motalaCitizen(t, p, "guardian2")
	karinInMotala, motalaCaseworker := newBrowser(t, p), newBrowser(t, p)
	p.LoginAt(t, karinInMotala.c, motala, "", "adult", "/mina-sidor")
	webtest.ReadBody(t, p.Do(t, karinInMotala.c, "POST", motala+"/sprak", url.Values{"lang": {"en"}, "return": {"/mina-sidor"}}))
	if page := webtest.ReadBody(t, p.Do(t, karinInMotala.c, "GET", motala+"/mina-sidor", nil)); !strings.Contains(page, `<html lang="en"`) {
		t.Fatal("the citizen on Motala's site does not read in English")
	}
	p.LoginAt(t, motalaCaseworker.c, motala, "/personal", "caseworker-motala", "/personal")

	for _, user := range []struct {
		name   string
		c      *http.Client
		origin string // "" for the first municipality's
		start  []string
		reach  []string // pages the walk must come to, so that it cannot pass by seeing little
	}{
		{"a guardian who sent a draft for signing", johan.c, motala, []string{"/utkast/" + signing + "/signering"},
			[]string{"/utkast/{id}/signering"}},
		{"the guardian asked to sign", emma.c, motala, []string{party}, []string{"/signera/{id}"}},
		{"a citizen on another municipality's site, in English", karinInMotala.c, motala, []string{"/mina-sidor"},
			[]string{"/mina-sidor/arenden", "/arenden/{id}", "/e-tjanster/{slug}"}},
		{"a caseworker on another municipality's site", motalaCaseworker.c, motala, []string{"/personal"},
			[]string{"/personal/arenden"}},
		{"a visitor", p.Client(t), "", []string{"/"},
			[]string{"/e-tjanster/{slug}", "/allmanna-handlingar", "/tillganglighet"}},
		{"a citizen", karin.c, "", []string{"/mina-sidor", "/utkast/" + reviewDraft + "/granska"},
			[]string{"/mina-sidor/arenden", "/arenden/{id}", "/arenden/{id}/kvitto", "/mina-sidor/bokningar/{id}",
				"/mina-sidor/allmanna-handlingar/{id}", "/utkast/{id}/granska", "/mina-sidor/uppgifter"}},
		{"a caseworker", anna.c, "", []string{"/personal"},
			[]string{"/personal/arenden", "/personal/arenden/{id}", "/personal/arenden/{id}/filer/{id}", "/personal/bokningar/{id}"}},
		{"an e-service administrator", staffBrowser(t, p, "eservice-admin-alingsas").c, "", []string{"/personal"},
			[]string{"/personal/etjanster/{id}/formular/falt/{key}", "/personal/etjanster/{id}/forhandsgranska/steg/{key}", "/personal/resurser/{id}"}},
		{"a municipality administrator", staffBrowser(t, p, "municipality-admin-alingsas").c, "", []string{"/personal"},
			[]string{"/personal/admin/kommun", "/personal/admin/integrationer", "/personal/admin/gallring"}},
		{"a registrar", staffBrowser(t, p, "registrar-alingsas").c, "", []string{"/personal"},
			[]string{"/personal/registratur", "/personal/registratur/{id}"}},
	} {
		t.Run(user.name, func(t *testing.T) {
			reached := map[string]bool{}
			for _, v := range crawl(t, p, user.c, cmp.Or(user.origin, p.URL), user.start) {
				reached[v.route] = true
				if v.status >= 400 {
					t.Errorf("%s (linked from %s): status %d", v.path, v.from, v.status)
				}
				if key := rawKey(v.body); key != "" {
					t.Errorf("%s shows the catalogue's key %q instead of its text", v.path, key)
				}
				allowed := readWrites[v.route]
				for _, s := range v.counts.Written() {
					if !slices.ContainsFunc(allowed, func(w string) bool { return strings.HasPrefix(s, w) }) {
						t.Errorf("%s (linked from %s) writes: %s", v.path, v.from, s)
					}
				}
				if v.counts.RoundTrips() > mostRoundTrips {
					t.Errorf("%s (linked from %s) makes %d round trips, more than %d:\n%s", v.path, v.from, v.counts.RoundTrips(),
						mostRoundTrips, strings.Join(v.counts.Statements(), "\n"))
				}
				if v.counts.Commits() > 1 {
					t.Errorf("%s commits %d times, want at most once:\n%s", v.path, v.counts.Commits(), strings.Join(v.counts.Statements(), "\n"))
				}
			}
			for _, r := range user.reach {
				if !reached[r] {
					t.Errorf("the walk never came to %s; it came to:\n%s", r, strings.Join(sortedKeys(reached), "\n"))
				}
			}
		})
	}
}

// visit is one page the walk read.
type visit struct {
	path, from, route string
	status            int
	body              string // an HTML page's
	counts            *db.Counts
}

var rwLink = regexp.MustCompile(`href="(/[^"#]*)`)

// crawl reads the pages the browser c comes to on the site at origin by following the links of
// its start pages and of every page after them, in the order found, and each redirect within the
// site; it reads at most two pages of a route (webtest.Route). It does not follow the links that
// start a login (they begin a SAML exchange, which is written down by design) or the static files.
func crawl(t *testing.T, p *webtest.Portal, c *http.Client, origin string, start []string) []visit {
	t.Helper()
	type link struct{ path, from string }
	queue := make([]link, 0, len(start))
	for _, s := range start {
		queue = append(queue, link{s, "the start"})
	}
	seen, perRoute := map[string]bool{}, map[string]int{}
	var visits []visit
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if seen[l.path] || skipLink(l.path) {
			continue
		}
		seen[l.path] = true
		route := webtest.Route(l.path)
		if perRoute[route]++; perRoute[route] > 2 {
			continue
		}
		// The idle deadline moves on at most once a minute, on whichever request comes then:
		// a request just before makes the measured one's writes its own.
		webtest.ReadBody(t, p.Do(t, c, "GET", origin+"/kakor", nil))
		resp, n := p.Measure(t, c, "GET", origin+l.path, nil)
		body := webtest.ReadBody(t, resp)
		v := visit{path: l.path, from: l.from, route: route, status: resp.StatusCode, counts: n}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			v.body = body
		}
		visits = append(visits, v)
		if loc := strings.TrimPrefix(resp.Header.Get("Location"), origin); strings.HasPrefix(loc, "/") {
			queue = append(queue, link{loc, l.path})
		}
		if v.body != "" {
			for _, m := range rwLink.FindAllStringSubmatch(body, -1) {
				queue = append(queue, link{html.UnescapeString(m[1]), l.path})
			}
		}
	}
	return visits
}

// keyLike is a text or an attribute's value that is a dotted name, as the catalogue's keys are.
var keyLike = regexp.MustCompile(`[>"]\s*([a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+)\s*[<"]`)

// areas are the first parts of the catalogue's keys ("booking" of "booking.admin.calendar").
var areas = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range i18n.MustLoad().Keys(i18n.Swedish) {
		area, _, _ := strings.Cut(k, ".")
		m[area] = true
	}
	return m
}()

// rawKey is the first key-like text of the page in one of the catalogue's areas: a key the
// catalogue lacks shows as itself.
func rawKey(page string) string {
	for _, m := range keyLike.FindAllStringSubmatch(page, -1) {
		if area, _, _ := strings.Cut(m[1], "."); areas[area] {
			return m[1]
		}
	}
	return ""
}

func skipLink(path string) bool {
	return strings.HasPrefix(path, "/static/") || strings.Contains(path, "/login") || strings.Contains(path, "/saml/") ||
		strings.HasPrefix(path, "/idp/")
}

// rwBook books the first free time of the first resource Karin's municipality offers.
func rwBook(t *testing.T, p *webtest.Portal, b *esBrowser) {
	t.Helper()
	var resource string
	if err := p.Pool.QueryRow(context.Background(), `SELECT r.id FROM booking_resource r JOIN tenant t ON t.id = r.tenant_id
		WHERE t.slug = 'alingsas' ORDER BY r.slug LIMIT 1`).Scan(&resource); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`name="tid" value="([^"]+)"`).FindStringSubmatch(b.page("/boka/" + resource))
	if m == nil {
		t.Fatal("no free time to book")
	}
	if resp, body := b.post("/boka/"+resource, url.Values{"tid": {m[1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the booking: %d: %s", resp.StatusCode, errorText(body))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// A page costs its few round trips whatever its data: every page a citizen and a caseworker reach
// by link makes as many round trips when the citizen has six cases, each with a message each way
// and a draft beside it, as when she has one (a statement for each row would show here).
func TestRoundTripsDoNotGrowWithData(t *testing.T) {
	roundTrips := func(cases int) map[string]int {
		p := webtest.Start(t)
		karin := loggedIn(t, p, "adult")
		anna := staffBrowser(t, p, "caseworker-alingsas")
		for range cases {
			caseID := csSubmitStreetLighting(karin, pngImage(t), nil)
			if resp, body := anna.post("/personal/arenden/"+caseID+"/meddelande", url.Values{"text": {"Vilken stolpe?"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the caseworker's message: %d: %s", resp.StatusCode, errorText(body))
			}
			if resp, body := karin.multipart("/arenden/"+caseID+"/meddelanden", url.Values{"body": {"Den vid busshållplatsen."}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the citizen's message: %d: %s", resp.StatusCode, errorText(body))
			}
			karin.start("felanmalan-gatubelysning")
		}
		most := map[string]int{}
		for _, walker := range []struct {
			b     *esBrowser
			start string
		}{{karin, "/mina-sidor"}, {anna, "/personal"}} {
			for _, v := range crawl(t, p, walker.b.c, p.URL, []string{walker.start}) {
				most[v.route] = max(most[v.route], v.counts.RoundTrips())
			}
		}
		return most
	}
	few, many := roundTrips(1), roundTrips(6)
	if len(few) < 20 {
		t.Fatalf("the walks came to %d routes", len(few))
	}
	for _, route := range sortedKeys(many) {
		if n, ok := few[route]; ok && n != many[route] {
			t.Errorf("%s: %d round trips with one case, %d with six", route, n, many[route])
		}
	}
}

package web_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Mina ärenden and the citizen's page of a case, through the real server and PostgreSQL: the
// lists of every municipality, ongoing and closed, sorting, keyset paging, what changed since
// the previous login, the case page with its answers, files, timeline and messages, and who may
// reach it.

const (
	csKarin      = "19850412-9829" // the test person "adult"
	csMotalaHost = "motala.localhost"
)

// csText is a Swedish text of the portal, as the page shows it (HTML-escaped).
func csText(t testing.TB, key string, args ...any) string {
	t.Helper()
	csTextsOnce.Do(func() {
		b, err := os.ReadFile("../i18n/messages/sv.json")
		if err == nil {
			err = json.Unmarshal(b, &csTexts)
		}
		csTextsErr = err
	})
	if csTextsErr != nil {
		t.Fatalf("sv.json: %v", csTextsErr)
	}
	s, ok := csTexts[key]
	if !ok {
		t.Fatalf("sv.json has no %s", key)
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return html.EscapeString(s)
}

var (
	csTextsOnce sync.Once
	csTexts     map[string]string
	csTextsErr  error
)

// csHostDo sends a request with the browser to another municipality's host, as a browser
// does: to that host's address, with that host's cookies only.
func csHostDo(b *esBrowser, host, method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp := b.p.Do(b.t, b.c, method, b.p.HostURL(host)+path, form)
	return resp, webtest.ReadBody(b.t, resp)
}

// csHostLogin logs the browser in on another municipality's host through the development IdP,
// as a browser does: the login starts and ends on that host, and its SAML exchange runs on the
// portal's own address. The session cookie is host-only: a browser has one session a host.
func csHostLogin(b *esBrowser, host, personKey string) {
	b.t.Helper()
	resp := b.p.LoginAt(b.t, b.c, b.p.HostURL(host), "", personKey, "/mina-sidor")
	body := webtest.ReadBody(b.t, resp)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != strings.TrimPrefix(b.p.HostURL(host), "http://") || resp.Request.URL.Path != "/mina-sidor" {
		b.t.Fatalf("login on %s ended at %s with status %d: %s", host, resp.Request.URL, resp.StatusCode, errorText(body))
	}
}

// csSubmitStreetLighting submits Alingsås's street-lighting report with the browser, with a photo
// when one is given, and returns the case's id.
func csSubmitStreetLighting(b *esBrowser, photo []byte, form url.Values) string {
	b.t.Helper()
	draftID, loc := b.start("felanmalan-gatubelysning")
	steps := streetLightingSteps()
	if photo != nil {
		fields := url.Values{"action": {"next"}}
		for k, v := range steps["fault"] {
			fields[k] = v
		}
		resp, body := b.multipart(loc, fields, upload{"photos", "lykta.png", photo})
		if resp.StatusCode != http.StatusSeeOther {
			b.t.Fatalf("the fault step with a photo: status %d: %s", resp.StatusCode, errorText(body))
		}
		loc = resp.Header.Get("Location")
	}
	if at := b.walk(loc, steps); at != "/utkast/"+draftID+"/granska" {
		b.t.Fatalf("the journey ends at %s", at)
	}
	return b.submit(draftID, form)
}

// csSubmitMotala submits Motala's water and sewage report with the browser, on Motala's host,
// and returns the case's id.
func csSubmitMotala(b *esBrowser) string {
	b.t.Helper()
	resp, body := csHostDo(b, csMotalaHost, "POST", "/e-tjanster/felanmalan-vatten-och-avlopp/starta", url.Values{})
	m := stepPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		b.t.Fatalf("start in Motala: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	draftID, loc := m[1], resp.Header.Get("Location")
	for _, answers := range []url.Values{
		{"action": {"next"}, "location": {"Drottninggatan 20"}, "fault_type": {"lacka"}, "description": {"Vatten sipprar upp ur gatan."}},
		{"action": {"next"}, "contact_way": {"nej"}},
	} {
		resp, body = csHostDo(b, csMotalaHost, "POST", loc, answers)
		if resp.StatusCode != http.StatusSeeOther {
			b.t.Fatalf("Motala step %s: status %d: %s", loc, resp.StatusCode, errorText(body))
		}
		loc = resp.Header.Get("Location")
	}
	if loc != "/utkast/"+draftID+"/granska" {
		b.t.Fatalf("the Motala journey ends at %s", loc)
	}
	resp, body = csHostDo(b, csMotalaHost, "POST", "/utkast/"+draftID+"/skicka", url.Values{})
	m = receiptPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		b.t.Fatalf("submit in Motala: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	return m[1]
}

// csCase is a case as the database has it.
type csCase struct {
	ID, Reference, Municipality string
	SubmittedAt                 time.Time
}

func csLoad(t testing.TB, p *webtest.Portal, caseID string) csCase {
	t.Helper()
	c := csCase{ID: caseID}
	err := p.Pool.QueryRow(context.Background(), `
		SELECT c.reference, t.name, c.submitted_at FROM cases c JOIN tenant t ON t.id = c.tenant_id WHERE c.id = $1`,
		caseID).Scan(&c.Reference, &c.Municipality, &c.SubmittedAt)
	if err != nil {
		t.Fatalf("case %s: %v", caseID, err)
	}
	return c
}

// csSpec is a case to insert: its reference and when it was submitted.
type csSpec struct {
	Reference string
	At        time.Time
}

// csInsert inserts cases like the real case model (same account, e-service, version and answers)
// with their submitted event, straight into the database, and returns their ids.
func csInsert(t testing.TB, p *webtest.Portal, model string, specs []csSpec) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for _, s := range specs {
		var id string
		err := p.Pool.QueryRow(ctx, `
			WITH c AS (
				INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, status, source_draft_id, submitted_at, updated_at)
				SELECT tenant_id, eservice_id, version_id, $2, account_id, answers, 'submitted', gen_random_uuid(), $3, $3
				FROM cases WHERE id = $1
				RETURNING id, tenant_id)
			INSERT INTO case_event (tenant_id, case_id, kind, at, actor)
			SELECT tenant_id, id, 'submitted', $3, 'citizen' FROM c RETURNING case_id::text`, model, s.Reference, s.At).Scan(&id)
		if err != nil {
			t.Fatalf("insert case %s: %v", s.Reference, err)
		}
		ids = append(ids, id)
	}
	return ids
}

// csRow is one row of the cases table as the page shows it.
type csRow struct {
	URL, Reference, EService, Municipality, Submitted, Status, Latest string
	Changed                                                           bool
	Unread                                                            string
}

var (
	csRowRE    = regexp.MustCompile(`<tr><td><a href="([^"]+)">([^<]*)</a></td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td></tr>`)
	csTagRE    = regexp.MustCompile(`<span class="tag new">([^<]*)</span>`)
	csMoreRE   = regexp.MustCompile(`<a class="button secondary" href="([^"]+)">([^<]*)</a>`)
	csHeadRE   = regexp.MustCompile(`<th scope="col">([^<]*)</th>`)
	csAnswerRE = regexp.MustCompile(`(?s)<h3>([^<]*)</h3>|<dt>([^<]*)</dt><dd>(.*?)</dd>`)
)

// csList is one page of Mina ärenden.
type csList struct {
	Body string
	Rows []csRow
	More string // the address of "Visa fler ärenden", if the page has it
}

func (l csList) refs() []string {
	var out []string
	for _, r := range l.Rows {
		out = append(out, r.Reference)
	}
	return out
}

func (l csList) row(t testing.TB, ref string) csRow {
	t.Helper()
	for _, r := range l.Rows {
		if r.Reference == ref {
			return r
		}
	}
	t.Fatalf("the list has no row %s; it has %q", ref, l.refs())
	return csRow{}
}

// csListPage gets a page of Mina ärenden and reads its table.
func csListPage(t testing.TB, b *esBrowser, path string) csList {
	t.Helper()
	return csParse(t, b.page(path))
}

// csParse reads the table of a page of Mina ärenden.
func csParse(t testing.TB, body string) csList {
	t.Helper()
	l := csList{Body: body}
	if i := strings.Index(body, "<tbody>"); i >= 0 {
		tbody := body[i:]
		tbody = tbody[:strings.Index(tbody, "</tbody>")]
		for _, m := range csRowRE.FindAllStringSubmatch(tbody, -1) {
			r := csRow{URL: m[1], Reference: m[2], EService: m[3], Municipality: m[4], Submitted: m[5], Status: m[6]}
			latest := m[7]
			if j := strings.Index(latest, "<"); j >= 0 {
				latest = latest[:j]
			}
			r.Latest = html.UnescapeString(strings.TrimSpace(latest))
			for _, tag := range csTagRE.FindAllStringSubmatch(m[7], -1) {
				if tag[1] == csText(t, "cases.changed") {
					r.Changed = true
				} else {
					r.Unread = tag[1]
				}
			}
			l.Rows = append(l.Rows, r)
		}
		if n := strings.Count(tbody, "<tr>"); n != len(l.Rows) {
			t.Fatalf("read %d of the table's %d rows: %s", len(l.Rows), n, tbody)
		}
	}
	more := csText(t, "cases.more")
	for _, m := range csMoreRE.FindAllStringSubmatch(body, -1) {
		if m[2] == more {
			l.More = html.UnescapeString(m[1])
		}
	}
	return l
}

// csAnswers reads the answers part of a case page or receipt: "step: label = value" lines.
func csAnswers(body, from string) []string {
	i := strings.Index(body, from)
	if i < 0 {
		return nil
	}
	body = body[i:]
	if end := strings.Index(body, "</main>"); end >= 0 {
		body = body[:end]
	}
	if end := strings.Index(body, `id="privacy-heading"`); end >= 0 { // the receipt's privacy notice follows the answers
		body = body[:end]
	}
	var out []string
	step := ""
	for _, m := range csAnswerRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			step = html.UnescapeString(m[1])
			continue
		}
		values := strings.Split(m[3], "<br>")
		for k := range values {
			values[k] = html.UnescapeString(strings.TrimSpace(values[k]))
		}
		out = append(out, step+": "+html.UnescapeString(m[2])+" = "+strings.Join(values, " | "))
	}
	return out
}

// csSection is the part of a case page under the heading with the id.
func csSection(body, headingID string) string {
	i := strings.Index(body, `id="`+headingID+`"`)
	if i < 0 {
		return ""
	}
	body = body[i:]
	if end := strings.Index(body, "</section>"); end >= 0 {
		body = body[:end]
	}
	return body
}

var csTimelineRE = regexp.MustCompile(`<li><span class="muted">[^<]*</span>([^<]*)</li>`)

func csTimeline(body string) []string {
	var out []string
	for _, m := range csTimelineRE.FindAllStringSubmatch(csSection(body, "timeline-heading"), -1) {
		out = append(out, html.UnescapeString(strings.TrimSpace(m[1])))
	}
	return out
}

// csMessage is one message of the thread as the case page shows it.
type csMessage struct {
	Mine         bool
	Author, Body string
	Files        map[string]string // name → address
}

var (
	csMessageRE = regexp.MustCompile(`(?s)<li class="message( mine)?"><p class="muted">([^<]*) · [^<]*</p><p class="body">([^<]*)</p>(.*?)</li>(?:<li class="message|</ol>)`)
	csFileRE    = regexp.MustCompile(`<a href="([^"]+)">([^<]*)</a>`)
)

func csThread(body string) []csMessage {
	s := csSection(body, "messages-heading")
	var out []csMessage
	for {
		m := csMessageRE.FindStringSubmatchIndex(s)
		if m == nil {
			return out
		}
		msg := csMessage{Mine: m[2] >= 0, Author: html.UnescapeString(s[m[4]:m[5]]), Body: html.UnescapeString(s[m[6]:m[7]]), Files: map[string]string{}}
		for _, f := range csFileRE.FindAllStringSubmatch(s[m[8]:m[9]], -1) {
			msg.Files[html.UnescapeString(f[2])] = f[1]
		}
		out = append(out, msg)
		s = s[m[9]:]
	}
}

// csCount counts rows with a query.
func csCount(t testing.TB, p *webtest.Portal, query string, args ...any) int {
	t.Helper()
	return dbInt(t, p, query, args...)
}

// csSortCookie returns the sort cookie the response sets, if any.
func csSortCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "minasidor_sort" {
			return c
		}
	}
	return nil
}

// 1. One login sees the cases of both municipalities, with every column.
func TestCasesOfBothMunicipalities(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	karinID := accountIDOf(t, p, csKarin)

	alingsas := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	// The session cookie is host-only (the jar, like a browser, keys it by the Host header), so
	// Karin logs in on Motala's host too, with the same browser.
	if resp, _ := csHostDo(karin, csMotalaHost, "GET", "/mina-sidor", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("Alingsås's session reaches Motala's host: status %d", resp.StatusCode)
	}
	csHostLogin(karin, csMotalaHost, "adult")
	motala := csLoad(t, p, csSubmitMotala(karin))
	if n := csCount(t, p, `SELECT count(*) FROM cases WHERE account_id = $1`, karinID); n != 2 {
		t.Fatalf("%d of Karin's cases, want 2", n)
	}
	if !strings.HasPrefix(alingsas.Reference, "ALI-") || !strings.HasPrefix(motala.Reference, "MOT-") || motala.Municipality != "Motala kommun" {
		t.Fatalf("cases %+v and %+v", alingsas, motala)
	}

	// The session on Alingsås's host is Karin's first login, so nothing is new there.
	want := map[string]csRow{
		alingsas.Reference: {URL: "/arenden/" + alingsas.ID, Reference: alingsas.Reference, EService: "Felanmälan gatubelysning",
			Municipality: "Alingsås kommun", Submitted: i18n.DateTime(alingsas.SubmittedAt), Status: "Inkommen", Latest: "Ärendet skickades in"},
		motala.Reference: {URL: "/arenden/" + motala.ID, Reference: motala.Reference, EService: "Felanmälan vatten och avlopp",
			Municipality: "Motala kommun", Submitted: i18n.DateTime(motala.SubmittedAt), Status: "Inkommen", Latest: "Ärendet skickades in"},
	}
	check := func(t *testing.T, l csList) {
		t.Helper()
		var heads []string
		for _, m := range csHeadRE.FindAllStringSubmatch(l.Body, -1) {
			heads = append(heads, m[1])
		}
		if wantHeads := []string{"Ärendenummer", "E-tjänst", "Kommun", "Inskickat", "Status", "Senaste händelse"}; !slices.Equal(heads, wantHeads) {
			t.Errorf("columns %q, want %q", heads, wantHeads)
		}
		// Newest first: Motala's case came second.
		if got := l.refs(); !slices.Equal(got, []string{motala.Reference, alingsas.Reference}) {
			t.Fatalf("the list has %q", got)
		}
		for ref, w := range want {
			if got := l.row(t, ref); got != w {
				t.Errorf("row %s:\n got %+v\nwant %+v", ref, got, w)
			}
		}
	}

	t.Run("on Alingsås's host", func(t *testing.T) {
		karin.t = t
		check(t, csListPage(t, karin, "/mina-sidor/arenden"))
	})
	t.Run("on Motala's host", func(t *testing.T) {
		karin.t = t
		resp, body := csHostDo(karin, csMotalaHost, "GET", "/mina-sidor/arenden", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "Motala's Mina ärenden", body, alingsas.Reference, motala.Reference, "Alingsås kommun", "Motala kommun")
		// This session's previous login is the first one, on Alingsås's host, before both cases.
		l := csParse(t, body)
		for _, c := range []csCase{alingsas, motala} {
			if !l.row(t, c.Reference).Changed {
				t.Errorf("%s, submitted after the previous login, is not marked new on Motala's host", c.Reference)
			}
		}
	})
	t.Run("each case page opens from the list", func(t *testing.T) {
		karin.t = t
		for _, c := range []csCase{alingsas, motala} {
			body := karin.page("/arenden/" + c.ID)
			assertContains(t, "the case page of "+c.Reference, body, "<h1>Ärende "+c.Reference+"</h1>", c.Municipality+" · "+want[c.Reference].EService)
		}
	})
	t.Run("the overview counts both", func(t *testing.T) {
		karin.t = t
		assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.summary", 2, 0))
	})
}

// 2. Closing a case moves it from the ongoing list to the closed one.
func TestCasesOngoingAndClosed(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	cases := casework.NewStore(p.Pool, p.Notices)
	karin := loggedIn(t, p, "adult")
	first := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	second := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))

	l := csListPage(t, karin, "/mina-sidor/arenden")
	if got := l.refs(); !slices.Equal(got, []string{second.Reference, first.Reference}) {
		t.Errorf("ongoing: %q", got)
	}
	assertContains(t, "the tabs", l.Body, `<a href="/mina-sidor/arenden" aria-current="page">`+csText(t, "cases.ongoing")+`</a>`,
		`<a href="/mina-sidor/arenden?visa=avslutade">`+csText(t, "cases.closed")+`</a>`)
	closedList := csListPage(t, karin, "/mina-sidor/arenden?visa=avslutade")
	if len(closedList.Rows) != 0 {
		t.Errorf("closed before any is closed: %q", closedList.refs())
	}
	assertContains(t, "the closed tab", closedList.Body, csText(t, "cases.none"), `<a href="/mina-sidor/arenden?visa=avslutade" aria-current="page">`)
	assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.summary", 2, 0))

	if err := cases.Close(ctx, p.StaffMember(t, "ali-1001"), uuid.MustParse(first.ID), "Klart."); err != nil {
		t.Fatal(err)
	}

	l = csListPage(t, karin, "/mina-sidor/arenden")
	if got := l.refs(); !slices.Equal(got, []string{second.Reference}) {
		t.Errorf("ongoing after closing %s: %q", first.Reference, got)
	}
	closedList = csListPage(t, karin, "/mina-sidor/arenden?visa=avslutade")
	if got := closedList.refs(); !slices.Equal(got, []string{first.Reference}) {
		t.Fatalf("closed after closing %s: %q", first.Reference, got)
	}
	if r := closedList.row(t, first.Reference); r.Status != "Avslutat" || r.Latest != "Status ändrad" {
		t.Errorf("the closed row: %+v", r)
	}
	assertContains(t, "the closed list's sort form", closedList.Body, `<input type="hidden" name="visa" value="avslutade">`)
	assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.summary", 1, 1))
}

// 3. The chosen sort order is kept in a cookie.
func TestCasesSort(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	real := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	now := time.Now()
	// Reference order differs from both time orders.
	csInsert(t, p, real.ID, []csSpec{
		{"ALI-2024-000300", now.Add(-1 * time.Hour)},
		{"ALI-2024-000100", now.Add(-2 * time.Hour)},
		{"ALI-2024-000400", now.Add(-3 * time.Hour)},
		{"ALI-2024-000200", now.Add(-4 * time.Hour)},
	})
	newest := []string{real.Reference, "ALI-2024-000300", "ALI-2024-000100", "ALI-2024-000400", "ALI-2024-000200"}
	oldest := slices.Clone(newest)
	slices.Reverse(oldest)
	byRef := []string{"ALI-2024-000100", "ALI-2024-000200", "ALI-2024-000300", "ALI-2024-000400", real.Reference}

	step := func(t *testing.T, path string, want []string, setCookie string) {
		t.Helper()
		resp, body := karin.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, errorText(body))
		}
		c := csSortCookie(resp)
		switch {
		case setCookie == "" && c != nil:
			t.Errorf("GET %s sets the sort cookie to %q", path, c.Value)
		case setCookie != "" && c == nil:
			t.Errorf("GET %s sets no sort cookie", path)
		case setCookie != "":
			if c.Value != setCookie || !c.HttpOnly || c.Path != "/mina-sidor" || c.MaxAge < 300*24*3600 || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("GET %s sets %s", path, c.String())
			}
		}
		if got := csParse(t, body).refs(); !slices.Equal(got, want) {
			t.Errorf("GET %s lists %q, want %q", path, got, want)
		}
	}

	t.Run("newest first without a choice", func(t *testing.T) {
		karin.t = t
		step(t, "/mina-sidor/arenden", newest, "")
		assertContains(t, "the sort menu", karin.page("/mina-sidor/arenden"), `<option value="newest" selected>`)
	})
	t.Run("by reference, remembered", func(t *testing.T) {
		karin.t = t
		step(t, "/mina-sidor/arenden?sortera=reference", byRef, "reference")
		step(t, "/mina-sidor/arenden", byRef, "")
		assertContains(t, "the sort menu", karin.page("/mina-sidor/arenden"), `<option value="reference" selected>`)
	})
	t.Run("oldest first, remembered", func(t *testing.T) {
		karin.t = t
		step(t, "/mina-sidor/arenden?sortera=oldest", oldest, "oldest")
		step(t, "/mina-sidor/arenden", oldest, "")
	})
	t.Run("newest first, remembered", func(t *testing.T) {
		karin.t = t
		step(t, "/mina-sidor/arenden?sortera=newest", newest, "newest")
		step(t, "/mina-sidor/arenden", newest, "")
	})
	t.Run("an unknown order keeps the remembered one", func(t *testing.T) {
		karin.t = t
		step(t, "/mina-sidor/arenden?sortera=reference", byRef, "reference")
		step(t, "/mina-sidor/arenden?sortera=status%27--", byRef, "")
	})
	t.Run("another browser has the default", func(t *testing.T) {
		other := loggedIn(t, p, "adult")
		if got := csListPage(t, other, "/mina-sidor/arenden").refs(); !slices.Equal(got, newest) {
			t.Errorf("another browser lists %q", got)
		}
	})
	t.Run("the cookie page lists the cookie", func(t *testing.T) {
		body := newBrowser(t, p).page("/kakor")
		assertContains(t, "the cookie page", body, "<code>minasidor_sort</code>", csText(t, "cookies.sort.purpose"))
	})
}

// 4. Keyset paging: every case once, in order, 20 a page.
func TestCasesPaging(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	karinID := accountIDOf(t, p, csKarin)
	real := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))

	rng := rand.New(rand.NewPCG(7, 11))
	numbers := rng.Perm(44)
	base := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	var specs []csSpec
	for i := range 44 {
		// Three cases at a time share their submission time: the id breaks the tie.
		specs = append(specs, csSpec{fmt.Sprintf("ALI-2024-%06d", 500+numbers[i]), base.Add(-time.Duration(i/3) * time.Minute)})
	}
	csInsert(t, p, real.ID, specs)
	if n := csCount(t, p, `SELECT count(*) FROM cases WHERE account_id = $1`, karinID); n != 45 {
		t.Fatalf("%d cases, want 45", n)
	}

	// The orders the pages must follow, worked out here.
	type key struct {
		ref string
		at  time.Time
		id  string
	}
	var keys []key
	rows, err := p.Pool.Query(t.Context(), `SELECT reference, submitted_at, id::text FROM cases WHERE account_id = $1`, karinID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.ref, &k.at, &k.id); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	order := func(cmp func(a, b key) int) []string {
		s := slices.Clone(keys)
		slices.SortFunc(s, cmp)
		var out []string
		for _, k := range s {
			out = append(out, k.ref)
		}
		return out
	}
	byTime := func(a, b key) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	}
	want := map[string][]string{
		"newest":    order(func(a, b key) int { return -byTime(a, b) }),
		"oldest":    order(byTime),
		"reference": order(func(a, b key) int { return strings.Compare(a.ref+a.id, b.ref+b.id) }),
	}

	for _, sort := range []string{"newest", "reference", "oldest"} {
		t.Run(sort, func(t *testing.T) {
			karin.t = t
			path := "/mina-sidor/arenden?sortera=" + sort
			var all []string
			var sizes []int
			for page := 1; path != ""; page++ {
				if page > 5 {
					t.Fatalf("more than 5 pages")
				}
				l := csListPage(t, karin, path)
				all = append(all, l.refs()...)
				sizes = append(sizes, len(l.Rows))
				if l.More != "" {
					u, err := url.Parse(l.More)
					if err != nil || u.Path != "/mina-sidor/arenden" || u.Query().Get("efter") == "" {
						t.Fatalf("page %d: the more link is %q", page, l.More)
					}
				}
				path = l.More
			}
			if !slices.Equal(sizes, []int{20, 20, 5}) {
				t.Errorf("page sizes %v, want [20 20 5]", sizes)
			}
			if !slices.Equal(all, want[sort]) {
				t.Errorf("the pages list\n%q\nwant\n%q", all, want[sort])
			}
			seen := map[string]bool{}
			for _, ref := range all {
				if seen[ref] {
					t.Errorf("%s is on two pages", ref)
				}
				seen[ref] = true
			}
			if len(seen) != 45 {
				t.Errorf("%d different cases on the pages, want 45", len(seen))
			}
		})
	}

	t.Run("a garbage cursor gives the first page", func(t *testing.T) {
		karin.t = t
		first := csListPage(t, karin, "/mina-sidor/arenden?sortera=newest")
		long := base64.RawURLEncoding.EncodeToString(make([]byte, 200))
		for _, cursor := range []string{"garbage", "!!!", "AAAA", "%00", long, "' OR 1=1 --", base64.RawURLEncoding.EncodeToString([]byte("kort"))} {
			resp, body := karin.get("/mina-sidor/arenden?efter=" + url.QueryEscape(cursor))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("cursor %q: status %d: %s", cursor, resp.StatusCode, errorText(body))
				continue
			}
			if got := csListPage(t, karin, "/mina-sidor/arenden?efter="+url.QueryEscape(cursor)).refs(); !slices.Equal(got, first.refs()) {
				t.Errorf("cursor %q lists %q, want the first page", cursor, got)
			}
		}
	})

	// A cursor that decodes but holds nonsense (a time far out of range, a reference that is not
	// UTF-8) is still no server error.
	t.Run("a forged cursor is no server error", func(t *testing.T) {
		karin.t = t
		forge := func(micros uint64, ref string) string {
			b := binary.BigEndian.AppendUint64(nil, micros)
			b = append(b, uuid.New().String()[:16]...)
			b = append(b, ref...)
			return base64.RawURLEncoding.EncodeToString(b)
		}
		for name, cursor := range map[string]string{
			"time far in the future": forge(1<<63-1, "ALI-2024-000510"),
			"time far in the past":   forge(1<<63, "ALI-2024-000510"),
			"reference not UTF-8":    forge(uint64(base.UnixMicro()), "ALI-\xff\xfe"),
		} {
			for _, sort := range []string{"newest", "oldest", "reference"} {
				resp, body := karin.get("/mina-sidor/arenden?sortera=" + sort + "&efter=" + cursor)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s, %s: status %d: %s", name, sort, resp.StatusCode, errorText(body))
				}
			}
		}
	})

	// The closed list pages too, and its link stays on the closed list.
	t.Run("the closed list", func(t *testing.T) {
		karin.t = t
		if _, err := p.Pool.Exec(t.Context(), `
			UPDATE cases SET status = 'closed', closed_at = now()
			WHERE id IN (SELECT id FROM cases WHERE account_id = $1 ORDER BY reference LIMIT 25)`, karinID); err != nil {
			t.Fatal(err)
		}
		l := csListPage(t, karin, "/mina-sidor/arenden?visa=avslutade&sortera=reference")
		if len(l.Rows) != 20 || l.More == "" {
			t.Fatalf("the first closed page has %d rows, more %q", len(l.Rows), l.More)
		}
		u, _ := url.Parse(l.More)
		if u.Query().Get("visa") != "avslutade" {
			t.Errorf("the more link %q leaves the closed list", l.More)
		}
		next := csListPage(t, karin, l.More)
		all := append(l.refs(), next.refs()...)
		if !slices.Equal(all, want["reference"][:25]) || next.More != "" {
			t.Errorf("the closed pages list %q (more %q), want %q", all, next.More, want["reference"][:25])
		}
		ongoing := csListPage(t, karin, "/mina-sidor/arenden")
		if !slices.Equal(ongoing.refs(), want["reference"][25:]) || ongoing.More != "" {
			t.Errorf("the ongoing page lists %q (more %q)", ongoing.refs(), ongoing.More)
		}
		assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.summary", 20, 25))
	})
}

// 5. What happened since the previous login is marked.
func TestCasesChangedSincePreviousLogin(t *testing.T) {
	p := webtest.Start(t)
	first := loggedIn(t, p, "adult")
	a := csLoad(t, p, csSubmitStreetLighting(first, nil, nil))
	b := csLoad(t, p, csSubmitStreetLighting(first, nil, nil))
	c := csLoad(t, p, csSubmitStreetLighting(first, nil, nil))

	// marked checks that a browser's Mina ärenden marks each of the three cases new, or none.
	marked := func(t *testing.T, br *esBrowser, want bool) csList {
		br.t = t
		l := csListPage(t, br, "/mina-sidor/arenden")
		for _, x := range []csCase{a, b, c} {
			if got := l.row(t, x.Reference).Changed; got != want {
				t.Errorf("%s marked new: %v, want %v", x.Reference, got, want)
			}
		}
		return l
	}
	second := loggedIn(t, p, "adult")
	t.Run("cases submitted since the previous login are new", func(t *testing.T) { marked(t, second, true) })

	third := loggedIn(t, p, "adult")
	// The session keeps the previous login of its own login: a login in another browser does not
	// take away what this one shows as new.
	t.Run("a session keeps its previous login", func(t *testing.T) { marked(t, second, true) })
	t.Run("nothing is new after another login", func(t *testing.T) {
		l := marked(t, third, false)
		assertLacks(t, "Mina ärenden", l.Body, csText(t, "cases.changed"))
	})

	t.Run("a caseworker's message and an update are new", func(t *testing.T) {
		third.t = t
		if _, err := message.NewStore(p.Pool, p.Notices).Send(t.Context(), uuid.MustParse(a.ID), message.Caseworker, "Handläggare Anna",
			"Vi har skickat en montör.", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Pool.Exec(t.Context(), `UPDATE cases SET updated_at = now() WHERE id = $1`, b.ID); err != nil {
			t.Fatal(err)
		}
		l := csListPage(t, third, "/mina-sidor/arenden")
		if r := l.row(t, a.Reference); !r.Changed || r.Latest != "Nytt meddelande" {
			t.Errorf("the case with a new message: %+v", r)
		}
		if !l.row(t, b.Reference).Changed {
			t.Errorf("the updated case is not marked new")
		}
		if l.row(t, c.Reference).Changed {
			t.Errorf("the untouched case is marked new")
		}
		if n := strings.Count(l.Body, csText(t, "cases.changed")); n != 2 {
			t.Errorf("%d cases marked new, want 2", n)
		}
	})
}

// 6. The case page: the answers exactly as submitted, the form's file, the timeline.
func TestCasePageAnswersFileAndTimeline(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	photo := pngImage(t)
	c := csLoad(t, p, csSubmitStreetLighting(karin, photo, nil))
	var fileID string
	if err := p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE case_id = $1`, c.ID).Scan(&fileID); err != nil {
		t.Fatal(err)
	}
	pageURL := "/arenden/" + c.ID
	fileURL := pageURL + "/filer/" + fileID
	body := karin.page(pageURL)

	t.Run("the facts", func(t *testing.T) {
		assertContains(t, "the case page", body, "<h1>Ärende "+c.Reference+"</h1>", "Alingsås kommun · Felanmälan gatubelysning",
			"<dt>Status</dt><dd>Inkommen</dd>", "<dd>"+i18n.DateTime(c.SubmittedAt)+"</dd>", "<title>Ärende "+c.Reference)
	})

	t.Run("the answers exactly as submitted", func(t *testing.T) {
		want := []string{
			"Felet: Gata eller plats = Kungsgatan 12",
			"Felet: Vad är fel? = En lykta är släckt",
			"Felet: Beskriv felet = Lyktan vid busshållplatsen har varit släckt i en vecka.",
			"Felet: Foton (frivilligt) = lykta.png",
			"Återkoppling: Vill du få återkoppling? = Nej",
		}
		got := csAnswers(body, `id="answers-heading"`)
		if !slices.Equal(got, want) {
			t.Errorf("the case page's answers:\n%q\nwant\n%q", got, want)
		}
		receipt := karin.page(pageURL + "/kvitto")
		if fromReceipt := csAnswers(receipt, "Dina svar"); !slices.Equal(fromReceipt, got) {
			t.Errorf("the receipt's answers %q differ from the case page's %q", fromReceipt, got)
		}
	})

	t.Run("the form's file downloads", func(t *testing.T) {
		files := csSection(body, "answers-heading")
		assertContains(t, "the answers", files, csText(t, "case.files"), `<a href="`+fileURL+`">lykta.png</a>`)
		resp, data := karin.get(fileURL)
		if resp.StatusCode != http.StatusOK || data != string(photo) {
			t.Fatalf("download: status %d, %d bytes of %d", resp.StatusCode, len(data), len(photo))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("content type %q", ct)
		}
		disposition, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disposition != "attachment" || params["filename"] != "lykta.png" {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}
		for _, bad := range []string{pageURL + "/filer/inte-ett-id", pageURL + "/filer/" + uuid.NewString()} {
			resp, page := karin.get(bad)
			assertNotFound(t, bad, resp, page)
		}
	})

	t.Run("the timeline", func(t *testing.T) {
		if got := csTimeline(body); !slices.Equal(got, []string{"Ärendet skickades in"}) {
			t.Errorf("timeline %q", got)
		}
		if err := casework.NewStore(p.Pool, p.Notices).SetStatus(t.Context(), p.StaffMember(t, "ali-1001"), uuid.MustParse(c.ID), "under_handlaggning", ""); err != nil {
			t.Fatal(err)
		}
		karin.t = t
		after := karin.page(pageURL)
		if got := csTimeline(after); !slices.Equal(got, []string{"Ärendet skickades in", "Status ändrad till Under handläggning"}) {
			t.Errorf("timeline after the status change %q", got)
		}
		assertContains(t, "the case page", after, "<dt>Status</dt><dd>Under handläggning</dd>")
		r := csListPage(t, karin, "/mina-sidor/arenden").row(t, c.Reference)
		if r.Status != "Under handläggning" || r.Latest != "Status ändrad" {
			t.Errorf("the list row after the status change: %+v", r)
		}
	})
}

// 7. Messages: unread, read on opening, the citizen's answer with an attachment, refusals.
func TestCaseMessages(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	karin := loggedIn(t, p, "adult")
	karinID := accountIDOf(t, p, csKarin)
	c := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	caseID := uuid.MustParse(c.ID)
	pageURL := "/arenden/" + c.ID
	sendURL := pageURL + "/meddelanden"
	const question = "Hej Karin! Vilken stolpe gäller det? Det finns två vid hållplatsen."

	if _, err := message.NewStore(p.Pool, p.Notices).Send(ctx, caseID, message.Caseworker, "Handläggare Anna", question, nil); err != nil {
		t.Fatal(err)
	}
	messages := func() int {
		return csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1`, c.ID)
	}
	uploads := func() int {
		return csCount(t, p, `SELECT count(*) FROM upload WHERE case_id = $1`, c.ID)
	}

	t.Run("the caseworker's message is unread and noticed", func(t *testing.T) {
		karin.t = t
		r := csListPage(t, karin, "/mina-sidor/arenden").row(t, c.Reference)
		if r.Unread != csText(t, "cases.unread", 1) || r.Latest != "Nytt meddelande" {
			t.Errorf("the row: %+v", r)
		}
		assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.unread", 1))
		// Made once, whether or not the portal's job queue has delivered it yet: a test that also
		// wanted it undelivered lost the race with the queue's next poll on a slow machine.
		if n := csCount(t, p, `SELECT count(*) FROM notice WHERE kind = 'new_message' AND account_id = $1 AND case_id = $2`, karinID, c.ID); n != 1 {
			t.Errorf("%d new_message notices for Karin, want 1", n)
		}
	})

	t.Run("opening the case reads it", func(t *testing.T) {
		karin.t = t
		body := karin.page(pageURL)
		thread := csThread(body)
		if len(thread) != 1 || thread[0].Mine || thread[0].Author != "Handläggare Anna" || thread[0].Body != question {
			t.Fatalf("the thread: %+v", thread)
		}
		assertLacks(t, "the case page", body, csText(t, "case.messages.none"))
		if n := csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1 AND sender = 'caseworker' AND read_at IS NOT NULL`, c.ID); n != 1 {
			t.Errorf("%d read caseworker messages, want 1", n)
		}
		l := csListPage(t, karin, "/mina-sidor/arenden")
		if r := l.row(t, c.Reference); r.Unread != "" {
			t.Errorf("the row after reading: %+v", r)
		}
		assertLacks(t, "Mina ärenden", l.Body, "olästa meddelanden")
		assertLacks(t, "Mina sidor", karin.page("/mina-sidor"), "olästa meddelanden")
	})

	var attachmentURL string
	pdf := pdfDocument("Karta över hållplatsen")
	const answer = "Det är den norra stolpen, närmast kiosken <b>nr 3</b>.\nSe kartan."

	t.Run("the citizen answers with an attachment", func(t *testing.T) {
		karin.t = t
		resp, body := karin.multipart(sendURL, url.Values{"body": {answer}}, upload{"files", "karta.pdf", pdf})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != pageURL+"?skickat=1#messages-heading" {
			t.Fatalf("send: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
		}
		page := karin.page(pageURL + "?skickat=1")
		assertContains(t, "the case page after sending", page, csText(t, "case.message.sent"))
		thread := csThread(page)
		if len(thread) != 2 {
			t.Fatalf("the thread has %d messages: %+v", len(thread), thread)
		}
		if thread[0].Author != "Handläggare Anna" || thread[0].Mine || thread[0].Body != question {
			t.Errorf("first message %+v", thread[0])
		}
		if !thread[1].Mine || thread[1].Author != "Du" || thread[1].Body != answer || len(thread[1].Files) != 1 {
			t.Errorf("second message %+v", thread[1])
		}
		attachmentURL = thread[1].Files["karta.pdf"]
		if !strings.HasPrefix(attachmentURL, pageURL+"/filer/") {
			t.Fatalf("the attachment's link is %q", attachmentURL)
		}
		// The message is the citizen's, so it is read by nobody yet and noticed to nobody.
		if n := csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1 AND sender = 'citizen' AND body = $2 AND read_at IS NULL`, c.ID, answer); n != 1 {
			t.Errorf("%d stored citizen messages", n)
		}
		if n := csCount(t, p, `SELECT count(*) FROM notice WHERE kind = 'new_message'`); n != 1 {
			t.Errorf("%d new_message notices, want still 1", n)
		}
		// The text is shown as text, never as markup.
		assertContains(t, "the thread", page, "kiosken &lt;b&gt;nr 3&lt;/b&gt;.")
		assertLacks(t, "the thread", page, "<b>nr 3</b>")
		// The citizen's own message is nothing unread for her.
		if r := csListPage(t, karin, "/mina-sidor/arenden").row(t, c.Reference); r.Unread != "" || r.Latest != "Nytt meddelande" {
			t.Errorf("the row after her answer: %+v", r)
		}
		// The answer's own file is not listed with the form's files.
		assertLacks(t, "the answers", csSection(page, "answers-heading"), "karta.pdf")
		// And a later visit does not say "sent" again.
		assertLacks(t, "the case page", karin.page(pageURL), csText(t, "case.message.sent"))
	})

	t.Run("the attachment downloads", func(t *testing.T) {
		karin.t = t
		if attachmentURL == "" {
			t.Skip("no attachment")
		}
		resp, data := karin.get(attachmentURL)
		if resp.StatusCode != http.StatusOK || data != string(pdf) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download: status %d, type %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(data))
		}
		disposition, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disposition != "attachment" || params["filename"] != "karta.pdf" {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
	})

	t.Run("an empty message is refused", func(t *testing.T) {
		karin.t = t
		beforeMessages, beforeUploads := messages(), uploads()
		for _, empty := range []string{"", "   \r\n\t "} {
			resp, body := karin.multipart(sendURL, url.Values{"body": {empty}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("body %q: status %d, want 422", empty, resp.StatusCode)
				continue
			}
			assertContains(t, "the refusal", body, csText(t, "error.message.empty"), `class="error-summary"`, `href="#body"`)
		}
		// An attachment without a text is an empty message too.
		resp, body := karin.multipart(sendURL, url.Values{"body": {""}}, upload{"files", "karta.pdf", pdf})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, csText(t, "error.message.empty")) {
			t.Errorf("an attachment without a text: status %d", resp.StatusCode)
		}
		if messages() != beforeMessages || uploads() != beforeUploads {
			t.Errorf("refused messages were stored: %d messages, %d files (before %d, %d)", messages(), uploads(), beforeMessages, beforeUploads)
		}
	})

	t.Run("an attachment of a type not taken is refused with the text kept", func(t *testing.T) {
		karin.t = t
		beforeMessages, beforeUploads := messages(), uploads()
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00"), make([]byte, 200)...)
		const typed = "Här kommer en bild på stolpen & kiosken <3"
		for _, f := range []upload{
			{"files", "anteckningar.txt", []byte("Stolpen står närmast kiosken.\n")},
			{"files", "karta.pdf", exe},
		} {
			resp, body := karin.multipart(sendURL, url.Values{"body": {typed}}, f)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", f.Name, resp.StatusCode)
				continue
			}
			assertContains(t, "the refusal of "+f.Name, body, csText(t, "error.file.type"), `class="error-summary"`,
				`aria-describedby="body-hint">`+html.EscapeString(typed)+`</textarea>`)
			assertLacks(t, "the refusal of "+f.Name, body, csText(t, "case.message.sent"))
		}
		// Six files, one more than a message takes.
		var six []upload
		for i := range 6 {
			six = append(six, upload{"files", fmt.Sprintf("sida%d.pdf", i+1), pdfDocument("Sida")})
		}
		resp, body := karin.multipart(sendURL, url.Values{"body": {typed}}, six...)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("six files: status %d, want 422", resp.StatusCode)
		} else {
			assertContains(t, "the refusal of six files", body, csText(t, "error.message.files"), html.EscapeString(typed)+`</textarea>`)
		}
		if messages() != beforeMessages || uploads() != beforeUploads {
			t.Errorf("refused messages were stored: %d messages, %d files (before %d, %d)", messages(), uploads(), beforeMessages, beforeUploads)
		}
	})
}

// 8. A closed case keeps its thread readable but takes no new messages.
func TestCasePageClosedTakesNoMessages(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	karin := loggedIn(t, p, "adult")
	c := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	caseID := uuid.MustParse(c.ID)
	pageURL := "/arenden/" + c.ID
	msgs := message.NewStore(p.Pool, p.Notices)
	if _, err := msgs.Send(ctx, caseID, message.Caseworker, "Handläggare Anna", "Lyktan är lagad.", nil); err != nil {
		t.Fatal(err)
	}
	if resp, body := karin.multipart(pageURL+"/meddelanden", url.Values{"body": {"Tack!"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send before closing: status %d: %s", resp.StatusCode, errorText(body))
	}
	if err := casework.NewStore(p.Pool, p.Notices).Close(ctx, p.StaffMember(t, "ali-1001"), caseID, "Klart."); err != nil {
		t.Fatal(err)
	}

	body := karin.page(pageURL)
	t.Run("the page says so and has no form", func(t *testing.T) {
		assertContains(t, "the closed case's page", body, csText(t, "case.closed.nomessages"), "<dt>Status</dt><dd>Avslutat</dd>")
		assertLacks(t, "the closed case's page", body, `action="`+pageURL+`/meddelanden"`, "<textarea", `name="files"`)
	})
	t.Run("the thread is still readable", func(t *testing.T) {
		thread := csThread(body)
		if len(thread) != 2 || thread[0].Body != "Lyktan är lagad." || thread[1].Body != "Tack!" || !thread[1].Mine {
			t.Errorf("the thread: %+v", thread)
		}
		if got := csTimeline(body); len(got) == 0 || got[len(got)-1] != "Status ändrad till Avslutat" {
			t.Errorf("timeline %q", got)
		}
	})
	t.Run("a message posted anyway is refused", func(t *testing.T) {
		karin.t = t
		before := csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1`, c.ID)
		resp, page := karin.multipart(pageURL+"/meddelanden", url.Values{"body": {"En fråga till"}}, upload{"files", "karta.pdf", pdfDocument("Karta")})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(page))
		}
		if !strings.Contains(page, csText(t, "error.message.closed")) {
			t.Errorf("the refusal does not say why (%q): %s", csText(t, "error.message.closed"), errorText(page))
		}
		if n := csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1`, c.ID); n != before {
			t.Errorf("%d messages after the refusal, %d before", n, before)
		}
		if n := csCount(t, p, `SELECT count(*) FROM upload WHERE case_id = $1`, c.ID); n != 0 {
			t.Errorf("%d files stored with the closed case", n)
		}
	})
	t.Run("the store refuses too", func(t *testing.T) {
		if _, err := msgs.Send(ctx, caseID, message.Caseworker, "Handläggare Anna", "En sak till.", nil); err != message.ErrClosed {
			t.Errorf("a caseworker's message to a closed case: %v", err)
		}
	})
}

// 9. Nobody else reaches a citizen's case.
func TestCasePageAccess(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	photo := pngImage(t)
	c := csLoad(t, p, csSubmitStreetLighting(karin, photo, nil))
	other := csLoad(t, p, csSubmitStreetLighting(karin, photo, nil))
	var fileID, otherFileID string
	p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE case_id = $1`, c.ID).Scan(&fileID)
	p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE case_id = $1`, other.ID).Scan(&otherFileID)
	if fileID == "" || otherFileID == "" {
		t.Fatal("the cases have no files")
	}
	pageURL := "/arenden/" + c.ID
	fileURL := pageURL + "/filer/" + fileID
	sendURL := pageURL + "/meddelanden"
	stored := func() int {
		return csCount(t, p, `SELECT count(*) FROM message`) + csCount(t, p, `SELECT count(*) FROM upload WHERE message_id IS NOT NULL`)
	}

	t.Run("another citizen gets not found", func(t *testing.T) {
		guardian := loggedIn(t, p, "guardian1")
		resp, body := guardian.get(pageURL)
		assertNotFound(t, "the case page", resp, body)
		assertLacks(t, "the 404", body, c.Reference, "Kungsgatan")
		resp, body = guardian.get(fileURL)
		assertNotFound(t, "the case's file", resp, body)
		resp, body = guardian.multipart(sendURL, url.Values{"body": {"Hej"}}, upload{"files", "x.pdf", pdfDocument("x")})
		assertNotFound(t, "a message", resp, body)
		if n := stored(); n != 0 {
			t.Errorf("%d messages and attachments stored", n)
		}
		assertLacks(t, "the other citizen's Mina ärenden", guardian.page("/mina-sidor/arenden"), c.Reference)
	})

	t.Run("a visitor is sent to log in", func(t *testing.T) {
		visitor := newBrowser(t, p)
		for _, try := range []struct {
			name, method, path, back string
		}{
			{"the case page", "GET", pageURL, pageURL},
			{"the case's file", "GET", fileURL, fileURL},
			{"a message", "POST", sendURL, sendURL},
			{"Mina ärenden", "GET", "/mina-sidor/arenden?visa=avslutade", "/mina-sidor/arenden?visa=avslutade"},
		} {
			var resp *http.Response
			var body string
			if try.method == "POST" {
				resp, body = visitor.multipart(try.path, url.Values{"body": {"Hej"}})
			} else {
				resp, body = visitor.get(try.path)
			}
			if want := "/login?return=" + url.QueryEscape(try.back); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("%s: status %d, location %q, want 303 to %s", try.name, resp.StatusCode, resp.Header.Get("Location"), want)
			}
			assertLacks(t, try.name, body, c.Reference)
		}
		if n := stored(); n != 0 {
			t.Errorf("%d messages and attachments stored", n)
		}
	})

	t.Run("the owner cannot reach another case's file through hers", func(t *testing.T) {
		karin.t = t
		resp, body := karin.get(pageURL + "/filer/" + otherFileID)
		assertNotFound(t, "another case's file", resp, body)
		karin.page("/arenden/" + other.ID + "/filer/" + otherFileID)
	})

	t.Run("nonsense addresses", func(t *testing.T) {
		karin.t = t
		for _, path := range []string{"/arenden/inte-ett-id", "/arenden/" + uuid.NewString(), "/arenden/" + uuid.NewString() + "/filer/" + fileID} {
			resp, body := karin.get(path)
			assertNotFound(t, path, resp, body)
		}
		resp, body := karin.multipart("/arenden/"+uuid.NewString()+"/meddelanden", url.Values{"body": {"Hej"}})
		assertNotFound(t, "a message to no case", resp, body)
	})

	t.Run("an anonymous case is not hers", func(t *testing.T) {
		karin.t = t
		anon := csLoad(t, p, csSubmitStreetLighting(karin, nil, url.Values{"anonymous": {"yes"}}))
		if n := csCount(t, p, `SELECT count(*) FROM cases WHERE id = $1 AND anonymous AND account_id IS NULL`, anon.ID); n != 1 {
			t.Fatal("the case is not anonymous")
		}
		for _, list := range []string{"/mina-sidor/arenden", "/mina-sidor/arenden?visa=avslutade"} {
			l := csListPage(t, karin, list)
			assertLacks(t, list, l.Body, anon.Reference, anon.ID)
		}
		assertContains(t, "Mina sidor", karin.page("/mina-sidor"), csText(t, "mypages.cases.summary", 2, 0))
		resp, body := karin.get("/arenden/" + anon.ID)
		assertNotFound(t, "the anonymous case's page", resp, body)
		resp, body = karin.multipart("/arenden/"+anon.ID+"/meddelanden", url.Values{"body": {"Hej"}})
		assertNotFound(t, "a message to the anonymous case", resp, body)
		if n := stored(); n != 0 {
			t.Errorf("%d messages and attachments stored", n)
		}
	})
}

// 10. The receipt is still reachable from the case page.
func TestCasePageReceiptLink(t *testing.T) {
	p := webtest.Start(t)
	karin := loggedIn(t, p, "adult")
	c := csLoad(t, p, csSubmitStreetLighting(karin, nil, nil))
	// A later login, in another browser, that did not submit the case.
	later := loggedIn(t, p, "adult")
	body := later.page("/arenden/" + c.ID)
	receiptURL := "/arenden/" + c.ID + "/kvitto"
	assertContains(t, "the case page", body, `<a href="`+receiptURL+`">`+csText(t, "case.receipt")+`</a>`)
	ref, receipt := later.receipt(c.ID)
	if ref != c.Reference {
		t.Errorf("the receipt shows %s, the case is %s", ref, c.Reference)
	}
	assertContains(t, "the receipt", receipt, "Felanmälan gatubelysning", "Kungsgatan 12")
}

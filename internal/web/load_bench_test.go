package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/web/webtest"
	"github.com/minasidor/minasidor/templates"
)

// BenchmarkPagesUnderLoad drives the real server over HTTP, on a database filled by `minasidor
// scale` (BENCH_DATABASE_URL), with 1, 16 and 50 concurrent clients, each with a session of its
// own, for 3 seconds a page and level. It reports requests per second, the median and 99th
// percentile latency, the process's CPU time per request (the clients run in the same process, so
// this is an upper bound of the server's), the process's resident memory after the run, and the
// database round trips of one request.
//
// Most pages are measured beside their baseline, in turns of half a second (six each) so that
// both meet the same machine, and the ratio of their requests per second is reported: a handler
// that only loads the session, makes the page's main domain call and renders its rows with the
// page's templ component, delivered compressed as the portal's pages are; and for a submit, a
// handler that inserts a case, its event and a notice in one transaction.
//
//	BENCH_DATABASE_URL=postgres://… go test -run '^$' -bench PagesUnderLoad -benchtime 1x ./internal/web/
func BenchmarkPagesUnderLoad(b *testing.B) {
	pool := benchPool(b)
	p := benchPortal(b, pool)
	ctx := context.Background()

	const clients = 50
	citizens := make([]*http.Client, clients)
	for i := range citizens {
		citizens[i] = p.Client(b)
		webtest.ReadBody(b, p.Login(b, citizens[i], "adult", "/mina-sidor"))
	}
	// `minasidor scale` gives Karin 25–100 cases; a database scaled before it did gets 60.
	var karin uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT id FROM account WHERE personal_number = '198504129829'`).Scan(&karin); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE cases SET account_id = $1 WHERE id IN (
		SELECT id FROM cases WHERE account_id IS NOT NULL AND account_id <> $1 ORDER BY submitted_at DESC LIMIT greatest(0, 25 - (SELECT count(*) FROM cases WHERE account_id = $1)))`, karin); err != nil {
		b.Fatal(err)
	}
	var caseID uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT id FROM cases WHERE account_id = $1 ORDER BY submitted_at DESC LIMIT 1`, karin).Scan(&caseID); err != nil {
		b.Fatal(err)
	}
	// The submits are another citizen's: the tens of thousands of cases they make (removed when
	// the benchmark ends) would leave Karin's part of the account's index full of dead entries,
	// which her Mina ärenden would walk through in the next run.
	submitters := make([]*http.Client, clients)
	for i := range submitters {
		submitters[i] = p.Client(b)
		webtest.ReadBody(b, p.Login(b, submitters[i], "guardian1", "/mina-sidor"))
	}
	staffers := staffClients(b, p, "caseworker-alingsas", clients)
	restricted := staffClients(b, p, "restricted-alingsas", clients)
	var drafts *benchDraftList // made just before each submit page's runs, so that the other pages never see them

	base := baselineServer(b, p)
	// The portal's clients reach the portal whatever the address; the baseline's share their
	// cookies (the same host) and dial the baseline's own server.
	sameJar := func(cs []*http.Client) []*http.Client {
		out := make([]*http.Client, len(cs))
		for i, c := range cs {
			out[i] = &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		return out
	}
	baseCitizens, baseSubmitters, baseStaff := sameJar(citizens), sameJar(submitters), sameJar(staffers)

	get := func(url string) func(*http.Client, int) error {
		return func(c *http.Client, _ int) error { return fetch(c, "GET", url, http.StatusOK) }
	}
	type side struct {
		who []*http.Client
		do  func(*http.Client, int) error
	}
	// counted is a request of the page whose round trips are counted: each call another, for
	// a submit, which uses up its draft.
	type counted func() (method, path string, status int)
	view := func(path string) counted {
		return func() (string, string, int) { return "GET", path, http.StatusOK }
	}
	type page struct {
		name    string
		portal  side
		base    *side // the page's baseline, run in turns with it; nil: none
		counted counted
		prepare func() // run once before the page's levels
	}
	caseURL := "/arenden/" + caseID.String()
	submit := side{submitters, func(c *http.Client, i int) error {
		return fetch(c, "POST", p.URL+"/utkast/"+drafts.next(i).String()+"/skicka", http.StatusSeeOther)
	}}
	submitted := func() (string, string, int) { // by the first client, which the runs then give a draft less
		return "POST", "/utkast/" + drafts.next(0).String() + "/skicka", http.StatusSeeOther
	}
	baseSubmit := &side{baseSubmitters, func(c *http.Client, _ int) error {
		return fetch(c, "POST", base.URL+"/baseline/skicka", http.StatusSeeOther)
	}}
	newDrafts := func() { drafts = benchDrafts(b, p, submitters) } // left over until the whole benchmark ends
	// The submitter has chosen no channel, as `minasidor scale` makes every account, so the
	// confirmation is written as not sent; the second submit page gives them a confirmed e-mail
	// address, so that each submit queues its notice's delivery job as well.
	byEmail := func() {
		newDrafts()
		exec := func(sql string) {
			if _, err := pool.Exec(ctx, sql); err != nil {
				b.Fatal(err)
			}
		}
		const guardian1 = "198211039873" // the submitters' test person
		exec(`UPDATE account SET email = 'bench@example.se', email_verified_at = now(), preferred_channel = 'email'
			WHERE personal_number = '` + guardian1 + `'`)
		b.Cleanup(func() {
			exec(`UPDATE account SET email = NULL, email_verified_at = NULL, preferred_channel = NULL WHERE personal_number = '` + guardian1 + `'`)
		})
	}
	pages := []page{
		{"mina-arenden", side{citizens, get(p.URL + "/mina-sidor/arenden")},
			&side{baseCitizens, get(base.URL + "/baseline/mina-sidor/arenden")}, view("/mina-sidor/arenden"), nil},
		{"mina-arenden-closed", side{citizens, get(p.URL + "/mina-sidor/arenden?visa=avslutade")},
			&side{baseCitizens, get(base.URL + "/baseline/mina-sidor/arenden?visa=avslutade")}, view("/mina-sidor/arenden?visa=avslutade"), nil},
		{"case-page", side{citizens, get(p.URL + caseURL)}, &side{baseCitizens, get(base.URL + "/baseline" + caseURL)}, view(caseURL), nil},
		{"queue-active", side{staffers, get(p.URL + "/personal/arenden?flik=active")},
			&side{baseStaff, get(base.URL + "/baseline/personal/arenden?flik=active")}, view("/personal/arenden?flik=active"), nil},
		{"queue-mine", side{staffers, get(p.URL + "/personal/arenden?flik=mine")}, nil, view("/personal/arenden?flik=mine"), nil},
		{"queue-unassigned", side{staffers, get(p.URL + "/personal/arenden?flik=unassigned")}, nil, view("/personal/arenden?flik=unassigned"), nil},
		{"queue-overdue", side{staffers, get(p.URL + "/personal/arenden?flik=overdue")}, nil, view("/personal/arenden?flik=overdue"), nil},
		{"queue-flagged", side{staffers, get(p.URL + "/personal/arenden?flik=flagged")}, nil, view("/personal/arenden?flik=flagged"), nil},
		{"queue-closed", side{staffers, get(p.URL + "/personal/arenden?flik=closed")}, nil, view("/personal/arenden?flik=closed"), nil},
		{"queue-restricted", side{restricted, get(p.URL + "/personal/arenden?flik=active")}, nil, view("/personal/arenden?flik=active"), nil},
		{"search-name", side{staffers, get(p.URL + "/personal/arenden?sok=Andersson")},
			&side{baseStaff, get(base.URL + "/baseline/personal/arenden?sok=Andersson")}, view("/personal/arenden?sok=Andersson"), nil},
		{"submit", submit, baseSubmit, submitted, newDrafts},
		{"submit-email", submit, baseSubmit, submitted, byEmail},
	}
	for _, pg := range pages {
		var counts *db.Counts
		prepared := false
		for _, n := range []int{1, 16, 50} {
			b.Run(fmt.Sprintf("%s/c%d", pg.name, n), func(b *testing.B) {
				if !prepared { // not before the run: a run of other pages (-bench) needs none of it
					if pg.prepare != nil {
						pg.prepare()
					}
					counts = countRoundTrips(b, p, pg.portal.who[0], pg.counted)
					prepared = true
				}
				// First a turn of each that is not counted: the level's clients connect, and the
				// pool opens the connections the level needs and prepares its statements on them.
				// The page's first turn had paid for all of it alone (run on its own at 50
				// clients, the search's first requests took two to three times its median, and
				// made its p99).
				run(b, pg.portal.who[:n], pg.portal.do, 200*time.Millisecond)
				if pg.base != nil {
					run(b, pg.base.who[:n], pg.base.do, 200*time.Millisecond)
				}
				// The page and its baseline take turns of half a second, six each, so that
				// both meet the same machine: on a shared one, runs a minute apart differed by
				// more than the pages did.
				var mine, theirs []sample
				for range 6 {
					mine = append(mine, run(b, pg.portal.who[:n], pg.portal.do, 500*time.Millisecond))
					if pg.base != nil {
						theirs = append(theirs, run(b, pg.base.who[:n], pg.base.do, 500*time.Millisecond))
					}
				}
				r := summarize(b, mine)
				b.ReportMetric(r.rps, "req/s")
				b.ReportMetric(r.p50, "p50-ms")
				b.ReportMetric(r.p99, "p99-ms")
				b.ReportMetric(r.cpu, "cpu-ms/req")
				b.ReportMetric(r.dbc, "db-cpu-ms/req")
				if pg.base != nil {
					rb := summarize(b, theirs)
					b.ReportMetric(rb.rps, "base-req/s")
					b.ReportMetric(rb.p99, "base-p99-ms")
					b.ReportMetric(rb.cpu, "base-cpu-ms/req")
					b.ReportMetric(rb.dbc, "base-db-cpu-ms/req")
					b.ReportMetric(r.rps/rb.rps, "ratio")
				}
				b.ReportMetric(residentMB(), "rss-MB")
				if counts != nil {
					b.ReportMetric(float64(counts.RoundTrips()), "roundtrips/req")
				}
			})
		}
	}
}

// countRoundTrips counts the round trips of a request of the page, once the municipality's
// settings are in the server's cache (30 seconds), as they are but twice a minute in steady use:
// after one request like it that is not counted.
func countRoundTrips(b *testing.B, p *webtest.Portal, who *http.Client, req func() (method, path string, status int)) *db.Counts {
	method, path, status := req()
	if err := fetch(who, method, p.URL+path, status); err != nil {
		b.Fatal(err)
	}
	method, path, status = req()
	resp, counts := p.Measure(b, who, method, path, nil)
	if webtest.ReadBody(b, resp); resp.StatusCode != status {
		b.Fatalf("%s %s: %d, want %d", method, path, resp.StatusCode, status)
	}
	return counts
}

// staffClients logs n browsers in as the test staff member.
func staffClients(b *testing.B, p *webtest.Portal, key string, n int) []*http.Client {
	out := make([]*http.Client, n)
	for i := range out {
		out[i] = p.Client(b)
		benchStaffLogin(b, p, out[i], key)
	}
	return out
}

// fetch sends a request without a body and wants the status. It asks for a compressed answer,
// as a browser does, and reads it as it comes: a browser inflates it on its own machine, and here
// the inflating would take the two cores' time from the servers being measured.
func fetch(c *http.Client, method, url string, want int) error {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d", method, url, resp.StatusCode)
	}
	return nil
}

type loadResult struct{ rps, p50, p99, cpu, dbc float64 }

// sample is what one run of load measured: every request's latency, the run's length and the
// process's CPU time over it.
type sample struct {
	lat               []time.Duration
	elapsed, cpu, dbc time.Duration
}

// run calls do from every client at once, one call after another, for d. Each client passes its
// index, so that it can take what is its own (a draft to submit).
func run(b *testing.B, clients []*http.Client, do func(*http.Client, int) error, d time.Duration) sample {
	var mu sync.Mutex
	var s sample
	clocks := startClocks()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Since(start) < d {
				t := time.Now()
				if err := do(c, i); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			s.lat = append(s.lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	s.cpu, s.dbc = clocks.since()
	return s
}

// summarize adds runs up: requests per second over their time, the median and 99th percentile
// latency, and the CPU time per request.
func summarize(b *testing.B, runs []sample) loadResult {
	var lat []time.Duration
	var elapsed, cpu, dbc time.Duration
	for _, s := range runs {
		lat = append(lat, s.lat...)
		elapsed += s.elapsed
		cpu += s.cpu
		dbc += s.dbc
	}
	if len(lat) == 0 {
		b.Fatal("no request finished")
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	return loadResult{
		rps: float64(len(lat)) / elapsed.Seconds(),
		p50: at(0.50), p99: at(0.99),
		cpu: float64(cpu.Microseconds()) / 1000 / float64(len(lat)),
		dbc: float64(dbc.Microseconds()) / 1000 / float64(len(lat)),
	}
}

// clocks are the processor time of this process and of PostgreSQL's at the start of a
// measurement. The process's is read inside PostgreSQL's: reading PostgreSQL's from /proc takes
// the process milliseconds, which are the benchmark's, not the page's.
type clocks struct{ process, postgres time.Duration }

func startClocks() clocks {
	db := postgresCPU()
	return clocks{process: processCPU(), postgres: db}
}

// since is the processor time the process and PostgreSQL have used since c.
func (c clocks) since() (process, postgres time.Duration) {
	process = processCPU() - c.process
	return process, postgresCPU() - c.postgres
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU is the CPU time, user and system, of this machine's PostgreSQL processes that
// the benchmark may read (all of them when it runs as their user or as root; none when the
// database is elsewhere), from /proc.
func postgresCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// pid (comm) state ppid … utime stime: the 14th and 15th fields, the 12th and 13th after comm.
		end := bytes.LastIndexByte(data, ')')
		if end < 0 || !bytes.HasPrefix(data[bytes.IndexByte(data, '(')+1:], []byte("postgres")) {
			continue
		}
		f := strings.Fields(string(data[end+1:]))
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + st
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}

// residentMB is the process's resident memory now, in MB (VmRSS of /proc/self/status).
func residentMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// benchDraftList hands each client its own filled drafts to submit, one after another.
type benchDraftList struct {
	mu   sync.Mutex
	left [][]uuid.UUID
}

func (l *benchDraftList) next(client int) uuid.UUID {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.left[client]) == 0 {
		return uuid.Nil // the submit answers 404, and the run reports it
	}
	id := l.left[client][0]
	l.left[client] = l.left[client][1:]
	return id
}

// benchDrafts gives each citizen client drafts of the ten-field e-service (which baselineServer
// publishes) ready to submit: one filled through the portal, and copies of it made in the
// database, enough for every run of the submit page.
func benchDrafts(b *testing.B, p *webtest.Portal, citizens []*http.Client) *benchDraftList {
	ctx := context.Background()
	status, loc, err := rawPost(p, citizens[0], "/e-tjanster/tio-falt/starta", nil)
	m := benchStep.FindStringSubmatch(loc)
	if err != nil || status != http.StatusSeeOther || m == nil {
		b.Fatalf("start: %d %q %v", status, loc, err)
	}
	if status, loc, err = rawPost(p, citizens[0], loc, tenFieldAnswers); err != nil || status != http.StatusSeeOther {
		b.Fatalf("step: %d %q %v", status, loc, err)
	}
	filled := uuid.MustParse(m[1])
	// A client submits at most a few thousand in 9 seconds of runs (1, 16 and 50 clients).
	const each = 3000
	l := &benchDraftList{left: make([][]uuid.UUID, len(citizens))}
	rows, err := p.Pool.Query(ctx, `
		INSERT INTO draft (tenant_id, eservice_id, version_id, account_id, session_key, answers, current_step)
		SELECT d.tenant_id, d.eservice_id, d.version_id, d.account_id, d.session_key, d.answers, d.current_step
		FROM draft d, generate_series(1, $2) WHERE d.id = $1
		RETURNING id`, filled, each*len(citizens))
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		b.Fatal(err)
	}
	for i := range citizens {
		l.left[i] = ids[i*each : (i+1)*each]
	}
	return l
}

// clearSubmits deletes the submit benchmark's cases and drafts, and the delivery jobs of their
// notices, and vacuums them away (when there were any), so that the next run does not meet their
// dead rows or the vacuum that would come for them in the middle of its first pages.
func clearSubmits(b *testing.B, p *webtest.Portal, eserviceID uuid.UUID) {
	ctx := context.Background()
	var deleted int64
	for _, table := range []string{"cases", "draft"} {
		tag, err := p.Pool.Exec(ctx, `DELETE FROM `+table+` WHERE eservice_id = $1`, eserviceID)
		if err != nil {
			b.Error(err)
		}
		deleted += tag.RowsAffected()
	}
	// The notices went with their cases; their delivery jobs still waiting would each be looked
	// up and cancelled during the next run's pages.
	tag, err := p.Pool.Exec(ctx, `DELETE FROM river_job j WHERE j.kind = 'notify_deliver' AND j.finalized_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM notice n WHERE n.id = (j.args ->> 'notice_id')::uuid)`)
	if err != nil {
		b.Error(err)
	}
	if deleted+tag.RowsAffected() == 0 {
		return
	}
	if _, err := p.Pool.Exec(ctx, `VACUUM (ANALYZE) cases, draft, case_event, case_revision, notice, upload, river_job`); err != nil {
		b.Error(err)
	}
}

// publishTenFields publishes the submit benchmark's ten-field e-service in Alingsås, once a database.
func publishTenFields(b *testing.B, p *webtest.Portal) {
	ctx := context.Background()
	var exists bool
	if err := p.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE t.slug = 'alingsas' AND e.slug = 'tio-falt')`).Scan(&exists); err != nil || exists {
		return
	}
	var tenantID uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = 'alingsas'`).Scan(&tenantID); err != nil {
		b.Fatal(err)
	}
	def, err := form.Parse([]byte(tenFieldForm))
	if err != nil {
		b.Fatal(err)
	}
	e, err := eservice.Create(ctx, p.Pool, eservice.EService{
		TenantID: tenantID, Slug: "tio-falt", Title: form.Text{"sv": "Tio fält"}, Description: form.Text{"sv": "Prestandatest"},
		Category: "documents", Audience: []string{"private"}, LoginRule: eservice.LoginNone,
		Privacy: eservice.Privacy{
			Data: form.Text{"sv": "E-post"}, Purpose: form.Text{"sv": "Test"}, LegalBasis: form.Text{"sv": "Allmänt intresse"},
			Controller: form.Text{"sv": "Kommunstyrelsen"}, Retention: form.Text{"sv": "Två år"},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := eservice.Publish(ctx, p.Pool, e.ID, def, "bench"); err != nil {
		b.Fatal(err)
	}
}

// baselineServer serves the pages' baselines: the session (the portal's own, from its cookie),
// the page's main domain call, and its rows rendered with the page's templ component, nothing
// else; delivered as the portal delivers a page, compressed for a client that accepts it.
func baselineServer(b *testing.B, p *webtest.Portal) *httptest.Server {
	sessions := scs.New()
	sessions.Store = auth.NewSessionStore(p.Pool)
	sessions.Codec = auth.SessionCodec{} // it reads the portal's sessions
	sessions.Cookie.Name = web.SessionCookie
	cases := casework.NewStore(p.Pool, nil)
	members := staff.NewStore(p.Pool)
	printer := i18n.MustLoad().Printer(i18n.Swedish)
	page := templates.Page{Lang: "sv", Title: "Mina sidor"}
	mux := http.NewServeMux()
	serve := func(pattern string, h func(ctx context.Context, r *http.Request, w *bytes.Buffer) error) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			var buf bytes.Buffer
			if err := h(i18n.WithPrinter(r.Context(), printer), r, &buf); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if buf.Len() == 0 { // a redirect
				w.Header().Set("Location", "/arenden/")
				w.WriteHeader(http.StatusSeeOther)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = buf.WriteTo(w)
		})
	}
	citizen := func(ctx context.Context) (uuid.UUID, error) {
		return uuid.Parse(sessions.GetString(ctx, "account_id"))
	}
	member := func(ctx context.Context) (staff.Member, error) {
		id, err := uuid.Parse(sessions.GetString(ctx, "staff_id"))
		if err != nil {
			return staff.Member{}, err
		}
		return members.ByID(ctx, id)
	}

	serve("GET /baseline/mina-sidor/arenden", func(ctx context.Context, r *http.Request, w *bytes.Buffer) error {
		id, err := citizen(ctx)
		if err != nil {
			return err
		}
		closed := r.URL.Query().Get("visa") == "avslutade"
		list, err := cases.ForAccount(ctx, casework.ListQuery{AccountID: id, Closed: closed, Sort: casework.SortNewest})
		if err != nil {
			return err
		}
		v := templates.CasesView{Closed: closed, Sort: casework.SortNewest}
		for _, c := range list.Cases {
			v.Cases = append(v.Cases, web.CaseRow(ctx, c, nil))
		}
		return templates.CasesPage(page, v).Render(ctx, w)
	})
	serve("GET /baseline/arenden/{case}", func(ctx context.Context, r *http.Request, w *bytes.Buffer) error {
		id, err := citizen(ctx)
		if err != nil {
			return err
		}
		d, err := cases.ForCitizen(ctx, id, uuid.MustParse(r.PathValue("case")))
		if err != nil {
			return err
		}
		return templates.CasePage(page, web.CitizenCaseView(ctx, d.Dossier)).Render(ctx, w)
	})
	serve("GET /baseline/personal/arenden", func(ctx context.Context, r *http.Request, w *bytes.Buffer) error {
		m, err := member(ctx)
		if err != nil {
			return err
		}
		work, err := cases.Workload(ctx, casework.QueueQuery{Member: m, Tab: r.URL.Query().Get("flik"), Limit: 25}, r.URL.Query().Get("sok"))
		if err != nil {
			return err
		}
		v := templates.QueueView{Tab: r.URL.Query().Get("flik"), Search: r.URL.Query().Get("sok")}
		for _, row := range work.Page.Rows {
			v.Rows = append(v.Rows, web.QueueRow(ctx, row))
		}
		return templates.QueuePage(page, v).Render(ctx, w)
	})
	// The submit's baseline: a case, its event and a notice, in one transaction, in the e-service
	// the portal's submits use.
	publishTenFields(b, p)
	var svc struct{ tenant, eservice, version uuid.UUID }
	if err := p.Pool.QueryRow(context.Background(), `SELECT e.tenant_id, e.id, e.current_version_id FROM eservice e
		JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = 'tio-falt'`).Scan(&svc.tenant, &svc.eservice, &svc.version); err != nil {
		b.Fatal(err)
	}
	// The cases submitted (the portal's and the baseline's) and the drafts left over go when the
	// benchmark ends: they would fill Karin's Mina sidor, and the next run's searches would walk
	// past thousands of newest cases that are the benchmark's own. A run stopped by a signal
	// leaves them, so they go before any page is measured as well.
	clearSubmits(b, p, svc.eservice)
	b.Cleanup(func() { clearSubmits(b, p, svc.eservice) })
	var serial sync.Mutex
	n := 0
	serve("POST /baseline/skicka", func(ctx context.Context, r *http.Request, w *bytes.Buffer) error {
		id, err := citizen(ctx)
		if err != nil {
			return err
		}
		serial.Lock()
		n++
		ref := fmt.Sprintf("BAS-%d-%d", time.Now().UnixNano(), n)
		serial.Unlock()
		return db.Transact(ctx, p.Pool, func(tx pgx.Tx) error {
			var caseID uuid.UUID
			err := tx.QueryRow(ctx, `
				INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, anonymous, answers, status, status_key,
					status_changed_at, source_draft_id, submitted_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, false, $6, 'submitted',
					(SELECT key FROM eservice_status WHERE eservice_id = $2 AND type = 'submitted' ORDER BY position LIMIT 1),
					now(), gen_random_uuid(), now(), now())
				RETURNING id`, svc.tenant, svc.eservice, svc.version, ref, id, tenFieldAnswers).Scan(&caseID)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind) VALUES ($1, $2, 'submitted')`, svc.tenant, caseID); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO notice (tenant_id, account_id, case_id, kind) VALUES ($1, $2, $3, 'submitted')`, svc.tenant, id, caseID)
			return err
		})
	})
	ts := httptest.NewServer(web.Compress(sessions.LoadAndSave(mux)))
	b.Cleanup(ts.Close)
	return ts
}

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/web/webtest"
	"github.com/minasidor/minasidor/templates"
)

// BenchmarkPagesUnderLoad drives the real server over HTTP, on a database filled by `minasidor
// scale` (BENCH_DATABASE_URL), with 1, 16 and 50 concurrent clients, each with a session of its
// own, for a few seconds a page and level. It reports requests per second, the median and 99th
// percentile latency, the process's CPU time per request (the clients run in the same process, so
// this is an upper bound of the server's) and the database round trips of one request. Mina
// ärenden is also measured against its baseline: a handler that only loads the session, runs the
// page's main query and renders the same rows with templ.
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
	// Karin's account is made by her first login: give her 60 of the scaled cases.
	var karin uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT id FROM account WHERE personal_number = '198504129829'`).Scan(&karin); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE cases SET account_id = $1 WHERE id IN (
		SELECT id FROM cases WHERE account_id IS NOT NULL AND account_id <> $1 ORDER BY submitted_at DESC LIMIT 60 - (SELECT count(*) FROM cases WHERE account_id = $1))`, karin); err != nil {
		b.Fatal(err)
	}
	var caseID uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT id FROM cases WHERE account_id = $1 ORDER BY submitted_at DESC LIMIT 1`, karin).Scan(&caseID); err != nil {
		b.Fatal(err)
	}
	staffers := make([]*http.Client, clients)
	for i := range staffers {
		staffers[i] = p.Client(b)
		benchStaffLogin(b, p, staffers[i], "caseworker-alingsas")
	}
	baseline := baselineCases(b, p)
	// The portal's clients reach the portal whatever the address; the baseline's share their
	// cookies (the same host) and dial the baseline's own server.
	baselineClients := make([]*http.Client, clients)
	for i, c := range citizens {
		baselineClients[i] = &http.Client{Jar: c.Jar}
	}

	for _, page := range []struct {
		name string
		who  []*http.Client
		url  string
	}{
		{"mina-arenden", citizens, p.URL + "/mina-sidor/arenden"},
		{"mina-arenden-baseline", baselineClients, baseline.URL + "/baseline/mina-sidor/arenden"},
		{"case-page", citizens, p.URL + "/arenden/" + caseID.String()},
		{"queue-active", staffers, p.URL + "/personal/arenden?flik=active"},
		{"queue-mine", staffers, p.URL + "/personal/arenden?flik=mine"},
		{"search-name", staffers, p.URL + "/personal/arenden?sok=Andersson"},
	} {
		var counts *db.Counts
		if page.who[0].Transport != nil { // the portal's: its round trips are counted
			_, counts = p.Measure(b, page.who[0], "GET", page.url, nil)
		}
		for _, n := range []int{1, 16, 50} {
			b.Run(fmt.Sprintf("%s/c%d", page.name, n), func(b *testing.B) {
				r := load(b, p, page.who[:n], page.url, 3*time.Second)
				b.ReportMetric(r.rps, "req/s")
				b.ReportMetric(r.p50, "p50-ms")
				b.ReportMetric(r.p99, "p99-ms")
				b.ReportMetric(r.cpu, "cpu-ms/req")
				if counts != nil {
					b.ReportMetric(float64(counts.RoundTrips()), "roundtrips/req")
				}
			})
		}
	}
}

type loadResult struct{ rps, p50, p99, cpu float64 }

// load sends GET url from every client at once, one request after another, for d.
func load(b *testing.B, p *webtest.Portal, clients []*http.Client, url string, d time.Duration) loadResult {
	var mu sync.Mutex
	var lat []time.Duration
	cpu0 := processCPU()
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Since(start) < d {
				t := time.Now()
				resp, err := c.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("GET %s: %d", url, resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
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
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// baselineCases serves Mina ärenden's baseline: the session (the portal's own, from its cookie),
// the page's main query, and the rows rendered with the page's templ component, nothing else;
// delivered as the portal delivers a page, compressed for a client that accepts it.
func baselineCases(b *testing.B, p *webtest.Portal) *httptest.Server {
	sessions := scs.New()
	sessions.Store = auth.NewSessionStore(p.Pool)
	sessions.Cookie.Name = web.SessionCookie
	cases := casework.NewStore(p.Pool, nil)
	printer := i18n.MustLoad().Printer(i18n.Swedish)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /baseline/mina-sidor/arenden", func(w http.ResponseWriter, r *http.Request) {
		ctx := i18n.WithPrinter(r.Context(), printer)
		id, err := uuid.Parse(sessions.GetString(ctx, "account_id"))
		if err != nil {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		page, err := cases.ForAccount(ctx, casework.ListQuery{AccountID: id, Sort: casework.SortNewest})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		v := templates.CasesView{Sort: casework.SortNewest}
		for _, c := range page.Cases {
			v.Cases = append(v.Cases, templates.CaseRow{URL: "/arenden/" + c.ID.String(), Reference: c.Reference,
				EService: c.Title.In("sv"), Municipality: c.Municipality, Submitted: i18n.DateTime(c.SubmittedAt)})
		}
		var buf bytes.Buffer
		if err := templates.CasesPage(templates.Page{Lang: "sv", Title: "Mina ärenden"}, v).Render(ctx, &buf); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = buf.WriteTo(w)
	})
	ts := httptest.NewServer(web.Compress(sessions.LoadAndSave(mux)))
	b.Cleanup(ts.Close)
	return ts
}

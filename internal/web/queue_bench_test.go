package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/app"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The benchmarks of the caseworker's queue and search run on a database filled by
//
//	minasidor scale -citizens 100000 -cases 1000000
//
// named by BENCH_DATABASE_URL, and are skipped without it (they are not part of make test):
//
//	BENCH_DATABASE_URL=postgres://... go test -run '^$' -bench 'Queue|Search' -benchtime 200x ./internal/web/
const benchEnv = "BENCH_DATABASE_URL"

func benchPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	dbURL := os.Getenv(benchEnv)
	if dbURL == "" {
		b.Skip(benchEnv + " is not set: point it at a database filled by `minasidor scale` to run this benchmark")
	}
	pool, err := db.Open(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

// benchPortal starts the portal on the existing database, as webtest.StartWithLog does on a new
// one (without loading anything: the scale command has).
func benchPortal(b *testing.B, pool *pgxpool.Pool) *webtest.Portal {
	b.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + ts.Listener.Addr().String())
	cfg, err := config.Load(func(string) string { return "" }, config.Development)
	if err != nil {
		b.Fatal(err)
	}
	cfg.BaseURL = base
	cfg.ListenAddr = ts.Listener.Addr().String()
	cfg.DataDir = b.TempDir()
	cfg.SAMLKeyFile = cfg.DataDir + "/saml/sp-key.pem"
	cfg.SAMLCertFile = cfg.DataDir + "/saml/sp-cert.pem"
	cfg.StaffKeyFile = cfg.DataDir + "/saml/staff-key.pem"
	cfg.StaffCertFile = cfg.DataDir + "/saml/staff-cert.pem"
	cfg.SecurityLog = cfg.DataDir + "/security.log"
	for _, kp := range [][2]string{{cfg.SAMLKeyFile, cfg.SAMLCertFile}, {cfg.StaffKeyFile, cfg.StaffCertFile}} {
		if _, err := auth.LoadKeyPair(kp[0], kp[1], "localhost", true); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), pool)
	if err != nil {
		b.Fatal(err)
	}
	p := &webtest.Portal{URL: ts.URL, Clock: &webtest.Clock{}, Pool: pool, Config: cfg, Server: ts, DevIdP: srv.Deps.DevIdP, Notices: srv.Deps.Notices}
	ts.Config.Handler = p.Counting(srv.Handler())
	ts.Start()
	p.URL = ts.URL
	b.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return p
}

// benchStaffLogin is staffLogin for a benchmark.
func benchStaffLogin(b *testing.B, p *webtest.Portal, c *http.Client, key string) {
	b.Helper()
	resp := p.Do(b, c, "GET", "/personal/login?return=%2Fpersonal", nil)
	picker := webtest.ReadBody(b, p.Do(b, c, "GET", resp.Header.Get("Location"), nil))
	form := webtest.HiddenInputs(picker)
	form.Set("person", key)
	answer := p.Do(b, c, "POST", "/idp/sso", form)
	acs := p.Do(b, c, "POST", "/personal/saml/acs", webtest.HiddenInputs(webtest.ReadBody(b, answer)))
	if acs.StatusCode != http.StatusSeeOther {
		b.Fatalf("staff login %s: %d", key, acs.StatusCode)
	}
}

// reportLatency reports the median and the 99th percentile of the durations.
func reportLatency(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	at := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkQueuePage is the whole queue page over HTTP for one caseworker: the first page of a
// tab, and the next page of the active tab.
func BenchmarkQueuePage(b *testing.B) {
	pool := benchPool(b)
	p := benchPortal(b, pool)
	c := p.Client(b)
	benchStaffLogin(b, p, c, "caseworker-alingsas")
	for _, tab := range []string{casework.TabActive, casework.TabMine, casework.TabUnassigned, casework.TabFlagged, casework.TabClosed} {
		b.Run(tab, func(b *testing.B) {
			path := "/personal/arenden?flik=" + tab
			get := func() string {
				resp := p.Do(b, c, "GET", path, nil)
				body := webtest.ReadBody(b, resp)
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %d", path, resp.StatusCode)
				}
				return body
			}
			if tab == casework.TabActive && !strings.Contains(get(), "ALI-") {
				b.Fatal("the active tab shows no case: is the database filled by `minasidor scale`?")
			}
			d := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				t := time.Now()
				get()
				d = append(d, time.Since(t))
			}
			b.StopTimer()
			reportLatency(b, d)
		})
	}
}

// BenchmarkSearch is one caseworker's search, by kind of query, through casework.Store.Search: the
// domain call the queue page makes for its search box (the hits, the filters' choices and the
// audit record), without HTTP.
func BenchmarkSearch(b *testing.B) {
	pool := benchPool(b)
	ctx := context.Background()
	// The caseworker as the portal reads them, with the e-services they handle.
	var id uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT id FROM staff WHERE employee_id = 'ali-1001'`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	m, err := staff.NewStore(pool).ByID(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	var ref, pnr, name string
	err = pool.QueryRow(ctx, `
		SELECT c.reference, a.personal_number, a.display_name FROM cases c JOIN account a ON a.id = c.account_id
		WHERE c.tenant_id = $1 AND NOT a.protected_identity ORDER BY c.submitted_at DESC LIMIT 1`, m.TenantID).Scan(&ref, &pnr, &name)
	if err != nil {
		b.Skip("no cases: fill the database with `minasidor scale` first")
	}
	store := casework.NewStore(pool, nil)
	for _, q := range []struct{ name, query string }{
		{"reference", ref},
		{"personal-number", pnr[:8] + "-" + pnr[8:]},
		{"full-name", name},
		{"surname", strings.Fields(name)[1]},
		{"answer-rare", "påkörning"},
		{"answer-street", "Mjölnarevägen"},
		{"answer-two-words", "lampan blinkar"},
		{"nothing", "zzzxqy"},
	} {
		b.Run(q.name, func(b *testing.B) {
			d := make([]time.Duration, 0, b.N)
			rows := 0
			b.ResetTimer()
			for b.Loop() {
				t := time.Now()
				p, err := store.Search(ctx, m, q.query, "", 25)
				if err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(t))
				rows = len(p.Rows)
			}
			b.StopTimer()
			b.ReportMetric(float64(rows), "rows")
			reportLatency(b, d)
		})
	}
}

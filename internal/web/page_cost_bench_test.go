package web_test

import (
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// BenchmarkPageCost measures what one view of a page costs beside its baseline (see
// BenchmarkPagesUnderLoad), on a database filled by `minasidor scale` (BENCH_DATABASE_URL): one
// request at a time, straight through the handlers (no network and no clients to share the
// cores with), in 40 turns of 500 views each, page and baseline in turn. It reports the
// processor time of the process and of PostgreSQL per view, the bytes the process allocated per
// view, and the ratio of the baseline's processor time to the page's. Small differences show
// here that the load benchmark's runs do not hold still enough to see.
//
//	BENCH_DATABASE_URL=postgres://… go test -run '^$' -bench PageCost -benchtime 1x ./internal/web/
func BenchmarkPageCost(b *testing.B) {
	pool := benchPool(b)
	p := benchPortal(b, pool)
	citizen := p.Client(b)
	webtest.ReadBody(b, p.Login(b, citizen, "adult", "/mina-sidor"))
	base := baselineServer(b, p)
	portal, baseline := p.Server.Config.Handler, base.Config.Handler

	for _, pg := range []struct{ name, path string }{
		{"mina-arenden", "/mina-sidor/arenden"},
		{"mina-arenden-closed", "/mina-sidor/arenden?visa=avslutade"},
	} {
		b.Run(pg.name, func(b *testing.B) {
			page, ref := viewRequest(citizen, p.URL+pg.path), viewRequest(citizen, p.URL+"/baseline"+pg.path)
			views(portal, page, 100) // the caches and the statements' plans
			views(baseline, ref, 100)
			const turns, n = 40, 500
			var mine, theirs viewCost
			for range turns {
				mine = mine.add(views(portal, page, n))
				theirs = theirs.add(views(baseline, ref, n))
			}
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 / (turns * n) }
			b.ReportMetric(per(mine.cpu), "cpu-µs/view")
			b.ReportMetric(per(mine.db), "db-cpu-µs/view")
			b.ReportMetric(float64(mine.alloc)/(turns*n), "B/view")
			b.ReportMetric(per(theirs.cpu), "base-cpu-µs/view")
			b.ReportMetric(per(theirs.db), "base-db-cpu-µs/view")
			b.ReportMetric(float64(theirs.alloc)/(turns*n), "base-B/view")
			b.ReportMetric(float64(theirs.cpu+theirs.db)/float64(mine.cpu+mine.db), "ratio")
		})
	}
}

// viewRequest is a GET of url with the browser's cookies for it, asking for a compressed answer.
func viewRequest(c *http.Client, url string) *http.Request {
	r, err := http.NewRequest("GET", url, nil)
	if err != nil {
		panic(err)
	}
	for _, cookie := range c.Jar.Cookies(r.URL) {
		r.AddCookie(cookie)
	}
	r.Header.Set("Accept-Encoding", "gzip")
	return r
}

// viewCost is the processor time of the process and of PostgreSQL, and the bytes the process
// allocated, over some views.
type viewCost struct {
	cpu, db time.Duration
	alloc   uint64
}

func (v viewCost) add(w viewCost) viewCost {
	return viewCost{cpu: v.cpu + w.cpu, db: v.db + w.db, alloc: v.alloc + w.alloc}
}

// views serves r n times through h and returns what that cost.
func views(h http.Handler, r *http.Request, n int) viewCost {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	clocks := startClocks()
	for range n {
		h.ServeHTTP(discard{http.Header{}}, r.Clone(r.Context()))
	}
	cpu, db := clocks.since()
	runtime.ReadMemStats(&m1)
	return viewCost{cpu: cpu, db: db, alloc: m1.TotalAlloc - m0.TotalAlloc}
}

// discard is a response writer that keeps nothing.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}

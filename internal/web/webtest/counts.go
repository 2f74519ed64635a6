package webtest

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/minasidor/minasidor/internal/db"
)

// CountsHeader names the request whose database work the portal under test counts: Measure sets
// it, and the portal's outermost handler looks it up.
const CountsHeader = "X-Test-Counts"

// counter keeps the counts of the requests being measured.
type counter struct {
	mu       sync.Mutex
	m        map[string]*db.Counts
	measured atomic.Int32 // requests being measured: while none, a request passes without the lock
}

// wrap counts the database work of each measured request, on its context.
func (c *counter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.measured.Load() == 0 { // a benchmark's load: its clients do not share a lock here
			next.ServeHTTP(w, r)
			return
		}
		c.mu.Lock()
		counts := c.m[r.Header.Get(CountsHeader)]
		c.mu.Unlock()
		if counts != nil {
			r = r.WithContext(db.CountInto(r.Context(), counts))
		}
		next.ServeHTTP(w, r)
	})
}

// Measure sends a request as Do does and returns its response with the database work the portal
// did for it: round trips, writes and commits.
func (p *Portal) Measure(t testing.TB, c *http.Client, method, path string, form url.Values) (*http.Response, *db.Counts) {
	t.Helper()
	key := randomKey()
	counts := &db.Counts{}
	p.counter.mu.Lock()
	p.counter.m[key] = counts
	p.counter.mu.Unlock()
	p.counter.measured.Add(1)
	defer func() {
		p.counter.measured.Add(-1)
		p.counter.mu.Lock()
		delete(p.counter.m, key)
		p.counter.mu.Unlock()
	}()
	resp := p.do(t, c, method, path, form, map[string]string{CountsHeader: key})
	return resp, counts
}

func randomKey() string { return rand.Text() }

// Counting wraps the handler of a portal built outside Start (a benchmark's, on an existing
// database) so that Measure counts its requests too.
func (p *Portal) Counting(h http.Handler) http.Handler {
	if p.counter == nil {
		p.counter = &counter{m: map[string]*db.Counts{}}
	}
	return p.counter.wrap(h)
}

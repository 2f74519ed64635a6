// Package webtest starts the whole portal on a real, migrated PostgreSQL database with the demo
// data loaded, behind a real HTTP server, for HTTP and browser tests.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/app"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/metrics"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/internal/web"
)

// Portal is a running portal under test.
type Portal struct {
	counter *counter
	URL     string // base address, e.g. http://127.0.0.1:41234
	Clock   *Clock // the server's clock for session deadlines: advance it to let time pass
	Pool    *pgxpool.Pool
	Config  config.Config
	Server  *httptest.Server
	DevIdP  *devidp.IdP      // the development IdP, for tests that make its answers themselves
	Notices *notify.Notifier // the server's, for tests that act as caseworkers through the stores
	Metrics *metrics.Metrics // the server's, for tests that scrape them

	// SecurityLog is the file the security events' JSON lines go to (Config.SecurityLog): a
	// file of the test's own unless an option names another, so that they never reach the test
	// binary's stderr.
	SecurityLog string

	// BookingClock is the clock of the booking rules (how far ahead, how late): advance it to
	// let days pass without the session expiring.
	BookingClock *Clock

	// SigningClock times the signing deadlines and reminders; Signing is the signing store on
	// it, whose Due the housekeeping would run.
	SigningClock *Clock
	Signing      *signing.Store
}

// Option changes the configuration before the portal starts.
type Option func(*config.Config)

// Production runs the portal with production settings (Secure cookies, HSTS). The development
// IdP stays on, which a real production configuration refuses, so that logins can be tested.
func Production(c *config.Config) {
	c.Env = config.Production
	// Production sends e-mail; these tests make no notices, so the server is never dialled.
	c.SMTPHost, c.SMTPPort, c.SMTPFrom, c.SMTPTLS = "127.0.0.1", 1, "Mina sidor <no-reply@localhost>", "none"
}

// Start starts a portal for the test and stops it when the test ends. Its log goes to the test's
// log in verbose mode and nowhere otherwise.
func Start(t testing.TB, opts ...Option) *Portal {
	t.Helper()
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = testWriter{t}
	}
	return StartWithLog(t, w, opts...)
}

// StartWithLog is Start with the portal's log written to w, for tests of what it logs.
func StartWithLog(t testing.TB, w io.Writer, opts ...Option) *Portal {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(w, nil))
	if err := demo.Load(ctx, pool, log); err != nil {
		t.Fatal(err)
	}

	// The server must know its own address before it starts: listen first, then configure.
	ts := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + ts.Listener.Addr().String())
	cfg, err := config.Load(func(string) string { return "" }, config.Development)
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = base
	cfg.ListenAddr = ts.Listener.Addr().String()
	cfg.DataDir = t.TempDir()
	cfg.SAMLKeyFile = cfg.DataDir + "/saml/sp-key.pem"
	cfg.SAMLCertFile = cfg.DataDir + "/saml/sp-cert.pem"
	cfg.StaffKeyFile = cfg.DataDir + "/saml/staff-key.pem"
	cfg.StaffCertFile = cfg.DataDir + "/saml/staff-cert.pem"
	cfg.SecurityLog = cfg.DataDir + "/security.log"
	for _, o := range opts {
		o(&cfg)
	}
	// The service providers' key pairs, made here so that production settings find them too.
	for _, kp := range [][2]string{{cfg.SAMLKeyFile, cfg.SAMLCertFile}, {cfg.StaffKeyFile, cfg.StaffCertFile}} {
		if _, err := auth.LoadKeyPair(kp[0], kp[1], "localhost", true); err != nil {
			t.Fatal(err)
		}
	}
	clock, bookingClock, signingClock := &Clock{}, &Clock{}, &Clock{}
	a, err := app.New(cfg, log, pool, web.WithClock(clock.Now), web.WithBookingClock(bookingClock.Now), web.WithSigningClock(signingClock.Now))
	if err != nil {
		t.Fatal(err)
	}
	counts := &counter{m: map[string]*db.Counts{}}
	ts.Config.Handler = counts.wrap(a.Handler())
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &Portal{counter: counts, URL: cfg.BaseURL.String(), Clock: clock, BookingClock: bookingClock, Pool: pool, Config: cfg, Server: ts, DevIdP: a.Deps.DevIdP, Notices: a.Deps.Notices, Metrics: a.Metrics,
		SecurityLog: cfg.SecurityLog, SigningClock: signingClock, Signing: a.Deps.Signing.WithClock(signingClock.Now)}
}

// OnLocalhost serves the portal's own address as http://localhost:PORT, so that the demo
// municipalities' hosts (motala.localhost:PORT) are other hosts of the same site, as a browser
// sees them.
func OnLocalhost(c *config.Config) {
	c.BaseURL.Host = "localhost:" + c.BaseURL.Port()
}

// Client returns an HTTP client with a cookie jar that does not follow redirects, so that tests
// see each response as it is. Whatever host a request names, it reaches the portal, and the jar
// keeps each host's cookies to that host, as a browser does.
func (p *Portal) Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := p.Server.Listener.Addr().String()
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(transport.CloseIdleConnections)
	return &http.Client{
		Jar:       jar,
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// HostURL is the portal's address under another host name, e.g. http://motala.localhost:PORT.
func (p *Portal) HostURL(host string) string {
	base, _ := url.Parse(p.URL)
	return "http://" + host + ":" + base.Port()
}

// Clock is a clock that runs with the system's but can be put ahead.
type Clock struct {
	mu    sync.Mutex
	ahead time.Duration
}

// Now is the system's time plus what the clock was advanced by.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

// Advance puts the clock ahead by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

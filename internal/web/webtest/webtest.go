// Package webtest starts the whole portal on a real, migrated PostgreSQL database with the demo
// data loaded, behind a real HTTP server, for HTTP and browser tests.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/web"
)

// Portal is a running portal under test.
type Portal struct {
	URL     string // base address, e.g. http://127.0.0.1:41234
	Pool    *pgxpool.Pool
	Config  config.Config
	Server  *httptest.Server
	Web     *web.Server
	Notices *notify.Notifier // the server's, for tests that act as caseworkers through the stores
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
	for _, o := range opts {
		o(&cfg)
	}
	// The service providers' key pairs, made here so that production settings find them too.
	for _, kp := range [][2]string{{cfg.SAMLKeyFile, cfg.SAMLCertFile}, {cfg.StaffKeyFile, cfg.StaffCertFile}} {
		if _, err := auth.LoadKeyPair(kp[0], kp[1], "localhost", true); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := web.New(cfg, log, pool)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &Portal{URL: ts.URL, Pool: pool, Config: cfg, Server: ts, Web: srv, Notices: srv.Notices()}
}

// Client returns an HTTP client with a cookie jar that does not follow redirects, so that tests
// see each response as it is.
func (p *Portal) Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/bulletin"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// logBuffer is a log that the job queue's goroutines and the test may use at once.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

// newTestServer returns a server on a fresh database and a buffer holding its log.
func newTestServer(t *testing.T, env string) (*Server, *logBuffer) {
	t.Helper()
	pool := dbtest.New(t)
	if err := demo.Load(context.Background(), pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused", "BASE_URL": "https://minasidor.example.se", "DEFAULT_TENANT": "alingsas"}[k]
	}
	cfg, err := config.Load(getenv, config.Development)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Env = env                 // production settings, but with the development IdP, which tests need
	if env == config.Production { // production sends e-mail; these tests make no notices
		cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPFrom, cfg.SMTPTLS = "127.0.0.1", 1, "Mina sidor <no-reply@localhost>", "none"
	}
	cfg.DataDir = t.TempDir()
	cfg.SAMLKeyFile, cfg.SAMLCertFile = cfg.DataDir+"/sp-key.pem", cfg.DataDir+"/sp-cert.pem"
	cfg.StaffKeyFile, cfg.StaffCertFile = cfg.DataDir+"/staff-key.pem", cfg.DataDir+"/staff-cert.pem"
	for _, kp := range [][2]string{{cfg.SAMLKeyFile, cfg.SAMLCertFile}, {cfg.StaffKeyFile, cfg.StaffCertFile}} {
		if _, err := auth.LoadKeyPair(kp[0], kp[1], "localhost", true); err != nil {
			t.Fatal(err)
		}
	}
	logBuf := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logBuf, nil))
	notices, err := notify.New(pool, notify.Config{BaseURL: cfg.BaseURL.String(), Dev: true}, log)
	if err != nil {
		t.Fatal(err)
	}
	// The stores these tests reach, without the logins and background work of internal/app.
	s, err := New(Deps{
		Config: cfg, Log: log, Catalogue: i18n.MustLoad(), Sessions: auth.NewSessionStore(pool), Ready: pool.Ping,
		Tenants: tenant.NewStore(pool), EServices: eservice.NewStore(pool), Bulletins: bulletin.NewStore(pool),
		Staff: staff.NewStore(pool), Notices: notices, Logins: auth.NewLogins(pool, cfg.BaseURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, logBuf
}

// Each error kind a handler returns becomes its status and a page with a safe message in the
// user's language; only server faults are logged, and their cause never reaches the page.
func TestErrorAdapter(t *testing.T) {
	s, logBuf := newTestServer(t, config.Development)
	tests := []struct {
		err       error
		status    int
		text      string
		logged    bool
		reference bool
	}{
		{apperr.New(apperr.Invalid, ""), 400, "Felaktig begäran", false, false},
		{apperr.New(apperr.Invalid, "error.lang.invalid"), 400, "Språket finns inte", false, false},
		{apperr.New(apperr.Unauthorized, ""), 401, "Du behöver logga in", false, false},
		{apperr.New(apperr.Forbidden, ""), 403, "Åtkomst nekad", false, false},
		{fmt.Errorf("load: %w", apperr.New(apperr.NotFound, "")), 404, "Sidan finns inte", false, false},
		{apperr.New(apperr.Conflict, ""), 409, "Det gick inte att genomföra", false, false},
		{apperr.New(apperr.TooLarge, ""), 413, "För mycket data", false, false},
		{&http.MaxBytesError{Limit: 10}, 413, "För mycket data", false, false},
		{errors.New("secret cause 42"), 500, "Något gick fel", true, true},
		{apperr.Wrap(apperr.Internal, "error.lang.invalid", errors.New("secret cause 43")), 500, "Ett tekniskt fel", true, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) {
			logBuf.Reset()
			r := chi.NewRouter()
			r.Use(s.withRequest, s.locale)
			r.Get("/", s.h(func(http.ResponseWriter, *http.Request) error { return tt.err }))
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))

			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if !strings.Contains(body, tt.text) {
				t.Errorf("page lacks %q:\n%s", tt.text, body)
			}
			if strings.Contains(body, "secret cause") {
				t.Error("the page shows the internal cause")
			}
			if got := strings.Contains(logBuf.String(), "request failed"); got != tt.logged {
				t.Errorf("logged = %v, want %v: %s", got, tt.logged, logBuf)
			}
			if got := strings.Contains(body, "Ange referensen "+rec.Header().Get("X-Request-Id")); got != tt.reference {
				t.Errorf("reference shown = %v, want %v", got, tt.reference)
			}
		})
	}
}

// A panic in a handler becomes the logged 500 page, with the request id as the reference.
func TestPanicBecomes500(t *testing.T) {
	s, logBuf := newTestServer(t, config.Development)
	r := chi.NewRouter()
	r.Use(s.withRequest, s.recoverPanics, s.locale)
	r.Get("/", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))

	id := rec.Header().Get("X-Request-Id")
	if rec.Code != 500 || id == "" || !strings.Contains(rec.Body.String(), id) {
		t.Errorf("status %d, request id %q, body:\n%s", rec.Code, id, rec.Body)
	}
	if !strings.Contains(logBuf.String(), "kaboom") || !strings.Contains(logBuf.String(), id) {
		t.Errorf("log lacks the panic and its request id: %s", logBuf)
	}
}

// The session cookie is not called "session", is HttpOnly and SameSite=Lax, is a browser-session
// cookie, and is Secure in production only.
func TestSessionCookie(t *testing.T) {
	for _, env := range []string{config.Development, config.Production} {
		t.Run(env, func(t *testing.T) {
			s, _ := newTestServer(t, env)
			h := s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s.sessions.Put(r.Context(), "k", "v")
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies %v", cookies)
			}
			c := cookies[0]
			if c.Name != SessionCookie || c.Name == "session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("cookie %+v", c)
			}
			if !c.Expires.IsZero() || c.MaxAge != 0 {
				t.Errorf("cookie outlives the browser session: %+v", c)
			}
			if c.Secure != (env == config.Production) {
				t.Errorf("Secure = %v in %s", c.Secure, env)
			}
			// The idle timeout is the guard's (session_guard.go): scs's own would save every request.
			if s.sessions.IdleTimeout != 0 || s.cfg.SessionIdleTimeout.Minutes() != 20 || s.sessions.Lifetime.Hours() != 8 {
				t.Errorf("timeouts %v %v %v", s.sessions.IdleTimeout, s.cfg.SessionIdleTimeout, s.sessions.Lifetime)
			}
		})
	}
}

// The access log names method, path and status but never the query string, where answers and
// search terms live.
func TestAccessLogHasNoQuery(t *testing.T) {
	s, logBuf := newTestServer(t, config.Development)
	h := s.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/kakor?pnr=191212121212", nil))
	line := logBuf.String()
	if !strings.Contains(line, "path=/kakor") || !strings.Contains(line, "status=200") {
		t.Errorf("log line lacks path or status: %s", line)
	}
	if strings.Contains(line, "191212121212") {
		t.Errorf("log line holds the query: %s", line)
	}
}

// readyz reports the database; healthz does not need it.
func TestReadyzWithoutDatabase(t *testing.T) {
	s, _ := newTestServer(t, config.Development)
	h := s.Handler()
	pool := dbtest.New(t)
	s.ready = pool.Ping
	pool.Close()
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 503} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("%s = %d, want %d", path, rec.Code, want)
		}
	}
}

// Every response gets the security headers, and a handler that changes one changes it for its own
// response only: the values are made once and shared.
func TestSecurityHeadersPerResponse(t *testing.T) {
	s, _ := newTestServer(t, config.Development)
	r := chi.NewRouter()
	r.Use(s.secureHeaders)
	r.Get("/framed", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Add("X-Frame-Options", "SAMEORIGIN")
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'self'")
	})
	r.Get("/", func(http.ResponseWriter, *http.Request) {})
	serve := func(path string) http.Header {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Header()
	}
	if h := serve("/framed"); len(h.Values("X-Frame-Options")) != 2 || h.Get("Content-Security-Policy") != "frame-ancestors 'self'" {
		t.Fatalf("the handler's own headers: %v", h)
	}
	h := serve("/")
	if got := h.Values("X-Frame-Options"); len(got) != 1 || got[0] != "DENY" {
		t.Errorf("X-Frame-Options after another response added to it: %q", got)
	}
	if got := h.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("Content-Security-Policy after another response set its own: %q", got)
	}
	for _, k := range []string{"X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy"} {
		if h.Get(k) == "" {
			t.Errorf("no %s", k)
		}
	}
}

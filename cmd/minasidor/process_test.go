package main

// Real processes of this binary and a browser of them, for TestTwoServers.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// process is a real process of this binary running one command.
type process struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan error
}

func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{out: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(append(os.Environ(), runMainVar+"=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to end and returns how it ended.
func (p *process) wait(limit time.Duration) error {
	select {
	case err := <-p.done:
		p.done <- err
		return err
	case <-time.After(limit):
		return fmt.Errorf("still running after %s", limit)
	}
}

// lines are the process's JSON log lines.
func (p *process) lines() []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(p.out.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func (p *process) logged(msg string) bool {
	for _, l := range p.lines() {
		if l["msg"] == msg {
			return true
		}
	}
	return false
}

func (p *process) waitLog(t *testing.T, msg string, limit time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		for _, l := range p.lines() {
			if l["msg"] == msg {
				return l
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("the process ended (%v) before logging %q:\n%s", err, msg, p.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q logged within %s:\n%s", msg, limit, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var textVersion = regexp.MustCompile(`msg="([^"]+)" version=(\d+)`)

// versions are the versions the process logged as applied with msg (the migrate command logs
// as text).
func (p *process) versions(msg string) []string {
	var out []string
	for _, m := range textVersion.FindAllStringSubmatch(p.out.String(), -1) {
		if m[1] == msg {
			out = append(out, m[2])
		}
	}
	return out
}

// server is a serving process and its addresses.
type server struct {
	*process
	addr, metrics string
}

func startServer(t *testing.T, env []string) *server {
	t.Helper()
	p := startProcess(t, env, "dev")
	s := &server{process: p}
	s.addr = p.waitLog(t, "serving", 3*time.Minute)["listen"].(string)
	s.metrics = p.waitLog(t, "serving metrics", time.Minute)["listen"].(string)
	return s
}

// client is a browser whose requests, to whatever host, reach this server: the load balancer's
// choice. It follows no redirects.
func (s *server) client(jar http.CookieJar) *http.Client {
	return &http.Client{
		Jar: jar,
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, s.addr)
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// login logs the browser in as the test person through the development IdP, as a browser does.
func login(t *testing.T, c *http.Client, base, person string) {
	t.Helper()
	resp := get(t, c, base+"/login?return=%2Fmina-sidor")
	for resp.StatusCode == http.StatusSeeOther {
		resp = get(t, c, resolve(t, resp))
	}
	form := webtest.HiddenInputs(readBody(t, resp))
	form.Set("person", person)
	answer := post(t, c, base, base+"/idp/sso", form)
	acs := post(t, c, base, base+"/saml/acs", webtest.HiddenInputs(readBody(t, answer)))
	if acs.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d: %s", acs.StatusCode, readBody(t, acs))
	}
}

// submitStreetLighting submits the street-lighting report and returns the case's id.
func submitStreetLighting(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp := post(t, c, base, base+"/e-tjanster/felanmalan-gatubelysning/starta", url.Values{})
	for _, answers := range []url.Values{
		{"action": {"next"}, "location": {"Kungsgatan 12"}, "fault_type": {"slackt"}, "description": {"Släckt sedan en vecka."}},
		{"action": {"next"}, "wants_feedback": {"no"}},
	} {
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("step: status %d", resp.StatusCode)
		}
		resp = post(t, c, base, resolve(t, resp), answers)
	}
	review := resolve(t, resp)
	resp = post(t, c, base, strings.TrimSuffix(review, "/granska")+"/skicka", url.Values{})
	m := regexp.MustCompile(`/arenden/([0-9a-f-]{36})/kvitto$`).FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("submit: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return m[1]
}

func get(t *testing.T, c *http.Client, target string) *http.Response {
	t.Helper()
	resp, err := c.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// post posts the form with the headers a browser sends on a same-origin form post.
func post(t *testing.T, c *http.Client, origin, target string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func resolve(t *testing.T, resp *http.Response) string {
	t.Helper()
	u, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func count(t *testing.T, q *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func freePort(t *testing.T) int {
	t.Helper()
	port, err := db.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// syncBuffer is a buffer that a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

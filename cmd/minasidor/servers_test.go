package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/virusscan/clamdtest"
	"github.com/minasidor/minasidor/migrations"
)

// Two real server processes on one database, as behind a load balancer: migrations started by
// both at once run once; a session made on one is valid on the other; a notice is delivered
// once, and the periodic rescan job runs on one server at a time; a server stopped with SIGTERM
// first says it is not ready, finishes the request under way, takes no new ones, and stops its
// job queue within the limit, while the other serves on.
func TestTwoServers(t *testing.T) {
	ctx := context.Background()
	dbURL := dbtest.Empty(t)
	dataDir := t.TempDir()
	// The keys every server must share (as a deployment mounts them): made once, here.
	for _, kp := range [][2]string{{"sp-key.pem", "sp-cert.pem"}, {"staff-key.pem", "staff-cert.pem"}} {
		if _, err := auth.LoadKeyPair(dataDir+"/saml/"+kp[0], dataDir+"/saml/"+kp[1], "localhost", true); err != nil {
			t.Fatal(err)
		}
	}
	base := "http://localhost:" + strconv.Itoa(freePort(t)) // the load balancer's address: BASE_URL of both
	env := []string{
		"APP_ENV=development", "DATABASE_URL=" + dbURL, "BASE_URL=" + base, "DATA_DIR=" + dataDir,
		"LISTEN_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "LOG_FORMAT=json", "DEMO_DATA=false",
		"CLAMD_ADDR=" + clamdtest.Addr(t), "CLAMD_UNAVAILABLE=rescan", "CLAMD_RESCAN_INTERVAL=2s",
		"SHUTDOWN_DRAIN=2s", "SHUTDOWN_TIMEOUT=30s",
	}

	t.Run("migrations started by both at once run once", func(t *testing.T) {
		a, b := startProcess(t, env, "migrate"), startProcess(t, env, "migrate")
		for _, p := range []*process{a, b} {
			if err := p.wait(3 * time.Minute); err != nil {
				t.Fatalf("migrate: %v\n%s", err, p.out.String())
			}
		}
		files, _ := fs.Glob(migrations.FS, "*.sql")
		for _, kind := range []string{"migration applied", "river migration applied"} {
			applied := map[string]int{}
			for _, p := range []*process{a, b} {
				for _, v := range p.versions(kind) {
					applied[v]++
				}
			}
			for v, n := range applied {
				if n != 1 {
					t.Errorf("%s: version %s applied %d times", kind, v, n)
				}
			}
			if kind == "migration applied" && len(applied) != len(files) {
				t.Errorf("%d of %d migrations applied", len(applied), len(files))
			}
		}
	})

	pool, err := db.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}

	a, b := startServer(t, env), startServer(t, env)
	jar, _ := cookiejar.New(nil)
	viaA, viaB := a.client(jar), b.client(jar) // one browser, whose requests the balancer sends to A or B

	t.Run("a session made on one server is valid on the other", func(t *testing.T) {
		login(t, viaA, base, "adult")
		for _, c := range []*http.Client{viaA, viaB} {
			resp := get(t, c, base+"/mina-sidor")
			if resp.StatusCode != http.StatusOK || !strings.Contains(readBody(t, resp), "Karin") {
				t.Fatalf("Mina sidor: status %d", resp.StatusCode)
			}
		}
	})

	var caseID string
	t.Run("a notice is delivered once", func(t *testing.T) {
		// Karin has confirmed her address (a changed address is unconfirmed again: two updates).
		for _, set := range []string{`email = 'karin@example.se', preferred_channel = 'email'`, `email_verified_at = now()`} {
			if _, err := pool.Exec(ctx, `UPDATE account SET `+set); err != nil {
				t.Fatal(err)
			}
		}
		caseID = submitStreetLighting(t, viaB, base)
		deadline := time.Now().Add(2 * time.Minute)
		for count(t, pool, `SELECT count(*) FROM notice WHERE case_id = $1 AND channel = 'email'`, caseID) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the notice was not delivered")
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(time.Second) // room for a second delivery, if there were one
		if n := count(t, pool, `SELECT count(*) FROM dev_mailbox WHERE recipient = 'karin@example.se'`); n != 1 {
			t.Errorf("%d e-mails, want 1", n)
		}
		if n := count(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'notify_deliver' AND (attempt <> 1 OR state <> 'completed')`); n != 0 {
			t.Errorf("%d delivery jobs not completed at their first attempt", n)
		}
	})

	t.Run("the periodic rescan runs on one server at a time", func(t *testing.T) {
		// Files kept while the scanner was down: three clean, one infected.
		for i, data := range [][]byte{[]byte("%PDF-1.4 a"), []byte("%PDF-1.4 b"), append([]byte("%PDF-1.4 c"), virusscan.EICAR()...), []byte("%PDF-1.4 d")} {
			if _, err := pool.Exec(ctx, `
				INSERT INTO upload (tenant_id, case_id, field_key, filename, content_type, size, sha256, data, scan)
				SELECT tenant_id, id, 'photos', $2, 'application/pdf', $3, sha256($4), $4, 'pending' FROM cases WHERE id = $1`,
				caseID, fmt.Sprintf("kept-%d.pdf", i), len(data), data); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(2 * time.Minute)
		for count(t, pool, `SELECT count(*) FROM upload WHERE scan = 'pending'`) > 0 {
			if time.Now().After(deadline) {
				t.Fatal("the pending files were not rescanned")
			}
			time.Sleep(200 * time.Millisecond)
		}
		if n := count(t, pool, `SELECT count(*) FROM virus_finding WHERE source = 'rescan'`); n != 1 {
			t.Errorf("%d findings of the rescan, want 1", n)
		}
		time.Sleep(5 * time.Second) // a few more periods
		// River's leader alone enqueues the periodic job: one every 2 s, never two at once.
		rows, err := pool.Query(ctx, `SELECT created_at FROM river_job WHERE kind = 'periodic' AND args->>'name' = 'virusscan_rescan' ORDER BY created_at`)
		if err != nil {
			t.Fatal(err)
		}
		var at []time.Time
		for rows.Next() {
			var ts time.Time
			rows.Scan(&ts)
			at = append(at, ts)
		}
		if len(at) < 2 {
			t.Fatalf("%d rescan jobs", len(at))
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < time.Second {
				t.Errorf("rescan jobs %d and %d enqueued %s apart: by two servers?", i-1, i, gap)
			}
		}
	})

	t.Run("metrics on their own address", func(t *testing.T) {
		resp := get(t, http.DefaultClient, "http://"+b.metrics+"/metrics")
		body := readBody(t, resp)
		for _, want := range []string{
			`minasidor_http_requests_total{method="GET",route="/mina-sidor",status="200"} 1`,
			`minasidor_notices_total{channel="email",outcome="sent"}`,
			`minasidor_db_pool_connections{state="max"}`,
		} {
			if !strings.Contains(body, want) && !strings.Contains(readBody(t, get(t, http.DefaultClient, "http://"+a.metrics+"/metrics")), want) {
				t.Errorf("neither server's metrics have %s", want)
			}
		}
		if resp := get(t, viaA, base+"/metrics"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("metrics on the portal's address: status %d", resp.StatusCode)
		}
	})

	t.Run("SIGTERM: not ready first, the request under way finishes, no new ones, jobs stop", func(t *testing.T) {
		// A request under way: its headers and half its body sent.
		form := "lang=en&return=%2F"
		conn, err := net.Dial("tcp", a.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		u, _ := url.Parse(base)
		var cookies []string
		for _, c := range jar.Cookies(u) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		fmt.Fprintf(conn, "POST /sprak HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nSec-Fetch-Site: same-origin\r\nCookie: %s\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
			u.Host, base, strings.Join(cookies, "; "), len(form), form[:5])

		if resp := get(t, viaA, base+"/readyz"); resp.StatusCode != http.StatusOK {
			t.Fatalf("ready before the stop: %d", resp.StatusCode)
		}
		a.cmd.Process.Signal(syscall.SIGTERM)
		stopped := time.Now()
		for {
			resp, err := viaA.Get(base + "/readyz")
			if err != nil {
				t.Fatalf("/readyz while draining: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				break
			}
			if time.Since(stopped) > 10*time.Second {
				t.Fatalf("still ready after SIGTERM: %d", resp.StatusCode)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if resp := get(t, viaB, base+"/readyz"); resp.StatusCode != http.StatusOK {
			t.Errorf("the other server is not ready: %d", resp.StatusCode)
		}
		a.waitLog(t, "shutting down: no new requests", time.Minute)
		for refused := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			c, err := net.DialTimeout("tcp", a.addr, 5*time.Second)
			if err != nil {
				break // it listens no more
			}
			c.Close()
			if time.Now().After(refused) {
				t.Fatal("new connections are still taken after the drain")
			}
		}

		io.WriteString(conn, form[5:]) // the rest of the body: the request finishes
		conn.SetReadDeadline(time.Now().Add(time.Minute))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("the request under way: %v\n%s", err, a.out.String())
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the request under way: status %d", resp.StatusCode)
		}

		if err := a.wait(time.Minute); err != nil {
			t.Fatalf("the stopped server: %v\n%s", err, a.out.String())
		}
		if took := time.Since(stopped); took > 35*time.Second {
			t.Errorf("stopping took %s", took)
		}
		for _, msg := range []string{"shutting down: requests finished", "job queue stopped"} {
			if !a.logged(msg) {
				t.Errorf("the log lacks %q:\n%s", msg, a.out.String())
			}
		}
		// The session goes on on the other server.
		if resp := get(t, viaB, base+"/mina-sidor"); resp.StatusCode != http.StatusOK {
			t.Errorf("Mina sidor on the other server: status %d", resp.StatusCode)
		}
	})
}

package notify_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Every kind of notice arrives once, over a real SMTP conversation, with proper headers, naming
// the municipality, the e-service and the reference, and with nothing from the case.
func TestEmailNoticePerEvent(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	caseID, ref := e.newCase(karin)
	e.start()

	subjects := map[string]string{
		notify.KindCaseSubmitted:       "Vi har tagit emot ditt ärende " + ref,
		notify.KindNewMessage:          "Nytt meddelande i ditt ärende " + ref,
		notify.KindStatusChanged:       "Ny status i ditt ärende " + ref,
		notify.KindSupplementRequested: "Komplettering behövs i ditt ärende " + ref,
		notify.KindCaseClosed:          "Ditt ärende " + ref + " är avslutat",
	}
	for kind := range subjects {
		e.enqueue(karin, caseID, kind)
	}
	got := map[string]bool{}
	for range subjects {
		m := srv.next(t)
		p := parseMail(t, m)
		if got[p.Subject] {
			t.Errorf("second e-mail %q", p.Subject)
		}
		got[p.Subject] = true
		if m.From != "no-reply@minasidor.example.se" || len(m.To) != 1 || m.To[0] != "karin@example.se" {
			t.Errorf("envelope from %q to %v", m.From, m.To)
		}
		checkHeaders(t, p)
		for _, want := range []string{ref, "Alingsås kommun", "Ansökan om bygglov", "Logga in på Mina sidor för att läsa: " + loginURL} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("%q: body lacks %q:\n%s", p.Subject, want, p.Body)
			}
		}
		checkNoContent(t, p.Subject+"\n"+p.Body)
	}
	for kind, subject := range subjects {
		if !got[subject] {
			t.Errorf("no e-mail %q", subject)
		}
		if s := e.waitNotice(caseID, kind); s != (noticeState{Sent: true, Channel: "email"}) {
			t.Errorf("notice %s: %+v", kind, s)
		}
	}
	srv.none(t, 300*time.Millisecond)

	t.Run("in English", func(t *testing.T) {
		anna := e.account(acct{Email: "anna@example.se", Channel: "email", EmailVerified: true, Lang: "en"})
		caseID, ref := e.newCase(anna)
		e.enqueue(anna, caseID, notify.KindNewMessage)
		p := parseMail(t, srv.next(t))
		if want := "New message in your case " + ref; p.Subject != want {
			t.Errorf("subject %q, want %q", p.Subject, want)
		}
		for _, want := range []string{"Building permit application", "Log in to Mina sidor to read more: " + loginURL} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, p.Body)
			}
		}
	})
}

func checkHeaders(t *testing.T, p parsedMail) {
	t.Helper()
	h := p.Header
	if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Name != "Mina sidor" || from.Address != "no-reply@minasidor.example.se" {
		t.Errorf("From %q", h.Get("From"))
	}
	if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Address != "karin@example.se" {
		t.Errorf("To %q", h.Get("To"))
	}
	if !strings.HasPrefix(h.Get("Subject"), "=?utf-8?q?") {
		t.Errorf("Subject %q is not RFC 2047 encoded UTF-8", h.Get("Subject"))
	}
	if d, err := h.Date(); err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-Id"); !regexp.MustCompile(`^<[0-9a-f]{32}@minasidor\.example\.se>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	for k, want := range map[string]string{
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s %q, want %q", k, got, want)
		}
	}
}

func checkNoContent(t *testing.T, text string) {
	t.Helper()
	for _, secret := range []string{secretAnswer, secretMessage} {
		if strings.Contains(text, secret) {
			t.Errorf("a notice contains case content %q", secret)
		}
	}
}

// A temporary SMTP failure is retried, and the notice arrives exactly once.
func TestEmailRetry(t *testing.T) {
	srv := startSMTP(t)
	srv.rejectNext(1)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	caseID, ref := e.newCase(karin)
	e.start()
	e.enqueue(karin, caseID, notify.KindStatusChanged)

	if p := parseMail(t, srv.next(t)); !strings.Contains(p.Subject, ref) {
		t.Errorf("subject %q", p.Subject)
	}
	srv.none(t, 500*time.Millisecond)
	waitFor(t, "the job to complete after two attempts", func() bool {
		return e.count(`SELECT count(*) FROM river_job WHERE kind = 'notify_deliver' AND state = 'completed' AND attempt = 2 AND cardinality(errors) = 1`) == 1
	})
	if s := e.waitNotice(caseID, notify.KindStatusChanged); s != (noticeState{Sent: true, Channel: "email"}) {
		t.Errorf("notice %+v", s)
	}
}

// The job of a notice that is gone (its case erased before delivery) ends as cancelled, not as
// an error to retry, and sends nothing.
func TestNoticeGoneBeforeDelivery(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	caseID, _ := e.newCase(karin)
	e.enqueue(karin, caseID, notify.KindStatusChanged)
	if _, err := e.pool.Exec(t.Context(), `DELETE FROM notice`); err != nil {
		t.Fatal(err)
	}
	e.start()
	waitFor(t, "the job to be cancelled", func() bool {
		return e.count(`SELECT count(*) FROM river_job WHERE kind = 'notify_deliver' AND state = 'cancelled' AND attempt = 1`) == 1
	})
	srv.none(t, 200*time.Millisecond)
}

// A transaction that enqueued a notice and rolled back leaves no notice and no job.
func TestRollbackSendsNothing(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	caseID, ref := e.newCase(karin)
	e.start()

	ctx := t.Context()
	tx, err := e.pool.Begin(ctx)
	e.must(err)
	e.must(e.n.Enqueue(ctx, tx, notify.Notice{TenantID: e.tenantID, AccountID: karin, CaseID: caseID, Kind: notify.KindCaseSubmitted}))
	e.must(tx.Rollback(ctx))
	// A committed notice after it, as a marker that delivery runs.
	e.enqueue(karin, caseID, notify.KindCaseClosed)

	if p := parseMail(t, srv.next(t)); p.Subject != "Ditt ärende "+ref+" är avslutat" {
		t.Errorf("got %q, want only the committed notice", p.Subject)
	}
	srv.none(t, 500*time.Millisecond)
	if n := e.count(`SELECT count(*) FROM notice`); n != 1 {
		t.Errorf("%d notices, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM river_job`); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}

// Only a confirmed address or number of the preferred channel gets a notice; otherwise the
// notice is marked skipped with the reason.
func TestSkipped(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()}) // no SMS gateway
	e.start()
	for _, tc := range []struct {
		name   string
		acct   acct
		reason string
	}{
		{"unverified e-mail", acct{Email: "karin@example.se", Channel: "email"}, notify.SkipUnverified},
		{"verified e-mail, unverified SMS preferred", acct{Email: "karin@example.se", EmailVerified: true, Phone: "+46701234567", Channel: "sms"}, notify.SkipSMSUnavailable},
		{"no channel chosen", acct{Email: "karin@example.se", EmailVerified: true}, notify.SkipNoChannel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := e.account(tc.acct)
			caseID, _ := e.newCase(id)
			e.enqueue(id, caseID, notify.KindNewMessage)
			if s := e.waitNotice(caseID, notify.KindNewMessage); s != (noticeState{Sent: true, Channel: "none", Reason: tc.reason}) {
				t.Errorf("notice %+v, want skipped for %s", s, tc.reason)
			}
		})
	}
	srv.none(t, 300*time.Millisecond)
}

// A caller that read that the holder has chosen no channel gets the notice written as skipped at
// once, with no job to deliver it; an address given beside it still gets the notice.
func TestNoChannelQueuesNoJob(t *testing.T) {
	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	e.start()
	ctx := t.Context()
	send := func(n notify.Notice) {
		t.Helper()
		tx, err := e.pool.Begin(ctx)
		e.must(err)
		defer tx.Rollback(ctx)
		e.must(e.n.Enqueue(ctx, tx, n))
		e.must(tx.Commit(ctx))
	}

	karin := e.account(acct{})
	caseID, _ := e.newCase(karin)
	send(notify.Notice{TenantID: e.tenantID, AccountID: karin, CaseID: caseID, Kind: notify.KindCaseSubmitted, NoChannel: true})
	if s := e.notice(caseID, notify.KindCaseSubmitted); s != (noticeState{Sent: true, Channel: "none", Reason: notify.SkipNoChannel}) {
		t.Errorf("notice %+v, want skipped for no channel as it commits", s)
	}
	if n := e.count(`SELECT count(*) FROM river_job WHERE kind = 'notify_deliver'`); n != 0 {
		t.Errorf("%d delivery jobs, want none", n)
	}

	send(notify.Notice{TenantID: e.tenantID, AccountID: karin, CaseID: caseID, Email: "given@example.se",
		Kind: notify.KindNewMessage, NoChannel: true})
	if m := srv.next(t); len(m.To) != 1 || m.To[0] != "given@example.se" {
		t.Errorf("e-mail to %v, want the address given", m.To)
	}
	if s := e.waitNotice(caseID, notify.KindNewMessage); s != (noticeState{Sent: true, Channel: "email"}) {
		t.Errorf("notice with an address given: %+v", s)
	}
	srv.none(t, 300*time.Millisecond)
}

// A notice by SMS goes to the gateway as JSON with the bearer token; a failing gateway is
// retried.
func TestSMSNotice(t *testing.T) {
	type request struct {
		auth, contentType string
		body              map[string]string
	}
	var mu sync.Mutex
	var requests []request
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		req := request{auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type")}
		if err := json.Unmarshal(b, &req.body); err != nil || r.Method != http.MethodPost {
			t.Errorf("%s %s", r.Method, b)
		}
		mu.Lock()
		requests = append(requests, req)
		first := len(requests) == 1
		mu.Unlock()
		if first {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer gateway.Close()

	srv := startSMTP(t)
	e := newEnv(t, notify.Config{SMTP: srv.config(), SMS: notify.SMSConfig{URL: gateway.URL + "/sms", Token: "s3cret", Sender: "Alingsas"}})
	karin := e.account(acct{Email: "karin@example.se", EmailVerified: true, Phone: "+46701234567", PhoneVerified: true, Channel: "sms"})
	caseID, ref := e.newCase(karin)
	e.start()
	e.enqueue(karin, caseID, notify.KindNewMessage)

	if s := e.waitNotice(caseID, notify.KindNewMessage); s != (noticeState{Sent: true, Channel: "sms"}) {
		t.Errorf("notice %+v", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) != 2 {
		t.Fatalf("%d requests to the gateway, want 2 (one failed, one retry)", len(requests))
	}
	r := requests[1]
	if r.auth != "Bearer s3cret" || r.contentType != "application/json" {
		t.Errorf("Authorization %q, Content-Type %q", r.auth, r.contentType)
	}
	if r.body["to"] != "+46701234567" || r.body["from"] != "Alingsas" {
		t.Errorf("request %v", r.body)
	}
	msg := r.body["message"]
	for _, want := range []string{"Alingsås kommun", ref, "Ansökan om bygglov", "Logga in på Mina sidor för att läsa: " + loginURL} {
		if !strings.Contains(msg, want) {
			t.Errorf("SMS lacks %q: %s", want, msg)
		}
	}
	checkNoContent(t, msg)
	srv.none(t, 100*time.Millisecond)
}

// In development without SMTP and SMS gateway, both channels land in the development mailbox.
func TestDevMailbox(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	nils := e.account(acct{Phone: "+46709876543", Channel: "sms", PhoneVerified: true})
	karinCase, karinRef := e.newCase(karin)
	nilsCase, nilsRef := e.newCase(nils)
	e.start()
	e.enqueue(karin, karinCase, notify.KindCaseSubmitted)
	e.enqueue(nils, nilsCase, notify.KindCaseSubmitted)

	var items []notify.MailboxItem
	waitFor(t, "two messages in the development mailbox", func() bool {
		var err error
		items, err = notify.DevMailbox(t.Context(), e.pool, 10)
		e.must(err)
		return len(items) >= 2
	})
	byChannel := map[string]notify.MailboxItem{}
	for _, it := range items {
		byChannel[it.Channel] = it
		checkNoContent(t, it.Subject+it.Body)
	}
	if m := byChannel["email"]; m.Recipient != "karin@example.se" || m.Subject != "Vi har tagit emot ditt ärende "+karinRef || !strings.Contains(m.Body, loginURL) {
		t.Errorf("e-mail %+v", m)
	}
	if m := byChannel["sms"]; m.Recipient != "+46709876543" || m.Subject != "" || !strings.Contains(m.Body, nilsRef) {
		t.Errorf("SMS %+v", m)
	}
	if items, err := notify.DevMailbox(t.Context(), e.pool, 1); err != nil || len(items) != 1 {
		t.Errorf("limit 1 gave %d items, %v", len(items), err)
	}
}

func TestEnqueueRefusesUnknownKind(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	karin := e.account(acct{Email: "karin@example.se", Channel: "email", EmailVerified: true})
	caseID, _ := e.newCase(karin)
	tx, err := e.pool.Begin(t.Context())
	e.must(err)
	defer tx.Rollback(t.Context())
	if err := e.n.Enqueue(t.Context(), tx, notify.Notice{TenantID: e.tenantID, AccountID: karin, CaseID: caseID, Kind: "gossip"}); err == nil {
		t.Error("an unknown kind was enqueued")
	}
}

func TestNewConfig(t *testing.T) {
	pool := newEnv(t, notify.Config{Dev: true}).pool
	for _, tc := range []struct {
		name string
		cfg  notify.Config
		ok   bool
	}{
		{"production needs SMTP", notify.Config{BaseURL: baseURL}, false},
		{"development mailbox", notify.Config{BaseURL: baseURL, Dev: true}, true},
		{"no base URL", notify.Config{Dev: true}, false},
		{"bad TLS mode", notify.Config{BaseURL: baseURL, SMTP: notify.SMTPConfig{Host: "mx", From: "a@b.se", TLS: "maybe"}}, false},
		{"bad from", notify.Config{BaseURL: baseURL, SMTP: notify.SMTPConfig{Host: "mx", From: "nobody"}}, false},
		{"SMS over plain http elsewhere", notify.Config{BaseURL: baseURL, Dev: true, SMS: notify.SMSConfig{URL: "http://sms.example.se", Token: "t", Sender: "X"}}, false},
		{"SMS without token", notify.Config{BaseURL: baseURL, Dev: true, SMS: notify.SMSConfig{URL: "https://sms.example.se", Sender: "X"}}, false},
		{"SMTP and SMS", notify.Config{BaseURL: baseURL, SMTP: notify.SMTPConfig{Host: "mx", From: "a@b.se"}, SMS: notify.SMSConfig{URL: "https://sms.example.se", Token: "t", Sender: "X"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notify.New(pool, tc.cfg, nil)
			if (err == nil) != tc.ok {
				t.Errorf("New: %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// Migrate applies River's tables once, even when servers start together.
func TestMigrate(t *testing.T) {
	pool := dbtest.New(t)
	// Test databases come with River's tables: take them away first.
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(t.Context(), rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1}); err != nil {
		t.Fatal(err)
	}
	if pending, err := notify.Pending(t.Context(), pool); err != nil || !pending {
		t.Fatalf("Pending = %v, %v before Migrate", pending, err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := notify.Migrate(t.Context(), pool, nil); err != nil {
				t.Errorf("Migrate: %v", err)
			}
		})
	}
	wg.Wait()
	if pending, err := notify.Pending(t.Context(), pool); err != nil || pending {
		t.Fatalf("Pending = %v, %v after Migrate", pending, err)
	}
}

// A notice written as skipped for want of a channel counts in the metrics once its transaction
// commits: not when it rolls back, and once when the transaction is tried again.
func TestSkippedCountedOnCommit(t *testing.T) {
	var skipped atomic.Int32
	e := newEnv(t, notify.Config{SMTP: startSMTP(t).config(), Observe: func(outcome, channel string) {
		if outcome == "skipped" {
			skipped.Add(1)
		}
	}})
	karin := e.account(acct{})
	caseID, _ := e.newCase(karin)
	ctx := t.Context()
	n := notify.Notice{TenantID: e.tenantID, AccountID: karin, CaseID: caseID, Kind: notify.KindCaseSubmitted, NoChannel: true}

	boom := errors.New("boom")
	if err := db.Transact(ctx, e.pool, func(tx pgx.Tx) error {
		e.must(e.n.Enqueue(ctx, tx, n))
		return boom
	}); !errors.Is(err, boom) || skipped.Load() != 0 {
		t.Errorf("rolled back: err %v, %d skips counted", err, skipped.Load())
	}

	attempts := 0
	if err := db.Transact(ctx, e.pool, func(tx pgx.Tx) error {
		e.must(e.n.Enqueue(ctx, tx, n))
		if attempts++; attempts == 1 {
			return &pgconn.PgError{Code: "40001"}
		}
		if skipped.Load() != 0 {
			t.Error("counted before the commit")
		}
		return nil
	}); err != nil || skipped.Load() != 1 {
		t.Errorf("committed on the second attempt: err %v, %d skips counted, want 1", err, skipped.Load())
	}
	if c := e.count(`SELECT count(*) FROM notice`); c != 1 {
		t.Errorf("%d notices, want 1", c)
	}
}

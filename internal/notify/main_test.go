package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/notify"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Contents that must never leave the portal in a notice.
const (
	secretAnswer  = "HEMLIGT ÄRENDEINNEHÅLL"
	secretMessage = "HEMLIG MEDDELANDETEXT"
	baseURL       = "https://minasidor.example.se"
	loginURL      = baseURL + "/mina-sidor"
)

// env is a migrated database with one municipality and e-service, and a Notifier on it.
type env struct {
	t          *testing.T
	pool       *pgxpool.Pool
	n          *notify.Notifier
	tenantID   uuid.UUID
	eserviceID uuid.UUID
	versionID  uuid.UUID
	cases      int
}

func newEnv(t *testing.T, cfg notify.Config) *env {
	t.Helper()
	ctx := t.Context()
	pool := dbtest.New(t)
	if err := notify.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = baseURL
	cfg.Queue = notify.QueueConfig{
		PollInterval: 20 * time.Millisecond,
		RetryDelay:   func(int) time.Duration { return 50 * time.Millisecond },
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	n, err := notify.New(pool, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, pool: pool, n: n}
	e.must(pool.QueryRow(ctx, `INSERT INTO tenant (slug, name, code) VALUES ('alingsas', 'Alingsås kommun', 'ALI') RETURNING id`).Scan(&e.tenantID))
	e.must(pool.QueryRow(ctx, `
		INSERT INTO eservice (tenant_id, slug, title, category, audience, login_rule)
		VALUES ($1, 'bygglov', '{"sv": "Ansökan om bygglov", "en": "Building permit application"}', 'bygga', ARRAY['private'], 'required')
		RETURNING id`, e.tenantID).Scan(&e.eserviceID))
	e.must(pool.QueryRow(ctx, `
		INSERT INTO eservice_version (tenant_id, eservice_id, number, definition) VALUES ($1, $2, 1, '{}') RETURNING id`,
		e.tenantID, e.eserviceID).Scan(&e.versionID))
	return e
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// start runs the delivery until the test ends.
func (e *env) start() {
	e.t.Helper()
	if err := e.n.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.n.Stop(ctx); err != nil {
			e.t.Errorf("stop: %v", err)
		}
	})
}

// acct describes a test account's contact data.
type acct struct {
	Email, Phone, Channel, Lang  string
	EmailVerified, PhoneVerified bool
}

func (e *env) account(a acct) uuid.UUID {
	e.t.Helper()
	var id uuid.UUID
	e.must(e.pool.QueryRow(e.t.Context(), `
		INSERT INTO account (personal_number, email, phone, preferred_channel, language, email_verified_at, phone_verified_at)
		VALUES ($1, nullif($2, ''), nullif($3, ''), nullif($4, ''), coalesce(nullif($5, ''), 'sv'),
			CASE WHEN $6 THEN now() END, CASE WHEN $7 THEN now() END)
		RETURNING id`, fmt.Sprintf("19%010d", rand.Int64N(1e10)), a.Email, a.Phone, a.Channel, a.Lang,
		a.EmailVerified, a.PhoneVerified).Scan(&id))
	return id
}

// newCase makes a case of the account, with content and a caseworker's message that no notice
// may contain. It returns the case and its reference.
func (e *env) newCase(accountID uuid.UUID) (uuid.UUID, string) {
	e.t.Helper()
	e.cases++
	ref := fmt.Sprintf("ALI-2026-%06d", e.cases)
	var id uuid.UUID
	e.must(e.pool.QueryRow(e.t.Context(), `
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id)
		VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid()) RETURNING id`,
		e.tenantID, e.eserviceID, e.versionID, ref, accountID, map[string][]string{"beskrivning": {secretAnswer}}).Scan(&id))
	_, err := e.pool.Exec(e.t.Context(), `INSERT INTO message (tenant_id, case_id, sender, body) VALUES ($1, $2, 'caseworker', $3)`,
		e.tenantID, id, secretMessage)
	e.must(err)
	return id, ref
}

// enqueue enqueues a notice in a transaction of its own and commits it.
func (e *env) enqueue(accountID, caseID uuid.UUID, kind string) {
	e.t.Helper()
	ctx := e.t.Context()
	tx, err := e.pool.Begin(ctx)
	e.must(err)
	defer tx.Rollback(ctx)
	e.must(e.n.Enqueue(ctx, tx, notify.Notice{TenantID: e.tenantID, AccountID: accountID, CaseID: caseID, Kind: kind}))
	e.must(tx.Commit(ctx))
}

// noticeState is how a notice was dealt with.
type noticeState struct {
	Sent    bool
	Channel string
	Reason  string
}

func (e *env) notice(caseID uuid.UUID, kind string) noticeState {
	e.t.Helper()
	var s noticeState
	e.must(e.pool.QueryRow(e.t.Context(), `
		SELECT sent_at IS NOT NULL, coalesce(channel, ''), coalesce(skipped_reason, '')
		FROM notice WHERE case_id = $1 AND kind = $2`, caseID, kind).Scan(&s.Sent, &s.Channel, &s.Reason))
	return s
}

// waitNotice waits until the notice is dealt with.
func (e *env) waitNotice(caseID uuid.UUID, kind string) noticeState {
	e.t.Helper()
	var s noticeState
	waitFor(e.t, "notice "+kind+" dealt with", func() bool {
		s = e.notice(caseID, kind)
		return s.Sent
	})
	return s
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	e.must(e.pool.QueryRow(e.t.Context(), query, args...).Scan(&n))
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

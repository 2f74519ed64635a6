package db_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

func TestMigrationsApplyAndAreIdempotent(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	for _, table := range []string{"tenant", "tenant_host", "sessions"} {
		var ok bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (err %v)", table, err)
		}
	}
	// A second run finds nothing to do.
	if err := db.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

func TestDatabasesAreIsolated(t *testing.T) {
	a, b := dbtest.New(t), dbtest.New(t)
	ctx := context.Background()
	if _, err := a.Exec(ctx, `INSERT INTO tenant (slug, name, code) VALUES ('iso', 'Iso kommun', 'ISO')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM tenant WHERE slug = 'iso'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("second database sees %d rows of the first (err %v)", n, err)
	}
}

func TestTransactRollsBackOnError(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Transact(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tenant (slug, name, code) VALUES ('rb', 'Rb', 'RB')`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM tenant WHERE slug = 'rb'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("the insert survived a failed transaction")
	}
}

func TestTransactRetriesSerializationFailures(t *testing.T) {
	pool := dbtest.New(t)
	var calls atomic.Int32
	err := db.Transact(context.Background(), pool, func(tx pgx.Tx) error {
		if calls.Add(1) < 3 {
			return &pgconn.PgError{Code: "40001"}
		}
		return nil
	})
	if err != nil || calls.Load() != 3 {
		t.Errorf("err %v after %d calls, want success on the third", err, calls.Load())
	}
}

// The local cluster used by dev survives a restart with its data, and a second Start finds the
// running server instead of starting another.
func TestClusterRestartKeepsData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	ctx := context.Background()
	port, err := db.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/pg"
	c := &db.Cluster{Dir: dir, Port: port, Fast: true}
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	url, err := c.EnsureDatabase(ctx, "keep")
	if err != nil {
		t.Fatal(err)
	}
	exec(t, url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`)

	again := &db.Cluster{Dir: dir}
	if _, err := again.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if again.Port != port {
		t.Errorf("second Start found port %d, want %d", again.Port, port)
	}
	if err := again.Stop(); err != nil { // did not start it: must not stop it
		t.Fatal(err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}

	restarted := &db.Cluster{Dir: dir}
	if _, err := restarted.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer restarted.Stop()
	conn, err := pgx.Connect(ctx, restarted.URL("keep"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "still here" {
		t.Errorf("after restart: %q, %v", v, err)
	}
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

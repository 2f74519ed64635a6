// Package dbtest gives tests a real, migrated PostgreSQL database of their own.
//
// The server is the one named by TEST_DATABASE_URL (make test starts an ephemeral cluster and sets
// it); without it, Main starts an ephemeral cluster for the test binary and stops it at the end.
// Every call of New creates a fresh database from a migrated template, so tests and packages run
// in parallel without seeing each other's rows.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/migrations"
)

// EnvVar names the server the tests use.
const EnvVar = "TEST_DATABASE_URL"

// Main runs the tests of a package. When TEST_DATABASE_URL is not set it starts an ephemeral
// cluster first, and stops it when the tests are done. Call it from TestMain.
func Main(m *testing.M) {
	if os.Getenv(EnvVar) != "" {
		os.Exit(m.Run())
	}
	cluster, err := StartCluster(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtest:", err)
		os.Exit(1)
	}
	os.Setenv(EnvVar, cluster.URL("postgres"))
	code := m.Run()
	if err := cluster.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "dbtest:", err)
	}
	os.RemoveAll(filepath.Dir(cluster.Dir))
	os.Exit(code)
}

// StartCluster starts an ephemeral, fast, non-durable cluster in a new temporary folder.
func StartCluster(ctx context.Context) (*db.Cluster, error) {
	dir, err := os.MkdirTemp("", "minasidor-test-pg-")
	if err != nil {
		return nil, err
	}
	port, err := db.FreePort()
	if err != nil {
		return nil, err
	}
	c := &db.Cluster{Dir: dir + "/data", Port: port, Fast: true}
	if _, err := c.Start(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// New returns a pool on a new, fully migrated database that is dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	server := os.Getenv(EnvVar)
	if server == "" {
		t.Fatalf("dbtest: %s is not set; run the tests with make test, or call dbtest.Main from TestMain", EnvVar)
	}
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v", EnvVar, err)
	}
	defer admin.Close(ctx)

	template, err := ensureTemplate(ctx, admin, server)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	name := "test_" + randomHex(8)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	pool, err := db.Open(ctx, withDatabase(server, name))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
		}
	})
	return pool
}

// Empty returns the address of a new, empty database (no migrations) that is dropped when the
// test ends, for tests of migrating itself.
func Empty(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	server := os.Getenv(EnvVar)
	if server == "" {
		t.Fatalf("dbtest: %s is not set; run the tests with make test, or call dbtest.Main from TestMain", EnvVar)
	}
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v", EnvVar, err)
	}
	defer admin.Close(ctx)
	name := "test_" + randomHex(8)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(server, name)
}

// URL returns the address of a new migrated database, for code under test that opens its own
// pool (the server's main, the browser tests).
func URL(t testing.TB) string {
	t.Helper()
	pool := New(t)
	return pool.Config().ConnString()
}

// ensureTemplate creates, once per set of migrations, a migrated template database. An advisory
// lock keeps parallel test packages from building it twice.
func ensureTemplate(ctx context.Context, admin *pgx.Conn, server string) (string, error) {
	name := "tmpl_" + migrationsHash()
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
		return "", err
	}
	defer admin.Exec(ctx, "SELECT pg_advisory_unlock(727274)")

	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building)); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	pool, err := db.Open(ctx, withDatabase(server, building))
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	if err == nil {
		err = notify.Migrate(ctx, pool, slog.New(slog.DiscardHandler)) // River's job tables
	}
	pool.Close()
	if err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	return name, nil
}

// migrationsHash names the template after every migration it holds: ours, and River's version.
func migrationsHash() string {
	h := sha256.New()
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/riverqueue/river" {
				fmt.Fprintf(h, "river %s\x00", dep.Version)
			}
		}
	}
	fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		panic(fmt.Sprintf("dbtest: %s is not a URL", EnvVar))
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

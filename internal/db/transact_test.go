package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// Transact on a transaction joins it: the inner work commits with the outer transaction, or not
// at all; an inner failure undoes only the inner work.
func TestTransactJoinsATransaction(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	count := tenantCounter(t, pool)
	insert := func(q db.Querier, slug string) error {
		_, err := q.Exec(ctx, `INSERT INTO tenant (slug, name, code) VALUES ($1, $1, upper($1))`, slug)
		return err
	}
	boom := errors.New("boom")

	err := db.Transact(ctx, pool, func(tx pgx.Tx) error {
		if err := insert(tx, "ya"); err != nil {
			return err
		}
		if err := db.Transact(ctx, tx, func(inner pgx.Tx) error { return insert(inner, "yb") }); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || count("ya")+count("yb") != 0 {
		t.Errorf("an outer failure kept the inner work: err %v, %d + %d rows", err, count("ya"), count("yb"))
	}

	err = db.Transact(ctx, pool, func(tx pgx.Tx) error {
		if err := insert(tx, "yc"); err != nil {
			return err
		}
		if err := db.Transact(ctx, tx, func(inner pgx.Tx) error {
			if err := insert(inner, "yd"); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Errorf("inner err = %v", err)
		}
		return nil
	})
	if err != nil || count("yc") != 1 || count("yd") != 0 {
		t.Errorf("an inner failure: err %v, outer %d rows (want 1), inner %d (want 0)", err, count("yc"), count("yd"))
	}
}

// A batch that ends with QueueCommit commits the transaction Transact began: its work is there
// after one round trip and no commit after it, a failing statement in it undoes everything, and
// the pool gets its connection back clean. In a joined transaction it commits nothing.
func TestQueueCommitEndsTheTransaction(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	count := tenantCounter(t, pool)
	insertLast := func(ctx context.Context, tx pgx.Tx, slugs ...string) error {
		b := &pgx.Batch{}
		for _, s := range slugs {
			b.Queue(`INSERT INTO tenant (slug, name, code) VALUES ($1, $1, upper($1))`, s)
		}
		db.QueueCommit(b, tx)
		return tx.SendBatch(ctx, b).Close()
	}

	var counts db.Counts
	counted := db.CountInto(ctx, &counts)
	err := db.Transact(counted, pool, func(tx pgx.Tx) error { return insertLast(counted, tx, "qa") })
	if err != nil || count("qa") != 1 {
		t.Fatalf("committed by the batch: err %v, %d rows", err, count("qa"))
	}
	if n, commits := counts.RoundTrips(), counts.Commits(); n != 2 || commits != 1 { // begin, and the batch with its commit
		t.Errorf("%d round trips and %d commits, want 2 and 1: %q", n, commits, counts.Statements())
	}

	// The second insert breaks the unique slug: the first is undone with it.
	if err := db.Transact(ctx, pool, func(tx pgx.Tx) error { return insertLast(ctx, tx, "qb", "qa") }); err == nil || count("qb") != 0 {
		t.Errorf("a failing batch: err %v, %d rows of its first insert", err, count("qb"))
	}

	// Joined: the caller's failure undoes the inner batch's work, which did not commit.
	boom := errors.New("boom")
	err = db.Transact(ctx, pool, func(tx pgx.Tx) error {
		if err := db.Transact(ctx, tx, func(inner pgx.Tx) error { return insertLast(ctx, inner, "qc") }); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || count("qc") != 0 {
		t.Errorf("a joined transaction committed: err %v, %d rows", err, count("qc"))
	}

	// No connection is left out of the pool.
	if n := pool.Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d connections not given back", n)
	}
}

// tenantCounter counts the municipalities with a slug.
func tenantCounter(t *testing.T, pool db.Querier) func(slug string) int {
	return func(slug string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM tenant WHERE slug = $1`, slug).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// What AfterCommit is given runs once the transaction Transact began has committed: not before,
// not when it rolls back or the savepoint it was given in is undone, once when Transact tries
// again, and after a batch's own commit too. In a transaction begun elsewhere it runs at once.
func TestAfterCommit(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	var ran []string
	later := func(tx pgx.Tx, name string) { db.AfterCommit(tx, func() { ran = append(ran, name) }) }
	boom := errors.New("boom")

	err := db.Transact(ctx, pool, func(tx pgx.Tx) error {
		later(tx, "committed")
		if len(ran) != 0 {
			t.Errorf("ran before the commit: %q", ran)
		}
		return nil
	})
	if err != nil || !slices.Equal(ran, []string{"committed"}) {
		t.Errorf("after a commit: err %v, ran %q", err, ran)
	}

	ran = nil
	if err := db.Transact(ctx, pool, func(tx pgx.Tx) error { later(tx, "rolled back"); return boom }); !errors.Is(err, boom) || len(ran) != 0 {
		t.Errorf("after a rollback: err %v, ran %q", err, ran)
	}

	ran = nil
	attempts := 0
	err = db.Transact(ctx, pool, func(tx pgx.Tx) error {
		attempts++
		later(tx, fmt.Sprint("attempt ", attempts))
		if attempts == 1 {
			return &pgconn.PgError{Code: "40001"}
		}
		return nil
	})
	if err != nil || !slices.Equal(ran, []string{"attempt 2"}) {
		t.Errorf("after a retry: err %v, ran %q", err, ran)
	}

	ran = nil
	err = db.Transact(ctx, pool, func(tx pgx.Tx) error {
		later(tx, "outer")
		if err := db.Transact(ctx, tx, func(inner pgx.Tx) error { later(inner, "undone savepoint"); return boom }); !errors.Is(err, boom) {
			t.Errorf("inner err = %v", err)
		}
		if err := db.Transact(ctx, tx, func(inner pgx.Tx) error { later(inner, "kept savepoint"); return nil }); err != nil {
			return err
		}
		if len(ran) != 0 {
			t.Errorf("a savepoint's ran before the commit: %q", ran)
		}
		b := &pgx.Batch{}
		b.Queue(`SELECT 1`)
		db.QueueCommit(b, tx)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil || !slices.Equal(ran, []string{"outer", "kept savepoint"}) {
		t.Errorf("with savepoints and a batch's commit: err %v, ran %q", err, ran)
	}

	ran = nil
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	later(tx, "elsewhere")
	if !slices.Equal(ran, []string{"elsewhere"}) {
		t.Errorf("in a transaction begun elsewhere: ran %q", ran)
	}
}

package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// Transact on a transaction joins it: the inner work commits with the outer transaction, or not
// at all; an inner failure undoes only the inner work.
func TestTransactJoinsATransaction(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	count := func(slug string) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM tenant WHERE slug = $1`, slug).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
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

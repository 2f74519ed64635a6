package demo

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/population"
)

// Scale's cases are as the portal's own: every one in a status of its e-service whose type is
// the case's, with the time it took that status.
func TestScaleCasesHaveTheirStatus(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := Load(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	res, err := Scale(ctx, pool, ScaleOptions{Citizens: 40, Cases: 400, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases != 400 {
		t.Fatalf("scale added %d cases, want 400", res.Cases)
	}
	var bad, closed int
	err = pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE st.key IS NULL OR c.status_changed_at IS NULL), count(*) FILTER (WHERE c.status = 'closed')
		FROM cases c LEFT JOIN eservice_status st ON st.eservice_id = c.eservice_id AND st.key = c.status_key AND st.type = c.status`).Scan(&bad, &closed)
	if err != nil {
		t.Fatal(err)
	}
	if bad != 0 || closed == 0 {
		t.Errorf("%d cases without a status of their e-service (of %d closed)", bad, closed)
	}
}

// The development IdP's test persons get cases of their own: 25–100 each at scale, fewer (but
// some) in a small run, where most cases stay with the generated citizens.
func TestScaleGivesTestPersonsCases(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := Load(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if _, err := Scale(ctx, pool, ScaleOptions{Citizens: 40, Cases: 2000, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, tp := range population.TestPersons {
		if !tp.Selectable || !tp.InRegister {
			continue
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM cases c JOIN account a ON a.id = c.account_id
			WHERE a.personal_number = $1`, tp.Person.PersonalNumber.String()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < 1 || n > 100 {
			t.Errorf("test person %s has %d cases, want 1–100", tp.Key, n)
		}
		total += n
	}
	if total == 0 || total > 1000 {
		t.Errorf("the test persons have %d of the 2000 cases, want some and at most half", total)
	}
}

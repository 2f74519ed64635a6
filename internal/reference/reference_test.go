package reference_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/reference"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Numbers run per municipality and year, in one series, spelled with at least six digits.
func TestNext(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	tenant := func(slug, code string) uuid.UUID {
		var id uuid.UUID
		if err := pool.QueryRow(ctx, `INSERT INTO tenant (slug, name, code) VALUES ($1, $1, $2) RETURNING id`, slug, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	ali, mot := tenant("ali", "ALI"), tenant("mot", "MOT")
	next := func(id uuid.UUID, year int) string {
		var ref string
		err := pool.QueryRow(ctx, `WITH `+reference.Next("n", 1, 2)+`
			SELECT `+reference.Spelled("t.code || '-' || $2 || '-'", "n.last")+` FROM n, tenant t WHERE t.id = $1`, id, year).Scan(&ref)
		if err != nil {
			t.Fatal(err)
		}
		return ref
	}
	for _, c := range []struct {
		tenant uuid.UUID
		year   int
		want   string
	}{
		{ali, 2026, "ALI-2026-000001"},
		{ali, 2026, "ALI-2026-000002"},
		{mot, 2026, "MOT-2026-000001"},
		{ali, 2027, "ALI-2027-000001"},
		{ali, 2026, "ALI-2026-000003"},
	} {
		if got := next(c.tenant, c.year); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE reference_counter SET last = 999999 WHERE tenant_id = $1 AND year = 2026`, ali); err != nil {
		t.Fatal(err)
	}
	if got := next(ali, 2026); got != "ALI-2026-1000000" {
		t.Errorf("after 999999: %s", got)
	}
}

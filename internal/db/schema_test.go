package db_test

import (
	"context"
	"testing"

	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// A foreign key whose parent rows are deleted needs an index on its columns: PostgreSQL looks for
// the children of every deleted row, and without one it reads the whole child table each time
// (retention deleting a batch of cases read every notice once a case). Such keys are those that
// cascade or set null on delete, and those to cases and accounts, which retention and erasure
// delete. An index serves when its leading columns are the key's, and a partial one when its
// condition is only that the key is set.
func TestDeletedParentsHaveIndexedChildren(t *testing.T) {
	pool := dbtest.New(t)
	rows, err := pool.Query(context.Background(), `
		SELECT c.conrelid::regclass::text, c.conname
		FROM pg_constraint c
		WHERE c.contype = 'f'
			AND (c.confdeltype IN ('c', 'n') OR c.confrelid IN ('cases'::regclass, 'account'::regclass))
			AND NOT EXISTS (
				SELECT 1 FROM pg_index i
				WHERE i.indrelid = c.conrelid
					AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\(\w+ IS NOT NULL\)$')
					AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
					AND c.conkey @> (i.indkey::int2[])[0:cardinality(c.conkey) - 1])
		ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, key string
		if err := rows.Scan(&table, &key); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s: %s has no index on its columns", table, key)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

package auth_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// Expired sessions, pending logins and used assertion ids go; the rest stays.
func TestPurgeExpired(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO sessions (token, data, expiry) VALUES ('old', '', now() - interval '1 minute'), ('new', '', now() + interval '1 hour')`,
		`INSERT INTO login_pending (handle, binding, provider, request_id, return_path, created_at) VALUES
			('old', '', 'citizen', 'r1', '/', now() - interval '11 minutes'), ('new', '', 'citizen', 'r2', '/', now())`,
		`INSERT INTO saml_assertion_used (assertion_id, expires_at) VALUES ('old', now() - interval '1 minute'), ('new', now() + interval '5 minutes')`,
		`INSERT INTO login_handover (code, binding, origin_host, provider, subject_id, name, auth_at, return_path, created_at) VALUES
			('old', '', 'motala.localhost', 'citizen', gen_random_uuid(), 'x', now(), '/', now() - interval '2 minutes'),
			('new', '', 'motala.localhost', 'citizen', gen_random_uuid(), 'x', now(), '/', now())`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := auth.PurgeExpired(ctx, pool); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"sessions", "login_pending", "saml_assertion_used", "login_handover"} {
		rows, err := pool.Query(ctx, `SELECT `+map[string]string{"sessions": "token", "login_pending": "handle", "saml_assertion_used": "assertion_id", "login_handover": "convert_from(code, 'UTF8')"}[table]+` FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		left, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 1 || left[0] != "new" {
			t.Errorf("%s after the purge: %v", table, left)
		}
	}
}

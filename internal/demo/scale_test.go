package demo

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/population"
)

// Scale's cases are as the portal's own: every one in a status of its e-service whose type is
// the case's, with the time it took that status.
func TestScaleCasesHaveTheirStatus(t *testing.T) {
	pool, res := scaled(t, ScaleOptions{Citizens: 40, Cases: 400, Seed: 1})
	ctx := context.Background()
	if res.Cases != 400 {
		t.Fatalf("scale added %d cases, want 400", res.Cases)
	}
	var bad, closed int
	err := pool.QueryRow(ctx, `
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
// some) in a small run, where most cases stay with the generated citizens, and a few among the
// newest cases, so that their ongoing tab is not empty by chance.
func TestScaleGivesTestPersonsCases(t *testing.T) {
	pool, _ := scaled(t, ScaleOptions{Citizens: 40, Cases: 2000, Seed: 2})
	ctx := context.Background()
	total := 0
	for _, tp := range population.TestPersons {
		if !tp.Selectable || !tp.InRegister {
			continue
		}
		var n, newest int
		if err := pool.QueryRow(ctx, `
			SELECT count(*), count(*) FILTER (WHERE c.id IN (SELECT id FROM cases ORDER BY submitted_at DESC LIMIT 40))
			FROM cases c JOIN account a ON a.id = c.account_id
			WHERE a.personal_number = $1`, tp.Person.PersonalNumber.String()).Scan(&n, &newest); err != nil {
			t.Fatal(err)
		}
		if n < 1 || n > 106 {
			t.Errorf("test person %s has %d cases, want 1–106", tp.Key, n)
		}
		if newest == 0 {
			t.Errorf("test person %s has none of the 40 newest cases (the last 2 %%)", tp.Key)
		}
		total += n
	}
	if total == 0 || total > 1000 {
		t.Errorf("the test persons have %d of the 2000 cases, want some and at most half", total)
	}
}

// Scale's cases have the history the portal would have written: a submission, and for each a
// status change to the status they are in, at the time they took it; nothing after their last
// change; and conversations whose messages are read before they are answered, and only the last
// of which may be unread (in a closed case, only when it came in the last two days).
func TestScaleCasesHaveTheirHistory(t *testing.T) {
	pool, res := scaled(t, ScaleOptions{Citizens: 40, Cases: 1000, Seed: 3})
	ctx := context.Background()
	if res.Events < 2*res.Cases || res.Messages == 0 {
		t.Fatalf("scale added %d events and %d messages to %d cases, want at least two events a case and some messages", res.Events, res.Messages, res.Cases)
	}
	checks := []struct{ what, query string }{
		{"cases without one submission at their submission time", `
			SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM case_event e
				WHERE e.case_id = c.id AND e.kind = 'submitted' AND e.at = c.submitted_at AND (e.data ->> 'version')::int > 0) <> 1`},
		{"cases whose latest status change is not their status", `
			SELECT count(*) FROM cases c LEFT JOIN LATERAL (SELECT e.at, e.data FROM case_event e
				WHERE e.case_id = c.id AND e.kind = 'status' ORDER BY e.at DESC, e.id LIMIT 1) s ON true
			WHERE CASE WHEN s.at IS NULL THEN c.status <> 'submitted' OR c.status_changed_at <> c.submitted_at
				ELSE s.data ->> 'status' <> c.status OR s.data ->> 'key' <> c.status_key OR s.at <> c.status_changed_at END`},
		{"closed cases that did not close when they took their status", `
			SELECT count(*) FROM cases c WHERE c.closed_at IS DISTINCT FROM CASE WHEN c.status = 'closed' THEN c.status_changed_at END`},
		{"cases whose last change is not their latest event", `
			SELECT count(*) FROM cases c WHERE c.updated_at <> (SELECT max(e.at) FROM case_event e WHERE e.case_id = c.id)`},
		{"messages without their event, or in a case without a caseworker or a citizen", `
			SELECT count(*) FROM message m JOIN cases c ON c.id = m.case_id
			WHERE c.account_id IS NULL OR c.assigned_to IS NULL
				OR NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = m.case_id AND e.kind = 'message' AND e.at = m.created_at AND e.actor = m.sender)
				OR (m.sender = 'caseworker' AND m.author_name <> (SELECT s.name FROM staff s WHERE s.id = c.assigned_to))`},
		{"messages read before they were sent, or after the answer to them", `
			SELECT count(*) FROM message m WHERE m.read_at < m.created_at OR EXISTS (SELECT 1 FROM message n
				WHERE n.case_id = m.case_id AND n.sender <> m.sender AND n.created_at >= m.created_at AND n.created_at < coalesce(m.read_at, 'infinity'))`},
		{"unread messages that were answered, or in cases closed more than two days ago", `
			SELECT count(*) FROM message m JOIN cases c ON c.id = m.case_id
			WHERE m.read_at IS NULL AND (c.closed_at < now() - interval '2 days'
				OR EXISTS (SELECT 1 FROM message n WHERE n.case_id = m.case_id AND n.created_at > m.created_at))`},
	}
	for _, c := range checks {
		var n int
		if err := pool.QueryRow(ctx, c.query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	var unread int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM message WHERE sender = 'caseworker' AND read_at IS NULL`).Scan(&unread); err != nil {
		t.Fatal(err)
	}
	if unread == 0 {
		t.Error("no caseworker's message is unread")
	}
}

// scaled is a new database with the demo data and what Scale adds to it with opts.
func scaled(t *testing.T, opts ScaleOptions) (*pgxpool.Pool, ScaleResult) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := Load(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	res, err := Scale(ctx, pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	return pool, res
}

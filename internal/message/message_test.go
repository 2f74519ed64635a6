package message_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/notify"
)

var (
	pdf  = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	text = []byte("just some text, not an allowed attachment")
)

// newStore is a message store whose notices are enqueued (not delivered: the queue is not started).
func newStore(t *testing.T, pool *pgxpool.Pool) *message.Store {
	t.Helper()
	n, err := notify.New(pool, notify.Config{BaseURL: "http://localhost", Dev: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return message.NewStore(pool, n)
}

// newCase makes a database with the demo data and one submitted case, and returns its id.
func newCase(t *testing.T) (*pgxpool.Pool, uuid.UUID) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	var id uuid.UUID
	err := pool.QueryRow(ctx, `
		WITH a AS (INSERT INTO account (personal_number, display_name) VALUES ('198504129829', 'Karin Lindqvist') RETURNING id)
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id)
		SELECT e.tenant_id, e.id, e.current_version_id, 'ALI-2026-000001', a.id, '{}', gen_random_uuid()
		FROM eservice e, a WHERE e.slug = 'felanmalan-gatubelysning' RETURNING cases.id`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return pool, id
}

func TestSendAndThread(t *testing.T) {
	pool, caseID := newCase(t)
	s := newStore(t, pool)
	ctx := context.Background()

	if _, err := s.Send(ctx, caseID, message.Caseworker, "Anna Handläggare", "Vi behöver en bild.", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, caseID, message.Citizen, "Karin", "  Här är den.\r\n", []message.File{{Name: "../../bild.pdf", Data: pdf}}); err != nil {
		t.Fatal(err)
	}
	thread, err := s.Thread(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 2 || thread[0].Sender != message.Caseworker || thread[1].Body != "Här är den." {
		t.Fatalf("thread %+v", thread)
	}
	if len(thread[1].Attachments) != 1 || thread[1].Attachments[0].Name != "bild.pdf" {
		t.Errorf("attachment %+v", thread[1].Attachments)
	}
	var notices, events int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM notice WHERE case_id = $1 AND kind = 'new_message'`, caseID).Scan(&notices); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM case_event WHERE case_id = $1 AND kind = 'message'`, caseID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if notices != 1 || events != 2 {
		t.Errorf("notices %d (want 1: only the caseworker's message), events %d (want 2)", notices, events)
	}
	// Karin has chosen no channel: her notice is written as not sent, and no job is queued for it.
	// Once she has chosen one, the next notice gets its delivery job.
	jobs := func() (n int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'notify_deliver'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var skipped int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM notice WHERE case_id = $1 AND skipped_reason = 'no_channel' AND sent_at IS NOT NULL`,
		caseID).Scan(&skipped); err != nil {
		t.Fatal(err)
	}
	if skipped != 1 || jobs() != 0 {
		t.Errorf("%d notices skipped for want of a channel, %d jobs; want 1 and none", skipped, jobs())
	}
	if _, err := pool.Exec(ctx, `UPDATE account SET email = 'karin@example.se', email_verified_at = now(), preferred_channel = 'email'
		WHERE personal_number = '198504129829'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, caseID, message.Caseworker, "Anna Handläggare", "Tack!", nil); err != nil {
		t.Fatal(err)
	}
	if n := jobs(); n != 1 {
		t.Errorf("%d delivery jobs after Karin chose e-mail, want 1", n)
	}

	// The citizen reads the caseworker's message; the citizen's own stays unread for staff.
	if err := s.MarkRead(ctx, caseID, message.Citizen); err != nil {
		t.Fatal(err)
	}
	if thread, err = s.Thread(ctx, caseID); err != nil {
		t.Fatal(err)
	}
	if thread[0].ReadAt == nil || thread[1].ReadAt != nil {
		t.Errorf("read marks: caseworker's %v, citizen's %v", thread[0].ReadAt, thread[1].ReadAt)
	}
}

func TestSendRefuses(t *testing.T) {
	pool, caseID := newCase(t)
	s := newStore(t, pool)
	ctx := context.Background()
	many := make([]message.File, message.MaxFiles+1)
	for i := range many {
		many[i] = message.File{Name: "a.pdf", Data: pdf}
	}
	tests := []struct {
		name  string
		body  string
		files []message.File
		want  error
	}{
		{"empty", "  \n ", nil, message.ErrEmpty},
		{"too long", string(make([]rune, message.MaxBody+1)), nil, message.ErrTooLong},
		{"wrong type", "Se bilaga", []message.File{{Name: "intyg.pdf", Data: text}}, draft.ErrFileType},
		{"empty file", "Se bilaga", []message.File{{Name: "tom.pdf"}}, draft.ErrFileEmpty},
		{"too many files", "Se bilagor", many, message.ErrFileCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Send(ctx, caseID, message.Citizen, "Karin", tt.body, tt.files); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := pool.Exec(ctx, `UPDATE cases SET status = 'closed', closed_at = now() WHERE id = $1`, caseID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, caseID, message.Citizen, "Karin", "Hallå?", nil); !errors.Is(err, message.ErrClosed) {
		t.Errorf("closed case: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM message`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d messages stored by refused sends", n)
	}
}

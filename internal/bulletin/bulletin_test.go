package bulletin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
)

// fixture is a database with two municipalities, an e-service of each, an admin of the first,
// and a store whose clock the test sets.
type fixture struct {
	pool                 *pgxpool.Pool
	store                *Store
	now                  time.Time
	ali, ler             uuid.UUID
	lighting, lerService uuid.UUID // e-services of ali and ler
	admin                audit.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{pool: dbtest.New(t), now: time.Date(2026, 3, 2, 9, 0, 0, 0, i18n.Stockholm)}
	f.store = NewStore(f.pool)
	f.store.now = func() time.Time { return f.now }
	q := func(sql string, args ...any) uuid.UUID {
		t.Helper()
		var id uuid.UUID
		if err := f.pool.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	f.ali = q(`INSERT INTO tenant (slug, name, code) VALUES ('alingsas', 'Alingsås kommun', 'ALI') RETURNING id`)
	f.ler = q(`INSERT INTO tenant (slug, name, code) VALUES ('lerum', 'Lerums kommun', 'LER') RETURNING id`)
	newService := func(tenant uuid.UUID, slug string) uuid.UUID {
		return q(`INSERT INTO eservice (tenant_id, slug, title, category, audience, login_rule)
			VALUES ($1, $2, '{"sv": "Felanmälan gatubelysning", "en": "Report a street light"}', 'gata', '{private}', 'required') RETURNING id`, tenant, slug)
	}
	f.lighting = newService(f.ali, "felanmalan-gatubelysning")
	f.lerService = newService(f.ler, "felanmalan")
	f.admin = audit.Actor{TenantID: f.ali, Name: "Maria Admin",
		StaffID: q(`INSERT INTO staff (tenant_id, employee_id, name) VALUES ($1, 'ali-1004', 'Maria Admin') RETURNING id`, f.ali)}
	return f
}

func (f *fixture) actions(t *testing.T) []string {
	t.Helper()
	changes, err := audit.ChangesOfMunicipality(context.Background(), f.pool, f.ali, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range changes {
		out = append(out, c.Action)
	}
	return out
}

func (f *fixture) create(t *testing.T, m Message) Message {
	t.Helper()
	got, err := f.store.Create(context.Background(), f.admin, m)
	if err != nil {
		t.Fatalf("create %v: %v", m.Text, err)
	}
	return got
}

func TestActiveBetweenStartAndEnd(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	h := time.Hour
	site := f.create(t, Message{Text: form.Text{"sv": "Underhåll i kväll", "en": "Maintenance tonight"}, StartsAt: f.now.Add(-h), EndsAt: f.now.Add(h)})
	closing := f.create(t, Message{Text: form.Text{"sv": "Gatubelysningen är stängd"}, EServiceID: &f.lighting, Closes: true,
		StartsAt: f.now.Add(2 * h), EndsAt: f.now.Add(4 * h)})
	if closing.EServiceTitle["sv"] != "Felanmälan gatubelysning" || closing.CreatedBy != "Maria Admin" {
		t.Errorf("created = %+v", closing)
	}

	active := func(at time.Time) []uuid.UUID {
		t.Helper()
		msgs, err := f.store.Active(ctx, f.ali, at)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uuid.UUID
		for _, m := range msgs {
			ids = append(ids, m.ID)
			if !m.ActiveAt(at) {
				t.Errorf("Active(%v) returned %v, which is not active then", at, m.Text)
			}
		}
		return ids
	}
	tests := []struct {
		at   time.Time
		want []uuid.UUID
	}{
		{f.now.Add(-2 * h), nil},
		{f.now.Add(-h), []uuid.UUID{site.ID}}, // from its start
		{f.now, []uuid.UUID{site.ID}},
		{f.now.Add(h), nil}, // up to its end
		{f.now.Add(3 * h), []uuid.UUID{closing.ID}},
		{f.now.Add(5 * h), nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, active(tt.at)); diff != "" {
			t.Errorf("Active at %s (-want +got):\n%s", tt.at.Format(time.TimeOnly), diff)
		}
	}
	if msgs, err := f.store.Active(ctx, f.ler, f.now); err != nil || len(msgs) != 0 {
		t.Errorf("the other municipality has messages: %v, %v", msgs, err)
	}

	// The closing message closes its e-service only while it is shown.
	for _, tt := range []struct {
		at     time.Time
		closed bool
	}{{f.now, false}, {f.now.Add(2 * h), true}, {f.now.Add(4 * h), false}} {
		m, closed, err := f.store.ClosedFor(ctx, f.lighting, tt.at)
		if err != nil || closed != tt.closed || closed && m.ID != closing.ID {
			t.Errorf("ClosedFor at %s = %v, %v, %v", tt.at.Format(time.TimeOnly), m.ID, closed, err)
		}
	}
	if _, closed, err := f.store.ClosedFor(ctx, f.lerService, f.now.Add(3*h)); err != nil || closed {
		t.Errorf("another municipality's e-service is closed: %v, %v", closed, err)
	}
	if diff := cmp.Diff([]string{"operating_message_added", "operating_message_added"}, f.actions(t)); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
}

func TestCreateRefusesBadMessages(t *testing.T) {
	f := newFixture(t)
	h := time.Hour
	good := func() Message {
		return Message{Text: form.Text{"sv": "Underhåll"}, StartsAt: f.now, EndsAt: f.now.Add(h)}
	}
	tests := []struct {
		name   string
		change func(*Message)
		want   []apperr.FieldError
	}{
		{"no Swedish text", func(m *Message) { m.Text = form.Text{"sv": " ", "en": "Maintenance"} }, []apperr.FieldError{{Field: "text_sv", Key: "bulletin.error.text"}}},
		{"long English text", func(m *Message) { m.Text["en"] = strings.Repeat("x", MaxTextRunes+1) }, []apperr.FieldError{{Field: "text_en", Key: "bulletin.error.text.long"}}},
		{"no times", func(m *Message) { m.StartsAt, m.EndsAt = time.Time{}, time.Time{} }, []apperr.FieldError{
			{Field: "starts_at", Key: "bulletin.error.starts"}, {Field: "ends_at", Key: "bulletin.error.ends"}}},
		{"end before start", func(m *Message) { m.EndsAt = m.StartsAt.Add(-h) }, []apperr.FieldError{{Field: "ends_at", Key: "bulletin.error.ends.order"}}},
		{"end passed", func(m *Message) { m.StartsAt, m.EndsAt = f.now.Add(-2*h), f.now.Add(-h) }, []apperr.FieldError{{Field: "ends_at", Key: "bulletin.error.ends.past"}}},
		{"closing the whole site", func(m *Message) { m.Closes = true }, []apperr.FieldError{{Field: "closes", Key: "bulletin.error.closes"}}},
		{"another municipality's e-service", func(m *Message) { m.EServiceID = &f.lerService }, []apperr.FieldError{{Field: "eservice", Key: "bulletin.error.eservice"}}},
		{"all in the form's order", func(m *Message) {
			m.Closes, m.EndsAt, m.Text = true, time.Time{}, nil
		}, []apperr.FieldError{{Field: "text_sv", Key: "bulletin.error.text"}, {Field: "ends_at", Key: "bulletin.error.ends"}, {Field: "closes", Key: "bulletin.error.closes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.change(&m)
			_, err := f.store.Create(context.Background(), f.admin, m)
			var fe apperr.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want field errors", err)
			}
			if diff := cmp.Diff(tt.want, []apperr.FieldError(fe)); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(f.actions(t)); n != 0 {
		t.Errorf("refused messages recorded %d changes", n)
	}
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM operating_message`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages stored, %v", n, err)
	}
}

func TestEnd(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	h := time.Hour
	current := f.create(t, Message{Text: form.Text{"sv": "Nu"}, EServiceID: &f.lighting, Closes: true, StartsAt: f.now.Add(-h), EndsAt: f.now.Add(h)})
	upcoming := f.create(t, Message{Text: form.Text{"sv": "Sedan"}, StartsAt: f.now.Add(h), EndsAt: f.now.Add(2 * h)})

	f.now = f.now.Add(time.Minute)
	if err := f.store.End(ctx, f.admin, current.ID); err != nil {
		t.Fatal(err)
	}
	if _, closed, err := f.store.ClosedFor(ctx, f.lighting, f.now); err != nil || closed {
		t.Errorf("the ended message still closes its e-service: %v %v", closed, err)
	}
	if err := f.store.End(ctx, f.admin, current.ID); !errors.Is(err, ErrEnded) {
		t.Errorf("ending it again: %v", err)
	}
	if err := f.store.End(ctx, f.admin, upcoming.ID); err != nil {
		t.Fatal(err)
	}
	list, err := f.store.List(ctx, f.ali, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != current.ID || !list[0].EndsAt.Equal(f.now) {
		t.Errorf("list after ending = %+v", list)
	}
	// An ended message stays on the list for a while.
	if list, err := f.store.List(ctx, f.ali, f.now.Add(RecentlyEnded+time.Hour)); err != nil || len(list) != 0 {
		t.Errorf("list a month later = %+v %v", list, err)
	}

	// Another municipality's admin cannot end it.
	other := f.admin
	other.TenantID = f.ler
	if err := f.store.End(ctx, other, current.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("end by another municipality: %v", err)
	}
	if diff := cmp.Diff([]string{"operating_message_withdrawn", "operating_message_ended", "operating_message_added", "operating_message_added"}, f.actions(t)); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
}

func TestParseLocal(t *testing.T) {
	summer := time.Date(2026, 7, 1, 12, 30, 0, 0, time.UTC).Add(-2 * time.Hour) // 12:30 in Stockholm (CEST)
	for in, want := range map[string]time.Time{
		"2026-07-01T12:30":    summer,
		"2026-07-01T12:30:00": summer,
		"2026-07-01 12:30":    summer,
		"2026-01-15T08:00":    time.Date(2026, 1, 15, 7, 0, 0, 0, time.UTC),
		"":                    {},
		"1 juli":              {},
	} {
		if got := ParseLocal(in); !got.Equal(want) {
			t.Errorf("ParseLocal(%q) = %v, want %v", in, got, want)
		}
	}
	if got := FormatLocal(summer); got != "2026-07-01T12:30" {
		t.Errorf("FormatLocal = %q", got)
	}
}

// Package bulletin holds the municipalities' operating messages (driftmeddelanden): a banner for
// the whole site or for one e-service, shown between two times. A message of an e-service may
// close it for new cases while it is shown; drafts already begun are kept.
package bulletin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/cache"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
)

// Message is one operating message.
type Message struct {
	ID            uuid.UUID
	TenantID      uuid.UUID
	EServiceID    *uuid.UUID // nil for the whole site
	EServiceTitle form.Text  // the e-service's title, when there is one
	Text          form.Text  // {"sv": ..., "en": ...}; Swedish always
	StartsAt      time.Time
	EndsAt        time.Time
	Closes        bool // the e-service takes no new cases while the message is shown
	CreatedBy     string
	CreatedAt     time.Time
}

// ActiveAt reports whether the message is shown at now.
func (m Message) ActiveAt(now time.Time) bool { return !now.Before(m.StartsAt) && now.Before(m.EndsAt) }

// The form fields of a new message; field errors name them.
const (
	FieldTextSV   = "text_sv"
	FieldTextEN   = "text_en"
	FieldEService = "eservice"
	FieldStartsAt = "starts_at"
	FieldEndsAt   = "ends_at"
	FieldCloses   = "closes"
)

// MaxTextRunes bounds a message's text in each language: a banner is short.
const MaxTextRunes = 600

// RecentlyEnded is how long an ended message stays on the admin's list.
const RecentlyEnded = 30 * 24 * time.Hour

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	ErrEnded    = apperr.New(apperr.Conflict, "bulletin.error.ended")
)

// Store reads and writes operating messages.
type Store struct {
	db  db.Querier
	now func() time.Time
	// current holds each municipality's messages that have not ended, for a short while: every
	// page shows them (this server forgets them at once when it changes them).
	current *cache.TTL[uuid.UUID, []Message]
}

// CacheLifetime is how long a server keeps a municipality's messages before it reads them again.
const CacheLifetime = 30 * time.Second

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store {
	return &Store{db: q, now: time.Now, current: cache.New[uuid.UUID, []Message](CacheLifetime)}
}

const columns = `m.id, m.tenant_id, m.eservice_id, coalesce(e.title, '{}'), m.text, m.starts_at, m.ends_at, m.closes, m.created_by, m.created_at`

func scan(r pgx.CollectableRow) (Message, error) {
	var m Message
	err := r.Scan(&m.ID, &m.TenantID, &m.EServiceID, &m.EServiceTitle, &m.Text, &m.StartsAt, &m.EndsAt, &m.Closes, &m.CreatedBy, &m.CreatedAt)
	return m, err
}

func (s *Store) list(ctx context.Context, where string, args ...any) ([]Message, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM operating_message m LEFT JOIN eservice e ON e.id = m.eservice_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("bulletin: %w", err)
	}
	msgs, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("bulletin: %w", err)
	}
	return msgs, nil
}

// Active returns the municipality's messages shown at now, for the whole site and for its
// e-services, the whole site's first, then the newest first.
func (s *Store) Active(ctx context.Context, tenantID uuid.UUID, now time.Time) ([]Message, error) {
	current, err := s.current.Get(tenantID, func() ([]Message, error) {
		return s.list(ctx, `WHERE m.tenant_id = $1 AND m.ends_at > $2
			ORDER BY m.eservice_id IS NOT NULL, m.starts_at DESC, m.id LIMIT 100`, tenantID, s.now())
	})
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, m := range current {
		if !m.StartsAt.After(now) && m.EndsAt.After(now) && len(out) < 50 {
			out = append(out, m)
		}
	}
	return out, nil
}

// List returns the municipality's current and upcoming messages and those that ended recently,
// by start time.
func (s *Store) List(ctx context.Context, tenantID uuid.UUID, now time.Time) ([]Message, error) {
	return s.list(ctx, `WHERE m.tenant_id = $1 AND m.ends_at > $2 ORDER BY m.starts_at, m.id LIMIT 500`, tenantID, now.Add(-RecentlyEnded))
}

// ClosedFor returns the message that closes the e-service at now, if there is one.
func (s *Store) ClosedFor(ctx context.Context, eserviceID uuid.UUID, now time.Time) (Message, bool, error) {
	// Through the e-service's municipality, so that the (tenant_id, ends_at) index serves it.
	msgs, err := s.list(ctx, `JOIN eservice x ON x.id = $1 AND x.tenant_id = m.tenant_id
		WHERE m.eservice_id = $1 AND m.closes AND m.ends_at > $2 AND m.starts_at <= $2
		ORDER BY m.starts_at DESC, m.id LIMIT 1`, eserviceID, now)
	if err != nil || len(msgs) == 0 {
		return Message{}, false, err
	}
	return msgs[0], true, nil
}

// Create checks a new message and adds it to the actor's municipality, recording the change.
// A refused message returns apperr.FieldErrors named after the form's fields. A start or end
// that the form could not read is given as the zero time.
func (s *Store) Create(ctx context.Context, actor audit.Actor, m Message) (Message, error) {
	defer s.current.Clear() // every page shows them: read them again at once
	now := s.now()
	var errs apperr.FieldErrors
	text := form.Text{}
	for _, l := range []struct{ lang, field string }{{"sv", FieldTextSV}, {"en", FieldTextEN}} {
		t := strings.TrimSpace(strings.ReplaceAll(m.Text[l.lang], "\r\n", "\n"))
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTextRunes {
			errs.Add(l.field, "bulletin.error.text.long")
		}
		text[l.lang] = t
	}
	if text["sv"] == "" {
		errs.Add(FieldTextSV, "bulletin.error.text")
	}
	m.Text = text
	if m.EServiceID != nil && *m.EServiceID == uuid.Nil {
		m.EServiceID = nil
	}
	if m.StartsAt.IsZero() {
		errs.Add(FieldStartsAt, "bulletin.error.starts")
	}
	switch {
	case m.EndsAt.IsZero():
		errs.Add(FieldEndsAt, "bulletin.error.ends")
	case !m.StartsAt.IsZero() && !m.EndsAt.After(m.StartsAt):
		errs.Add(FieldEndsAt, "bulletin.error.ends.order")
	case !m.EndsAt.After(now):
		errs.Add(FieldEndsAt, "bulletin.error.ends.past")
	}
	if m.Closes && m.EServiceID == nil {
		errs.Add(FieldCloses, "bulletin.error.closes")
	}

	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var slug string
		if m.EServiceID != nil {
			err := tx.QueryRow(ctx, `SELECT slug, title FROM eservice WHERE id = $1 AND tenant_id = $2 AND state <> 'archived'`,
				*m.EServiceID, actor.TenantID).Scan(&slug, &m.EServiceTitle)
			if errors.Is(err, pgx.ErrNoRows) {
				errs.Add(FieldEService, "bulletin.error.eservice")
			} else if err != nil {
				return fmt.Errorf("bulletin: e-service: %w", err)
			}
		}
		if err := sorted(errs).Err(); err != nil {
			return err
		}
		m.TenantID, m.CreatedBy = actor.TenantID, actor.Name
		err := tx.QueryRow(ctx, `
			INSERT INTO operating_message (tenant_id, eservice_id, text, starts_at, ends_at, closes, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
			m.TenantID, m.EServiceID, m.Text, m.StartsAt, m.EndsAt, m.Closes, m.CreatedBy).Scan(&m.ID, &m.CreatedAt)
		if err != nil {
			return fmt.Errorf("bulletin: create: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "operating_message_added", Target: m.ID.String(),
			Detail: map[string]any{"eservice": slug, "starts_at": m.StartsAt, "ends_at": m.EndsAt, "closes": m.Closes, "text": m.Text}})
	})
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

// sorted puts the errors in the order of the form's fields.
func sorted(errs apperr.FieldErrors) apperr.FieldErrors {
	order := map[string]int{FieldTextSV: 0, FieldTextEN: 1, FieldEService: 2, FieldStartsAt: 3, FieldEndsAt: 4, FieldCloses: 5}
	out := make(apperr.FieldErrors, 0, len(errs))
	for i := range len(order) {
		for _, e := range errs {
			if order[e.Field] == i {
				out = append(out, e)
			}
		}
	}
	return out
}

// End ends a message of the actor's municipality now. A message that has not begun yet is
// withdrawn instead: it is removed, since nobody has seen it. Either is recorded.
func (s *Store) End(ctx context.Context, actor audit.Actor, id uuid.UUID) error {
	defer s.current.Clear() // every page shows them: read them again at once
	now := s.now()
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var starts, ends time.Time
		err := tx.QueryRow(ctx, `SELECT starts_at, ends_at FROM operating_message WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
			id, actor.TenantID).Scan(&starts, &ends)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("bulletin: end: %w", err)
		}
		action := "operating_message_ended"
		switch {
		case !ends.After(now):
			return ErrEnded
		case starts.After(now):
			action = "operating_message_withdrawn"
			_, err = tx.Exec(ctx, `DELETE FROM operating_message WHERE id = $1`, id)
		default:
			// Never before its start: the table requires ends_at > starts_at.
			_, err = tx.Exec(ctx, `UPDATE operating_message SET ends_at = greatest($2, starts_at + interval '1 millisecond') WHERE id = $1`, id, now)
		}
		if err != nil {
			return fmt.Errorf("bulletin: end: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: action, Target: id.String(),
			Detail: map[string]any{"starts_at": starts, "ends_at": ends}})
	})
}

// localLayouts are what a datetime-local input sends.
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// ParseLocal reads a date and time as a datetime-local input sends it, in Europe/Stockholm. It
// returns the zero time for anything else.
func ParseLocal(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, i18n.Stockholm); err == nil {
			return t
		}
	}
	return time.Time{}
}

// FormatLocal writes a time as a datetime-local input takes it, in Europe/Stockholm.
func FormatLocal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(i18n.Stockholm).Format("2006-01-02T15:04")
}

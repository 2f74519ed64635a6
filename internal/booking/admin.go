package booking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/staff"
)

// An e-service admin adds and changes the municipality's resources: texts, times, limits,
// opening hours, days that differ, and handlers. Each change is one transaction with its record
// in the change log.

// Settings are what an admin sets of a resource.
type Settings struct {
	Name, Place, Description form.Text
	SlotMinutes              int
	Capacity                 int
	AheadDays                int
	BookBeforeMinutes        int
	CancelBeforeMinutes      int
	ReminderMinutes          int // 0: no reminder
	Hours                    []Hours
	Handlers                 []uuid.UUID // staff of the municipality
}

// Field names of Settings, as the admin's form names its inputs.
const (
	FieldName     = "name_sv"
	FieldSlot     = "slot_minutes"
	FieldCapacity = "capacity"
	FieldAhead    = "ahead_days"
	FieldBefore   = "book_before_minutes"
	FieldCancel   = "cancel_before_minutes"
	FieldReminder = "reminder_minutes"
	FieldHours    = "hours" // hours_<weekday>_<n>
	FieldDay      = "day"
)

// Check returns what is wrong with the settings, by field.
func (in Settings) Check() apperr.FieldErrors {
	var errs apperr.FieldErrors
	if strings.TrimSpace(in.Name["sv"]) == "" {
		errs.Add(FieldName, "booking.admin.error.name")
	}
	for _, t := range []form.Text{in.Name, in.Place, in.Description} {
		for _, v := range t {
			if !utf8.ValidString(v) || utf8.RuneCountInString(v) > 2000 {
				errs.Add(FieldName, "booking.admin.error.text")
			}
		}
	}
	between := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			errs.Add(field, "booking.admin.error.range")
		}
	}
	between(FieldSlot, in.SlotMinutes, 5, 1440)
	between(FieldCapacity, in.Capacity, 1, 1000)
	between(FieldAhead, in.AheadDays, 1, 400)
	between(FieldBefore, in.BookBeforeMinutes, 0, 60*24*30)
	between(FieldCancel, in.CancelBeforeMinutes, 0, 60*24*30)
	between(FieldReminder, in.ReminderMinutes, 0, 60*24*7)
	for i, h := range in.Hours {
		if h.Opens < 0 || h.Closes > 24*60 || h.Closes <= h.Opens {
			errs.Add(FieldHours, "booking.admin.error.hours")
			continue
		}
		for _, o := range in.Hours[i+1:] {
			if o.Weekday == h.Weekday && o.Opens < h.Closes && h.Opens < o.Closes {
				errs.Add(FieldHours, "booking.admin.error.overlap")
			}
		}
	}
	return errs
}

// ParseClock reads a time of day "HH:MM" (or "H.MM", "HH") as minutes after midnight; "24:00"
// is the end of the day.
func ParseClock(s string) (int, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", ":"))
	h, m, found := strings.Cut(s, ":")
	hh, err := strconv.Atoi(h)
	if err != nil {
		return 0, false
	}
	mm := 0
	if found {
		if mm, err = strconv.Atoi(m); err != nil || len(m) != 2 {
			return 0, false
		}
	}
	if hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func clockSQL(min int) string { return FormatClock(min) }

// ForAdmin returns a resource of the admin's municipality with its handlers.
func (s *Store) ForAdmin(ctx context.Context, m staff.Member, id uuid.UUID) (Resource, []uuid.UUID, error) {
	var r Resource
	var handlers []uuid.UUID
	var reminder int
	found := false
	if err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueResourceWhere(b, `r.id = $1 AND r.tenant_id = $2`, false, []any{id, m.TenantID}, &r, &found)
		b.Queue(`SELECT coalesce(array_agg(staff_id), '{}') FROM booking_handler WHERE resource_id = $1`, id).
			QueryRow(func(row pgx.Row) error { return row.Scan(&handlers) })
		b.Queue(`SELECT coalesce((SELECT reminder_minutes FROM booking_resource WHERE id = $1), 0)`, id).
			QueryRow(func(row pgx.Row) error { return row.Scan(&reminder) })
	}); err != nil {
		return Resource{}, nil, fmt.Errorf("booking: resource for its admin: %w", err)
	}
	if !found {
		return Resource{}, nil, ErrNotFound
	}
	r.Reminder = time.Duration(reminder) * time.Minute
	return r, handlers, nil
}

// SaveResource adds a resource to the admin's municipality (id uuid.Nil) or changes one, with
// its opening hours and handlers, and records the change. Times already booked keep their places;
// a new capacity applies to the times to come, never below what is booked.
func (s *Store) SaveResource(ctx context.Context, m staff.Member, id uuid.UUID, in Settings) (uuid.UUID, error) {
	if !m.Has(staff.EServiceAdmin) {
		return uuid.Nil, ErrNotFound
	}
	if errs := in.Check(); len(errs) > 0 {
		return uuid.Nil, errs
	}
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		action := "booking_resource_changed"
		if id == uuid.Nil {
			action = "booking_resource_created"
			slug, err := freeSlug(ctx, tx, m.TenantID, in.Name["sv"])
			if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO booking_resource (tenant_id, slug, name, slot_minutes, capacity) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				m.TenantID, slug, in.Name, in.SlotMinutes, in.Capacity).Scan(&id); err != nil {
				return fmt.Errorf("booking: add resource: %w", err)
			}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE booking_resource SET name = $3, place = $4, description = $5, slot_minutes = $6, capacity = $7, ahead_days = $8,
				book_before_minutes = $9, cancel_before_minutes = $10, reminder_minutes = $11
			WHERE id = $1 AND tenant_id = $2 AND archived_at IS NULL`,
			id, m.TenantID, in.Name, nonNil(in.Place), nonNil(in.Description), in.SlotMinutes, in.Capacity, in.AheadDays,
			in.BookBeforeMinutes, in.CancelBeforeMinutes, in.ReminderMinutes)
		if err != nil {
			return fmt.Errorf("booking: change resource: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_slot SET capacity = greatest(booked, $2) WHERE resource_id = $1 AND starts_at > $3`,
			id, in.Capacity, s.now()); err != nil {
			return fmt.Errorf("booking: capacity of times to come: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM booking_hours WHERE resource_id = $1`, id); err != nil {
			return fmt.Errorf("booking: hours: %w", err)
		}
		for _, h := range in.Hours {
			wd := int(h.Weekday)
			if wd == 0 {
				wd = 7
			}
			if _, err := tx.Exec(ctx, `INSERT INTO booking_hours (resource_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`,
				id, wd, clockSQL(h.Opens), clockSQL(h.Closes)); err != nil {
				return fmt.Errorf("booking: hours: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM booking_handler WHERE resource_id = $1`, id); err != nil {
			return fmt.Errorf("booking: handlers: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO booking_handler (resource_id, staff_id) SELECT $1, s.id FROM staff s WHERE s.tenant_id = $2 AND s.id = ANY ($3)`,
			id, m.TenantID, nonNilIDs(in.Handlers)); err != nil {
			return fmt.Errorf("booking: handlers: %w", err)
		}
		return s.change(ctx, tx, m, id, action, nil)
	})
	return id, err
}

// freeSlug makes the resource's short name from its name, unique in the municipality.
func freeSlug(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, name string) (string, error) {
	base := strings.Trim(strings.ReplaceAll(form.Slug(name), "_", "-"), "-")
	if len(base) > 50 {
		base = strings.Trim(base[:50], "-")
	}
	if len(base) < 2 {
		base = "resurs"
	}
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM booking_resource WHERE tenant_id = $1 AND slug = $2)`, tenantID, slug).Scan(&taken); err != nil {
			return "", fmt.Errorf("booking: slug: %w", err)
		}
		if !taken {
			return slug, nil
		}
	}
}

// change records an admin's change of the resource in the change log, in tx.
func (s *Store) change(ctx context.Context, tx pgx.Tx, m staff.Member, id uuid.UUID, action string, detail map[string]any) error {
	var slug string
	if err := tx.QueryRow(ctx, `SELECT slug FROM booking_resource WHERE id = $1`, id).Scan(&slug); err != nil {
		return fmt.Errorf("booking: change: %w", err)
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["resource"] = id.String()
	return audit.RecordChange(ctx, tx, audit.Change{
		Actor: audit.Actor{TenantID: m.TenantID, StaffID: m.ID, Name: m.Name}, Action: action, Target: slug, Detail: detail,
	})
}

// SetException makes the day (YYYY-MM-DD) of the resource closed (closes <= opens) or open the
// given hours instead of its weekday's, and records the change.
func (s *Store) SetException(ctx context.Context, m staff.Member, id uuid.UUID, day string, closed bool, opens, closes int) error {
	if !m.Has(staff.EServiceAdmin) {
		return ErrNotFound
	}
	if _, err := time.Parse("2006-01-02", day); err != nil {
		return apperr.FieldErrors{{Field: FieldDay, Key: "booking.admin.error.day"}}
	}
	if !closed && (opens < 0 || closes > 24*60 || closes <= opens) {
		return apperr.FieldErrors{{Field: FieldHours, Key: "booking.admin.error.hours"}}
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := ownResource(ctx, tx, m, id); err != nil {
			return err
		}
		var o, c any
		if !closed {
			o, c = clockSQL(opens), clockSQL(closes)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO booking_exception (resource_id, day, opens, closes) VALUES ($1, $2, $3, $4)
			ON CONFLICT (resource_id, day) DO UPDATE SET opens = excluded.opens, closes = excluded.closes`, id, day, o, c); err != nil {
			return fmt.Errorf("booking: exception: %w", err)
		}
		return s.change(ctx, tx, m, id, "booking_day_changed", map[string]any{"day": day, "closed": closed})
	})
}

// RemoveException gives the day its weekday's hours again, and records the change.
func (s *Store) RemoveException(ctx context.Context, m staff.Member, id uuid.UUID, day string) error {
	if !m.Has(staff.EServiceAdmin) {
		return ErrNotFound
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := ownResource(ctx, tx, m, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM booking_exception WHERE resource_id = $1 AND day::text = $2`, id, day); err != nil {
			return fmt.Errorf("booking: exception: %w", err)
		}
		return s.change(ctx, tx, m, id, "booking_day_restored", map[string]any{"day": day})
	})
}

// Archive takes the resource out of booking: it is no longer offered, and its bookings stay.
func (s *Store) Archive(ctx context.Context, m staff.Member, id uuid.UUID) error {
	if !m.Has(staff.EServiceAdmin) {
		return ErrNotFound
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := ownResource(ctx, tx, m, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_resource SET archived_at = $2 WHERE id = $1`, id, s.now()); err != nil {
			return fmt.Errorf("booking: archive: %w", err)
		}
		return s.change(ctx, tx, m, id, "booking_resource_archived", nil)
	})
}

// ownResource locks a resource of the admin's municipality that is not archived.
func ownResource(ctx context.Context, tx pgx.Tx, m staff.Member, id uuid.UUID) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT true FROM booking_resource WHERE id = $1 AND tenant_id = $2 AND archived_at IS NULL FOR UPDATE`, id, m.TenantID).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("booking: resource: %w", err)
	}
	return nil
}

func nonNil(t form.Text) form.Text {
	if t == nil {
		return form.Text{}
	}
	return t
}

func nonNilIDs(ids []uuid.UUID) []uuid.UUID {
	if ids == nil {
		return []uuid.UUID{}
	}
	return ids
}

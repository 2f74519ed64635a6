package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
)

// A resource's handlers see its calendar: every time with its bookings and bookers. The read is
// written to the audit log in the read's transaction, like every staff read of personal data; a
// cancellation or a blocked time is written to the change log in the change's transaction.

// Booker is a booking as the calendar shows it.
type Booker struct {
	BookingID uuid.UUID
	Name      string // "" for a protected identity, whose name is never shown
	Protected bool
	Email     string // "" for a protected identity
	Phone     string // "" for a protected identity
	BookedAt  time.Time
}

// CalendarTime is one time of the resource with its bookings.
type CalendarTime struct {
	Time
	Bookers []Booker
}

// CalendarDay is one day of the calendar.
type CalendarDay struct {
	Date  time.Time
	Times []CalendarTime
}

// Handled returns the resources of the staff member's municipality that they handle, by name.
func (s *Store) Handled(ctx context.Context, m staff.Member) ([]Resource, error) {
	rows, err := s.db.Query(ctx, `SELECT `+resourceColumns+` FROM booking_resource r JOIN tenant t ON t.id = r.tenant_id
		WHERE r.tenant_id = $1 AND r.archived_at IS NULL
			AND EXISTS (SELECT 1 FROM booking_handler h WHERE h.resource_id = r.id AND h.staff_id = $2)
		ORDER BY r.name->>'sv', r.id`, m.TenantID, m.ID)
	if err != nil {
		return nil, fmt.Errorf("booking: handled resources: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Resource, error) { return scanResource(row) })
}

// handledBy is the condition that the resource r is of the municipality in parameter $tenant and
// that the staff member in parameter $member handles it.
func handledBy(tenant, member int) string {
	return fmt.Sprintf(`r.tenant_id = $%d AND EXISTS (SELECT 1 FROM booking_handler h WHERE h.resource_id = r.id AND h.staff_id = $%d)`,
		tenant, member)
}

// mayHandle checks in q that the staff member handles the resource; anything else is not found.
func mayHandle(ctx context.Context, q db.Querier, m staff.Member, resourceID uuid.UUID) error {
	var ok bool
	err := q.QueryRow(ctx, `SELECT true FROM booking_resource r WHERE r.id = $1 AND `+handledBy(2, 3), resourceID, m.TenantID, m.ID).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("booking: access: %w", err)
	}
	return nil
}

// role is the role a staff member reads a calendar in.
func role(m staff.Member) string {
	if m.Has(staff.Caseworker) || len(m.Roles) == 0 {
		return staff.Caseworker
	}
	return m.Roles[0]
}

// Calendar returns the resource and its times of the days days from the day from, each with its
// bookings and bookers, to a staff member who handles it, and records the read in the audit log,
// all in the one transaction of one round trip. Past times are included; blocked times too. A
// resource the staff member does not handle is not found, and nothing is recorded.
func (s *Store) Calendar(ctx context.Context, m staff.Member, resourceID uuid.UUID, from time.Time, days int) (Resource, []CalendarDay, error) {
	first := localDay(from)
	last := addDays(first, days)
	var r Resource
	found := false
	var slots []Time
	type booked struct {
		at time.Time
		Booker
	}
	var bookings []booked
	b := &pgx.Batch{}
	queueResourceWhere(b, `r.id = $1 AND `+handledBy(2, 3), false, []any{resourceID, m.TenantID, m.ID}, &r, &found)
	db.QueueRows(b, &slots, func(row pgx.CollectableRow) (Time, error) {
		var t Time
		err := row.Scan(&t.Start, &t.End, &t.Capacity, &t.Booked, &t.Blocked, &t.Held)
		return t, err
	}, `SELECT starts_at, ends_at, capacity, booked, blocked, (SELECT count(*) FROM booking_hold h WHERE h.slot_id = sl.id)
		FROM booking_slot sl WHERE resource_id = $1 AND starts_at >= $2 AND starts_at < $3`, resourceID, first, last)
	db.QueueRows(b, &bookings, func(row pgx.CollectableRow) (booked, error) {
		var bk booked
		err := row.Scan(&bk.at, &bk.BookingID, &bk.Protected, &bk.Name, &bk.Email, &bk.Phone, &bk.BookedAt)
		return bk, err
	}, `
		SELECT sl.starts_at, b.id, a.protected_identity, CASE WHEN a.protected_identity THEN '' ELSE a.display_name END,
			CASE WHEN a.protected_identity THEN '' ELSE coalesce(a.email, '') END,
			CASE WHEN a.protected_identity THEN '' ELSE coalesce(a.phone, '') END, b.booked_at
		FROM booking b JOIN booking_slot sl ON sl.id = b.slot_id JOIN account a ON a.id = b.account_id
		WHERE sl.resource_id = $1 AND sl.starts_at >= $2 AND sl.starts_at < $3 AND b.state = 'booked'
			AND EXISTS (SELECT 1 FROM booking_resource r WHERE r.id = $1 AND `+handledBy(4, 5)+`)
		ORDER BY b.booked_at, b.id`, resourceID, first, last, m.TenantID, m.ID)
	// The record only when the staff member handles the resource ($1 and $2 are the record's
	// municipality and staff member).
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: role(m), What: audit.Bookings, Detail: resourceID.String(), ClientAddr: audit.ClientAddrFrom(ctx)},
		`EXISTS (SELECT 1 FROM booking_resource r WHERE r.id = $9 AND r.archived_at IS NULL AND `+handledBy(1, 2)+`)`, resourceID)
	if err := db.Run(ctx, s.db, b); err != nil {
		return Resource{}, nil, fmt.Errorf("booking: calendar: %w", err)
	}
	if !found {
		return Resource{}, nil, ErrNotFound
	}
	byStart := map[int64]Time{}
	for _, t := range slots {
		byStart[t.Start.Unix()] = t
	}
	bookers := map[int64][]Booker{}
	for _, bk := range bookings {
		bookers[bk.at.Unix()] = append(bookers[bk.at.Unix()], bk.Booker)
	}
	var out []CalendarDay
	for day := first; day.Before(last); day = addDays(day, 1) {
		d := CalendarDay{Date: day}
		for _, t := range r.timesOn(day) {
			if row, ok := byStart[t.Start.Unix()]; ok {
				t = row
			}
			d.Times = append(d.Times, CalendarTime{Time: t, Bookers: bookers[t.Start.Unix()]})
		}
		out = append(out, d)
	}
	return r, out, nil
}

// CancelAsStaff cancels a booking of the resource on behalf of the municipality, with a message
// the citizen reads with the booking, and gives its place back; the change log records it.
// Cancelling a booking that is no longer booked changes nothing.
func (s *Store) CancelAsStaff(ctx context.Context, m staff.Member, resourceID, bookingID uuid.UUID, note string) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := mayHandle(ctx, tx, m, resourceID); err != nil {
			return err
		}
		b, err := scanBooking(tx.QueryRow(ctx, `SELECT `+bookingColumns+bookingFrom+`WHERE b.id = $1 AND b.resource_id = $2 FOR UPDATE OF b`, bookingID, resourceID))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("booking: lock: %w", err)
		}
		if b.State != Booked {
			return nil
		}
		now := s.now()
		if err := release(ctx, tx, b.ID, Cancelled, ByStaff, note, nil, now); err != nil {
			return err
		}
		if err := caseEvent(ctx, tx, b, EventCancelled, m.Name, now); err != nil {
			return err
		}
		if err := s.notice(ctx, tx, b, notify.KindBookingCancelled); err != nil {
			return err
		}
		return audit.RecordChange(ctx, tx, audit.Change{
			Actor:  audit.Actor{TenantID: m.TenantID, StaffID: m.ID, Name: m.Name},
			Action: "booking_cancelled", Target: b.ID.String(),
			Detail: map[string]any{"resource": resourceID.String(), "start": b.Start.UTC().Format(time.RFC3339)},
		})
	})
}

// SetBlocked blocks the resource's time that starts at start, so that nobody can book it (the
// bookings it has stay), or opens it again; the change log records it.
func (s *Store) SetBlocked(ctx context.Context, m staff.Member, resourceID uuid.UUID, start time.Time, blocked bool) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := mayHandle(ctx, tx, m, resourceID); err != nil {
			return err
		}
		r, err := resource(ctx, tx, resourceID, true)
		if err != nil {
			return err
		}
		t, ok := r.timeAt(start)
		if !ok {
			return ErrNotBookable
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO booking_slot (tenant_id, resource_id, starts_at, ends_at, capacity, blocked) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (resource_id, starts_at) DO UPDATE SET blocked = excluded.blocked`,
			r.TenantID, r.ID, t.Start, t.End, r.Capacity, blocked); err != nil {
			return fmt.Errorf("booking: block: %w", err)
		}
		action := "booking_time_blocked"
		if !blocked {
			action = "booking_time_opened"
		}
		return audit.RecordChange(ctx, tx, audit.Change{
			Actor:  audit.Actor{TenantID: m.TenantID, StaffID: m.ID, Name: m.Name},
			Action: action, Target: r.Slug,
			Detail: map[string]any{"resource": r.ID.String(), "start": t.Start.UTC().Format(time.RFC3339)},
		})
	})
}

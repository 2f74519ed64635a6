package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
)

// Book books one place at the resource's time that starts at start, for the account. The place is
// taken by incrementing the time's slot row in the booking's transaction: the row's CHECK
// (booked <= capacity) and its lock make the last place go to exactly one of any number of
// concurrent attempts; the others get ErrTaken.
func (s *Store) Book(ctx context.Context, accountID, resourceID uuid.UUID, start time.Time) (Booking, error) {
	var b Booking
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		r, err := resource(ctx, tx, resourceID, true)
		if err != nil {
			return err
		}
		id, err := s.take(ctx, tx, r, accountID, start)
		if err != nil {
			return err
		}
		if b, err = getIn(ctx, tx, id); err != nil {
			return err
		}
		return s.notice(ctx, tx, b, notify.KindBookingConfirmed)
	})
	return b, err
}

// take books a place for the account at the resource's time start, in tx, and returns the
// booking's id. A time the resource does not have, or one too soon or too far ahead, is
// ErrNotBookable; a time without a free place is ErrTaken.
func (s *Store) take(ctx context.Context, tx pgx.Tx, r Resource, accountID uuid.UUID, start time.Time) (uuid.UUID, error) {
	slotID, err := s.place(ctx, tx, r, start)
	if err != nil {
		return uuid.Nil, err
	}
	return insertBooking(ctx, tx, r.TenantID, r.ID, slotID, accountID, s.now(), nil, "")
}

// place takes one place of the resource's time start, in tx, and returns the time's slot: for a
// booking or a hold. A time the resource does not have, or one too soon or too far ahead, is
// ErrNotBookable; a time without a free place is ErrTaken.
func (s *Store) place(ctx context.Context, tx pgx.Tx, r Resource, start time.Time) (uuid.UUID, error) {
	now := s.now()
	t, ok := r.timeAt(start)
	if !ok || !r.bookableAt(t.Start, now) {
		return uuid.Nil, ErrNotBookable
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO booking_slot (tenant_id, resource_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (resource_id, starts_at) DO NOTHING`, r.TenantID, r.ID, t.Start, t.End, r.Capacity); err != nil {
		return uuid.Nil, fmt.Errorf("booking: slot: %w", err)
	}
	// The row lock queues concurrent bookings of the time; each sees the count the one before it
	// committed. The CHECK would refuse a place beyond the capacity even without the condition.
	var slotID uuid.UUID
	err := tx.QueryRow(ctx, `
		UPDATE booking_slot SET booked = booked + 1
		WHERE resource_id = $1 AND starts_at = $2 AND booked < capacity AND NOT blocked
		RETURNING id`, r.ID, t.Start).Scan(&slotID)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, ErrTaken
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("booking: take a place: %w", err)
	}
	return slotID, nil
}

// insertBooking records a booking of a place already taken in the slot, in tx; caseID and field
// name the case and the booking field it was booked through, if any.
func insertBooking(ctx context.Context, tx pgx.Tx, tenantID, resourceID, slotID, accountID uuid.UUID, now time.Time, caseID *uuid.UUID, field string) (uuid.UUID, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, `
		INSERT INTO booking (tenant_id, resource_id, slot_id, account_id, booked_at, case_id, field_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`, tenantID, resourceID, slotID, accountID, now, caseID, nilIfEmpty(field)).Scan(&id)
	if err != nil {
		return uuid.Nil, fmt.Errorf("booking: insert: %w", err)
	}
	return id, nil
}

// getIn reads a booking in q.
func getIn(ctx context.Context, q db.Querier, id uuid.UUID) (Booking, error) {
	b, err := scanBooking(q.QueryRow(ctx, `SELECT `+bookingColumns+bookingFrom+`WHERE b.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, ErrNotFound
	}
	if err != nil {
		return Booking{}, fmt.Errorf("booking: get: %w", err)
	}
	return b, nil
}

// lockOwn locks the account's booking for a change.
func lockOwn(ctx context.Context, tx pgx.Tx, accountID, id uuid.UUID) (Booking, error) {
	b, err := scanBooking(tx.QueryRow(ctx, `SELECT `+bookingColumns+bookingFrom+`WHERE b.id = $1 AND b.account_id = $2 FOR UPDATE OF b`, id, accountID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, ErrNotFound
	}
	if err != nil {
		return Booking{}, fmt.Errorf("booking: lock: %w", err)
	}
	return b, nil
}

// release ends the booking (cancelled or rebooked) and gives its place back, in tx. The caller
// holds the booking's lock and has seen it booked, so a place is given back once.
func release(ctx context.Context, tx pgx.Tx, id uuid.UUID, state, by, note string, to *uuid.UUID, now time.Time) error {
	if _, err := tx.Exec(ctx, `
		UPDATE booking SET state = $2, cancelled_at = $3, cancelled_by = $4, cancel_note = $5, rebooked_to = $6
		WHERE id = $1 AND state = 'booked'`, id, state, now, nilIfEmpty(by), note, to); err != nil {
		return fmt.Errorf("booking: end: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		UPDATE booking_slot SET booked = booked - 1 WHERE id = (SELECT slot_id FROM booking WHERE id = $1)`, id); err != nil {
		return fmt.Errorf("booking: give back a place: %w", err)
	}
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Cancel cancels the citizen's booking and gives its place back. Cancelling a booking that is
// cancelled already changes nothing and returns it as it is, so a double click or a retry never
// gives back two places. After the resource's cancellation limit it is ErrTooLateToCancel.
func (s *Store) Cancel(ctx context.Context, accountID, id uuid.UUID) (Booking, error) {
	var b Booking
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if b, err = lockOwn(ctx, tx, accountID, id); err != nil {
			return err
		}
		if b.State != Booked {
			return nil
		}
		now := s.now()
		if !b.MayCancel(now) {
			return ErrTooLateToCancel
		}
		if err := release(ctx, tx, b.ID, Cancelled, ByCitizen, "", nil, now); err != nil {
			return err
		}
		if b, err = getIn(ctx, tx, id); err != nil {
			return err
		}
		if err := caseEvent(ctx, tx, b, EventCancelled, "", now); err != nil {
			return err
		}
		return s.notice(ctx, tx, b, notify.KindBookingCancelledByCitizen)
	})
	return b, err
}

// Rebook moves the citizen's booking to the resource's time start, in one transaction: the new
// place is taken first and the old one given back only then, so a time that is no longer free
// (ErrTaken) leaves the booking as it was. Rebooking a booking that was moved already returns the
// booking it was moved to, so a double click or a retry never takes two places.
func (s *Store) Rebook(ctx context.Context, accountID, id uuid.UUID, start time.Time) (Booking, error) {
	var nb Booking
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		old, err := lockOwn(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		switch {
		case old.State == Rebooked && old.RebookedTo != nil:
			nb, err = getIn(ctx, tx, *old.RebookedTo)
			return err
		case old.State != Booked:
			return ErrCancelled
		case old.Start.Equal(start):
			return ErrSameTime
		}
		now := s.now()
		if !old.MayCancel(now) {
			return ErrTooLateToCancel
		}
		r, err := resource(ctx, tx, old.ResourceID, true)
		if err != nil {
			return err
		}
		slotID, err := s.place(ctx, tx, r, start)
		if err != nil {
			return err
		}
		// The new booking belongs to the case the old one belonged to.
		newID, err := insertBooking(ctx, tx, r.TenantID, r.ID, slotID, accountID, now, old.CaseID, old.Field)
		if err != nil {
			return err
		}
		if err := release(ctx, tx, old.ID, Rebooked, ByCitizen, "", &newID, now); err != nil {
			return err
		}
		if nb, err = getIn(ctx, tx, newID); err != nil {
			return err
		}
		if err := caseEvent(ctx, tx, nb, EventRebooked, "", now); err != nil {
			return err
		}
		return s.notice(ctx, tx, nb, notify.KindBookingConfirmed)
	})
	return nb, err
}

// CancelForCase cancels the bookings of a case its applicant has withdrawn whose time is still
// to come, in the caller's transaction when the store is on one: each gives its place back, is
// recorded in the case's history and confirmed to the citizen as their own cancellation,
// whatever the resource's limit for cancelling (the case they were booked for is no more).
func (s *Store) CancelForCase(ctx context.Context, caseID uuid.UUID) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		now := s.now()
		rows, err := tx.Query(ctx, `
			SELECT b.id FROM booking b JOIN booking_slot sl ON sl.id = b.slot_id
			WHERE b.case_id = $1 AND b.state = 'booked' AND sl.starts_at > $2
			ORDER BY sl.starts_at FOR UPDATE OF b`, caseID, now)
		if err != nil {
			return fmt.Errorf("booking: the case's bookings: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			return fmt.Errorf("booking: the case's bookings: %w", err)
		}
		for _, id := range ids {
			if err := release(ctx, tx, id, Cancelled, ByCitizen, "", nil, now); err != nil {
				return err
			}
			b, err := getIn(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := caseEvent(ctx, tx, b, EventCancelled, "", now); err != nil {
				return err
			}
			if err := s.notice(ctx, tx, b, notify.KindBookingCancelledByCitizen); err != nil {
				return err
			}
		}
		return nil
	})
}

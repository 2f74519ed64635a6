package booking

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
)

// Remind enqueues a reminder of every booking whose resource's reminder time (reminder_minutes
// before the start) has come and whose time has not begun, once (a booking made after its
// reminder time has its confirmation and no reminder): the booking is marked reminded
// in the same transaction as its notice. It returns how many it enqueued. The housekeeping runs
// it every few minutes; two servers running it at once remind each booking once (the second
// waits for the first's row locks and then finds the bookings reminded).
func (s *Store) Remind(ctx context.Context) (int, error) {
	n := 0
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		now := s.now()
		rows, err := tx.Query(ctx, `
			UPDATE booking b SET reminded_at = $1
			FROM booking_slot sl, booking_resource r
			WHERE sl.id = b.slot_id AND r.id = b.resource_id
				AND b.state = 'booked' AND b.reminded_at IS NULL AND r.reminder_minutes > 0
				AND sl.starts_at > $1 AND sl.starts_at - make_interval(mins => r.reminder_minutes) <= $1
				AND b.booked_at < sl.starts_at - make_interval(mins => r.reminder_minutes)
			RETURNING b.id, b.tenant_id, b.account_id`, now)
		if err != nil {
			return fmt.Errorf("booking: reminders: %w", err)
		}
		due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Booking, error) {
			var b Booking
			err := row.Scan(&b.ID, &b.TenantID, &b.AccountID)
			return b, err
		})
		if err != nil {
			return fmt.Errorf("booking: reminders: %w", err)
		}
		for _, b := range due {
			if err := s.notice(ctx, tx, b, notify.KindBookingReminder); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

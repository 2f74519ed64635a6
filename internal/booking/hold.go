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

// A booking field of a form lets the citizen pick a time of a resource on a step. The time is
// held for the draft for HoldTime: the hold takes a place of the time's slot exactly as a booking
// does (the slot's count, under its CHECK), so nobody else can book it meanwhile. When the case
// is submitted the hold becomes a booking of the case, in the submit's transaction. A hold that
// has expired keeps its place until ReleaseExpired gives it back, which a job does every minute;
// whatever deletes a hold row (a new pick, the draft deleted, the job, the submit) gives its place
// back once, by a trigger on the table.

// HoldTime is how long a time picked in a form is held for its draft.
const HoldTime = 15 * time.Minute

// Events of a booking in its case's history (case_event.kind).
const (
	EventBooked    = "booked"
	EventCancelled = "booking_cancelled"
	EventRebooked  = "booking_rebooked"
)

// Hold is a time held for a booking field of a draft.
type Hold struct {
	ID         uuid.UUID
	DraftID    uuid.UUID
	Field      string
	ResourceID uuid.UUID
	SlotID     uuid.UUID
	Start, End time.Time
	ExpiresAt  time.Time
}

// Active reports whether the hold still runs at now.
func (h Hold) Active(now time.Time) bool { return now.Before(h.ExpiresAt) }

// Pick is a time picked in a booking field of a draft.
type Pick struct {
	TenantID  uuid.UUID
	DraftID   uuid.UUID
	AccountID uuid.UUID
	Field     string // the booking field's key
	Resource  string // the slug of the resource the field books
	Start     time.Time
}

const holdColumns = `h.id, h.draft_id, h.field_key, h.resource_id, h.slot_id, sl.starts_at, sl.ends_at, h.expires_at`

func scanHold(row pgx.Row) (Hold, error) {
	var h Hold
	err := row.Scan(&h.ID, &h.DraftID, &h.Field, &h.ResourceID, &h.SlotID, &h.Start, &h.End, &h.ExpiresAt)
	return h, err
}

// holdOf reads the hold of the draft's field in tx and locks it; ErrNotFound when it has none.
func holdOf(ctx context.Context, tx pgx.Tx, draftID uuid.UUID, field string) (Hold, error) {
	h, err := scanHold(tx.QueryRow(ctx, `SELECT `+holdColumns+` FROM booking_hold h JOIN booking_slot sl ON sl.id = h.slot_id
		WHERE h.draft_id = $1 AND h.field_key = $2 FOR UPDATE OF h`, draftID, field))
	if errors.Is(err, pgx.ErrNoRows) {
		return Hold{}, ErrNotFound
	}
	if err != nil {
		return Hold{}, fmt.Errorf("booking: hold: %w", err)
	}
	return h, nil
}

// Holds returns the draft's holds, expired ones included until they are released.
func (s *Store) Holds(ctx context.Context, draftID uuid.UUID) ([]Hold, error) {
	rows, err := s.db.Query(ctx, `SELECT `+holdColumns+` FROM booking_hold h JOIN booking_slot sl ON sl.id = h.slot_id
		WHERE h.draft_id = $1 ORDER BY h.field_key`, draftID)
	if err != nil {
		return nil, fmt.Errorf("booking: holds: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Hold, error) { return scanHold(row) })
}

// Hold holds the picked time for the draft's field for HoldTime, in one transaction (a savepoint
// when the store is on a transaction). Re-picking is atomic: the new place is taken before the
// field's earlier hold is given back, so a time that is no longer free (ErrTaken) or cannot be
// booked (ErrNotBookable) leaves the earlier hold as it was. Picking the time the field holds
// already holds it HoldTime from now, without taking a second place.
func (s *Store) Hold(ctx context.Context, p Pick) (Hold, error) {
	var h Hold
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		now := s.now()
		old, err := holdOf(ctx, tx, p.DraftID, p.Field)
		switch {
		case err == nil && old.Start.Equal(p.Start):
			h = old
			h.ExpiresAt = now.Add(HoldTime)
			_, err := tx.Exec(ctx, `UPDATE booking_hold SET held_at = $2, expires_at = $3 WHERE id = $1`, h.ID, now, h.ExpiresAt)
			return err
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		r, err := resourceWhere(ctx, tx, `r.tenant_id = $1 AND r.slug = $2`, true, p.TenantID, p.Resource)
		if errors.Is(err, ErrNotFound) {
			return ErrNotBookable
		}
		if err != nil {
			return err
		}
		slotID, err := s.place(ctx, tx, r, p.Start)
		if err != nil {
			return err
		}
		if old.ID != uuid.Nil {
			if _, err := tx.Exec(ctx, `DELETE FROM booking_hold WHERE id = $1`, old.ID); err != nil {
				return fmt.Errorf("booking: release the earlier hold: %w", err)
			}
		}
		h, err = scanHold(tx.QueryRow(ctx, `
			WITH h AS (
				INSERT INTO booking_hold (tenant_id, resource_id, slot_id, draft_id, field_key, account_id, held_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
			SELECT `+holdColumns+` FROM h JOIN booking_slot sl ON sl.id = h.slot_id`,
			r.TenantID, r.ID, slotID, p.DraftID, p.Field, p.AccountID, now, now.Add(HoldTime)))
		if err != nil {
			return fmt.Errorf("booking: hold: %w", err)
		}
		return nil
	})
	return h, err
}

// Release gives back the time held for the draft's field, if it holds one.
func (s *Store) Release(ctx context.Context, draftID uuid.UUID, field string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM booking_hold WHERE draft_id = $1 AND field_key = $2`, draftID, field); err != nil {
		return fmt.Errorf("booking: release: %w", err)
	}
	return nil
}

// releaseBatch is how many expired holds one transaction of ReleaseExpired gives back.
const releaseBatch = 500

// ReleaseExpired gives back the places of the holds that have expired, and returns how many. It
// may run on several servers at once: each hold is deleted once (a hold another run or a submit
// has locked is skipped, and deleted by them), and its trigger gives its place back with it.
func (s *Store) ReleaseExpired(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int64
		err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `
				DELETE FROM booking_hold WHERE id IN (
					SELECT id FROM booking_hold WHERE expires_at <= $1 ORDER BY slot_id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
				s.now(), releaseBatch)
			n = tag.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("booking: release expired holds: %w", err)
		}
		total += int(n)
		if n < releaseBatch {
			return total, nil
		}
	}
}

// ForCase is a booking field's time as a case is submitted with it.
type ForCase struct {
	Pick
	CaseID uuid.UUID
}

// Confirm books the time of a booking field for the case being submitted, in the submit's
// transaction (the store must be on it): the field's hold becomes a booking of the case and
// keeps its place, whether or not it has expired, as long as the job has not released it. A time
// whose hold is gone is booked anew if it is still free; otherwise it is ErrTaken (or
// ErrNotBookable when it is too late to book it). The booking is recorded on the case and
// confirmed to the citizen by a notice.
func (s *Store) Confirm(ctx context.Context, c ForCase) (Booking, error) {
	var b Booking
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		now := s.now()
		var resourceID, slotID uuid.UUID
		h, err := holdOf(ctx, tx, c.DraftID, c.Field)
		switch {
		case err == nil && h.Start.Equal(c.Start):
			// The hold's place becomes the booking's: given back by the hold's trigger and taken
			// again under the slot's lock, which the trigger's update holds to the commit.
			if _, err := tx.Exec(ctx, `DELETE FROM booking_hold WHERE id = $1`, h.ID); err != nil {
				return fmt.Errorf("booking: confirm a hold: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE booking_slot SET booked = booked + 1 WHERE id = $1`, h.SlotID); err != nil {
				return fmt.Errorf("booking: confirm a hold: %w", err)
			}
			resourceID, slotID = h.ResourceID, h.SlotID
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		default:
			if err == nil { // a hold of another time: given back
				if _, err := tx.Exec(ctx, `DELETE FROM booking_hold WHERE id = $1`, h.ID); err != nil {
					return fmt.Errorf("booking: release a hold: %w", err)
				}
			}
			r, err := resourceWhere(ctx, tx, `r.tenant_id = $1 AND r.slug = $2`, true, c.TenantID, c.Resource)
			if errors.Is(err, ErrNotFound) {
				return ErrNotBookable
			}
			if err != nil {
				return err
			}
			if slotID, err = s.place(ctx, tx, r, c.Start); err != nil {
				return err
			}
			resourceID = r.ID
		}
		id, err := insertBooking(ctx, tx, c.TenantID, resourceID, slotID, c.AccountID, now, &c.CaseID, c.Field)
		if err != nil {
			return err
		}
		if b, err = getIn(ctx, tx, id); err != nil {
			return err
		}
		if err := caseEvent(ctx, tx, b, EventBooked, "", now); err != nil {
			return err
		}
		return s.notice(ctx, tx, b, notify.KindBookingConfirmed)
	})
	return b, err
}

// caseEvent records what happened to the booking in its case's history, if it belongs to a case:
// the kind, who (a staff member's name, "" for the citizen) and the booking's time.
func caseEvent(ctx context.Context, tx pgx.Tx, b Booking, kind, actor string, now time.Time) error {
	if b.CaseID == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_event (tenant_id, case_id, kind, actor, at, data) VALUES ($1, $2, $3, $4, $5, $6)`,
		b.TenantID, *b.CaseID, kind, actor, now, map[string]any{
			"booking": b.ID.String(), "start": b.Start.UTC().Format(time.RFC3339), "end": b.End.UTC().Format(time.RFC3339),
		})
	if err != nil {
		return fmt.Errorf("booking: case event: %w", err)
	}
	return nil
}

package draft

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// KeyBookingLogin is the problem of a time picked by a visitor: a time is held for an account,
// so picking one needs a login.
const KeyBookingLogin = "booking.field.error.login"

// WithBookings returns the store holding the times picked in drafts' booking fields with b.
func (s *Store) WithBookings(b *booking.Store) *Store {
	c := *s
	c.bookings = b
	return &c
}

// SaveStep stores the answers and the step the owner is on, as Save does, after a post of the
// step's page, and in the same transaction makes the draft's holds agree with the answers of the
// booking fields the page showed: a time picked anew is held for the draft (booking.Store.Hold:
// taken before the field's earlier hold is given back), a field left without a time gives its
// hold back, and a time that is held already stays held. A time that cannot be held (no longer
// free, not bookable, or picked by a visitor) is not stored: the field keeps its earlier answer
// and the problem is returned at its input, while the rest of the answers are stored. A
// supplement's booking fields keep their answers: the case's booking is changed under Mina
// bokningar. Without booking fields on the page it is Save.
func (s *Store) SaveStep(ctx context.Context, d Draft, owner Owner, def *form.Definition, step form.Step, answers form.Answers) (Draft, apperr.FieldErrors, error) {
	var fields []form.Field
	for _, f := range def.PageFields(step, d.Answers) {
		if f.Type == form.Booking {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 || s.bookings == nil {
		saved, err := s.Save(ctx, d.ID, owner, answers, step.Key)
		return saved, nil, err
	}
	var saved Draft
	var problems apperr.FieldErrors
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		problems = nil
		a := form.Answers{}
		for k, v := range answers {
			a[k] = v
		}
		account, key := owner.args()
		var locked bool
		err := tx.QueryRow(ctx, `SELECT true FROM draft WHERE id = $1 AND `+ownedBy+` FOR UPDATE`, d.ID, account, key).Scan(&locked)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("draft: lock: %w", err)
		}
		bookings := s.bookings.With(tx)
		holds, err := bookings.Holds(ctx, d.ID)
		if err != nil {
			return err
		}
		now := bookings.Now()
		for _, f := range fields {
			keep := func(key string) {
				if old, ok := d.Answers[f.Key]; ok {
					a[f.Key] = old
				} else {
					delete(a, f.Key)
				}
				if key != "" {
					problems.Add(f.Key, key)
				}
			}
			if d.CaseID != nil {
				keep("")
				continue
			}
			picked := first(a[f.Key])
			var held *booking.Hold
			for i := range holds {
				if holds[i].Field == f.Key {
					held = &holds[i]
				}
			}
			if picked == "" {
				if held != nil {
					if err := bookings.Release(ctx, d.ID, f.Key); err != nil {
						return err
					}
				}
				continue
			}
			start, _, ok := form.ParseBookingValue(picked)
			switch {
			case !ok:
				keep(booking.ErrNotBookable.Key)
				continue
			case held != nil && held.Start.Equal(start) && held.Active(now):
				a[f.Key] = []string{form.BookingValue(held.Start, held.End)}
				continue
			case owner.AccountID == uuid.Nil:
				keep(KeyBookingLogin)
				continue
			}
			h, err := bookings.Hold(ctx, booking.Pick{TenantID: d.TenantID, DraftID: d.ID, AccountID: owner.AccountID,
				Field: f.Key, Resource: f.Resource, Start: start})
			switch {
			case errors.Is(err, booking.ErrTaken), errors.Is(err, booking.ErrNotBookable):
				keep(apperr.KeyOf(err))
				continue
			case err != nil:
				return err
			}
			a[f.Key] = []string{form.BookingValue(h.Start, h.End)}
		}
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		saved, err = scan(tx.QueryRow(ctx, `
			UPDATE draft SET answers = $2, current_step = $3, updated_at = now() WHERE id = $1 RETURNING `+columns, d.ID, b, step.Key))
		return err
	})
	return saved, problems, err
}

func first(vals []string) string {
	if len(vals) > 0 {
		return vals[0]
	}
	return ""
}

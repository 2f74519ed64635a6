package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
)

const resourceColumns = `r.id, r.tenant_id, t.name, r.slug, r.name, r.place, r.description, r.slot_minutes, r.capacity,
	r.ahead_days, r.book_before_minutes, r.cancel_before_minutes`

func scanResource(row pgx.Row) (Resource, error) {
	var r Resource
	var slot, book, cancel int
	err := row.Scan(&r.ID, &r.TenantID, &r.Municipality, &r.Slug, &r.Name, &r.Place, &r.Description, &slot, &r.Capacity,
		&r.AheadDays, &book, &cancel)
	r.Slot = time.Duration(slot) * time.Minute
	r.BookBefore = time.Duration(book) * time.Minute
	r.CancelBefore = time.Duration(cancel) * time.Minute
	return r, err
}

// Resource returns a resource that is not archived, with its opening hours and exceptions.
func (s *Store) Resource(ctx context.Context, id uuid.UUID) (Resource, error) {
	return resource(ctx, s.db, id, false)
}

// ResourceBySlug returns the municipality's resource with the slug, if it is not archived, with
// its opening hours and exceptions: the resource a booking field of a form names.
func (s *Store) ResourceBySlug(ctx context.Context, tenantID uuid.UUID, slug string) (Resource, error) {
	return resourceWhere(ctx, s.db, `r.tenant_id = $1 AND r.slug = $2`, false, tenantID, slug)
}

// resource reads the resource in q; lock takes its row's share lock, so that its rules cannot
// change under a booking.
func resource(ctx context.Context, q db.Querier, id uuid.UUID, lock bool) (Resource, error) {
	return resourceWhere(ctx, q, `r.id = $1`, lock, id)
}

// resourceWhere reads the resource that is not archived and meets the condition on r, in q, in
// one round trip.
func resourceWhere(ctx context.Context, q db.Querier, cond string, lock bool, args ...any) (Resource, error) {
	var r Resource
	found := false
	b := &pgx.Batch{}
	queueResourceWhere(b, cond, lock, args, &r, &found)
	if err := db.Run(ctx, q, b); err != nil {
		return Resource{}, fmt.Errorf("booking: resource: %w", err)
	}
	if !found {
		return Resource{}, ErrNotFound
	}
	return r, nil
}

// queueResourceWhere queues on b the reading of the resource that is not archived and meets the
// condition on r (with args), with its opening hours and exceptions, into out; found says whether
// there is one. With lock it takes the resource's share lock, so that its rules cannot change
// under a booking.
func queueResourceWhere(b *pgx.Batch, cond string, lock bool, args []any, out *Resource, found *bool) {
	sql := `SELECT ` + resourceColumns + ` FROM booking_resource r JOIN tenant t ON t.id = r.tenant_id
		WHERE ` + cond + ` AND r.archived_at IS NULL`
	if lock {
		sql += ` FOR SHARE OF r`
	}
	db.QueueOptional(b, found, func(row pgx.Row) error {
		r, err := scanResource(row)
		*out = r // the hours and exceptions are read after it, in the batch's order
		return err
	}, sql, args...)
	of := `(SELECT r.id FROM booking_resource r WHERE ` + cond + ` AND r.archived_at IS NULL)`
	db.QueueRows(b, &out.Hours, func(row pgx.CollectableRow) (Hours, error) {
		var h Hours
		var wd int
		err := row.Scan(&wd, &h.Opens, &h.Closes)
		h.Weekday = time.Weekday(wd % 7) // 7 is Sunday, Go's 0
		return h, err
	}, `SELECT weekday, extract(epoch FROM opens)::int / 60, extract(epoch FROM closes)::int / 60
		FROM booking_hours WHERE resource_id IN `+of+` ORDER BY weekday, opens`, args...)
	db.QueueRows(b, &out.Exceptions, func(row pgx.CollectableRow) (Exception, error) {
		var e Exception
		err := row.Scan(&e.Day, &e.Closed, &e.Opens, &e.Closes)
		return e, err
	}, `SELECT to_char(day, 'YYYY-MM-DD'), opens IS NULL, coalesce(extract(epoch FROM opens)::int / 60, 0),
			coalesce(extract(epoch FROM closes)::int / 60, 0)
		FROM booking_exception WHERE resource_id IN `+of+` ORDER BY day`, args...)
}

// Resources returns the municipality's resources that can be booked, by name.
func (s *Store) Resources(ctx context.Context, tenantID uuid.UUID) ([]Resource, error) {
	rows, err := s.db.Query(ctx, `SELECT `+resourceColumns+` FROM booking_resource r JOIN tenant t ON t.id = r.tenant_id
		WHERE r.tenant_id = $1 AND r.archived_at IS NULL ORDER BY r.name->>'sv', r.id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("booking: resources: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Resource, error) { return scanResource(row) })
}

// FreeTimes returns the resource's times that a citizen can book now, by day, for the days
// days from the day from (any time of it, in Stockholm). Days without a free time are left out.
func (s *Store) FreeTimes(ctx context.Context, r Resource, from time.Time, days int) ([]Day, error) {
	now := s.now()
	first := localDay(from)
	if today := localDay(now); first.Before(today) {
		first = today
	}
	last := addDays(first, days)
	taken := map[int64]Time{}
	rows, err := s.db.Query(ctx, `
		SELECT starts_at, capacity, booked, blocked FROM booking_slot
		WHERE resource_id = $1 AND starts_at >= $2 AND starts_at < $3`, r.ID, first, last)
	if err != nil {
		return nil, fmt.Errorf("booking: free times: %w", err)
	}
	for rows.Next() {
		var t Time
		if err := rows.Scan(&t.Start, &t.Capacity, &t.Booked, &t.Blocked); err != nil {
			rows.Close()
			return nil, fmt.Errorf("booking: free times: %w", err)
		}
		taken[t.Start.Unix()] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("booking: free times: %w", err)
	}
	var out []Day
	for day := first; day.Before(last); day = addDays(day, 1) {
		d := Day{Date: day}
		for _, t := range r.timesOn(day) {
			if !r.bookableAt(t.Start, now) {
				continue
			}
			if row, ok := taken[t.Start.Unix()]; ok {
				t.Capacity, t.Booked, t.Blocked = row.Capacity, row.Booked, row.Blocked
			}
			if t.Free() > 0 {
				d.Times = append(d.Times, t)
			}
		}
		if len(d.Times) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

// LastDay is the last day a citizen can book at now, midnight in Stockholm.
func (s *Store) LastDay(r Resource) time.Time { return addDays(localDay(s.now()), r.AheadDays) }

const bookingColumns = `b.id, b.tenant_id, b.resource_id, b.account_id, t.name, r.name, r.place, sl.starts_at, sl.ends_at,
	b.state, b.booked_at, b.cancelled_at, coalesce(b.cancelled_by, ''), b.cancel_note, b.rebooked_to, r.cancel_before_minutes,
	b.case_id, coalesce(c.reference, ''), coalesce(b.field_key, '')`

const bookingFrom = ` FROM booking b JOIN booking_slot sl ON sl.id = b.slot_id
	JOIN booking_resource r ON r.id = b.resource_id JOIN tenant t ON t.id = b.tenant_id
	LEFT JOIN cases c ON c.id = b.case_id `

func scanBooking(row pgx.Row) (Booking, error) {
	var b Booking
	var cancel int
	err := row.Scan(&b.ID, &b.TenantID, &b.ResourceID, &b.AccountID, &b.Municipality, &b.Name, &b.Place, &b.Start, &b.End,
		&b.State, &b.BookedAt, &b.CancelledAt, &b.CancelledBy, &b.CancelNote, &b.RebookedTo, &cancel, &b.CaseID, &b.CaseRef, &b.Field)
	b.CancelBefore = time.Duration(cancel) * time.Minute
	return b, err
}

// Get returns the account's booking.
func (s *Store) Get(ctx context.Context, accountID, id uuid.UUID) (Booking, error) {
	b, err := scanBooking(s.db.QueryRow(ctx, `SELECT `+bookingColumns+bookingFrom+`WHERE b.id = $1 AND b.account_id = $2`, id, accountID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, ErrNotFound
	}
	if err != nil {
		return Booking{}, fmt.Errorf("booking: get: %w", err)
	}
	return b, nil
}

// MaxListed is how many of a citizen's bookings Mine returns: the most recently made.
const MaxListed = 200

// Mine returns the account's bookings in every municipality, by start, the latest first: the
// ones moved to another time are left out (the new one is listed).
func (s *Store) Mine(ctx context.Context, accountID uuid.UUID) ([]Booking, error) {
	rows, err := s.db.Query(ctx, `SELECT * FROM (SELECT `+bookingColumns+bookingFrom+`
		WHERE b.account_id = $1 AND b.state <> 'rebooked' ORDER BY b.booked_at DESC LIMIT $2) x ORDER BY starts_at DESC`,
		accountID, MaxListed)
	if err != nil {
		return nil, fmt.Errorf("booking: mine: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Booking, error) { return scanBooking(row) })
}

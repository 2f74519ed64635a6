// Package booking holds the municipality's bookable resources (a time with an advisor, a place, a
// hall), the times they can be booked, and citizens' bookings: book, cancel and rebook, each one
// transaction. No time is ever booked beyond its capacity: a slot row counts its booked places
// under a CHECK (booked <= capacity), and every booking increments it in its own transaction, so
// the database refuses the place that is not there whatever the concurrency.
package booking

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/notify"
)

// Errors of booking.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrTaken: the time has no free place any more (someone else took the last one, or staff
	// blocked it).
	ErrTaken = apperr.New(apperr.Conflict, "booking.error.taken")
	// ErrNotBookable: the time is not one of the resource's times, or is too soon or too far ahead.
	ErrNotBookable = apperr.New(apperr.Invalid, "booking.error.notBookable")
	// ErrTooLateToCancel: the resource's cancellation limit has passed.
	ErrTooLateToCancel = apperr.New(apperr.Conflict, "booking.error.tooLateToCancel")
	// ErrCancelled: the booking is cancelled already and cannot be moved.
	ErrCancelled = apperr.New(apperr.Conflict, "booking.error.cancelled")
	// ErrSameTime: a rebooking to the time already booked.
	ErrSameTime = apperr.New(apperr.Invalid, "booking.error.sameTime")
)

// States of a booking.
const (
	Booked    = "booked"
	Cancelled = "cancelled"
	Rebooked  = "rebooked" // moved to another time: RebookedTo is the new booking
)

// Who cancelled a booking.
const (
	ByCitizen = "citizen"
	ByStaff   = "staff"
)

// Resource is something a municipality lets citizens book.
type Resource struct {
	ID           uuid.UUID
	TenantID     uuid.UUID
	Municipality string
	Slug         string
	Name         form.Text
	Place        form.Text
	Description  form.Text
	Slot         time.Duration // the length of one time
	Capacity     int           // places per time
	AheadDays    int           // how many days ahead one may book
	BookBefore   time.Duration // how late one may book: this long before the start
	CancelBefore time.Duration // how late one may cancel or rebook: this long before the start
	Reminder     time.Duration // how long before the start the reminder goes; 0: none (read by ForAdmin)
	Hours        []Hours
	Exceptions   []Exception
}

// Hours are opening hours of a weekday, local time in Stockholm, in minutes after midnight.
type Hours struct {
	Weekday time.Weekday
	Opens   int
	Closes  int
}

// Exception is a day that differs from its weekday: closed, or open other hours.
type Exception struct {
	Day    string // YYYY-MM-DD
	Closed bool
	Opens  int
	Closes int
}

// Booking is a citizen's booking of one place at one time.
type Booking struct {
	ID           uuid.UUID
	TenantID     uuid.UUID
	ResourceID   uuid.UUID
	AccountID    uuid.UUID
	Municipality string
	Name         form.Text // the resource's
	Place        form.Text
	Start, End   time.Time
	State        string
	BookedAt     time.Time
	CancelledAt  *time.Time
	CancelledBy  string
	CancelNote   string
	RebookedTo   *uuid.UUID
	CancelBefore time.Duration // the resource's cancellation limit
	CaseID       *uuid.UUID    // the case it was booked with, through a booking field of its form
	CaseRef      string        // that case's reference
	Field        string        // the key of that booking field
}

// CancelUntil is the last moment the booking can be cancelled or moved.
func (b Booking) CancelUntil() time.Time { return b.Start.Add(-b.CancelBefore) }

// MayCancel reports whether the citizen may still cancel or move the booking at now.
func (b Booking) MayCancel(now time.Time) bool {
	return b.State == Booked && !now.After(b.CancelUntil())
}

// Store reads and writes resources and bookings, and tells citizens of their bookings through
// notices. Its clock decides what is too soon, too far ahead or too late, so that tests can move
// it.
type Store struct {
	db      db.Querier
	notices notify.Outbox
	now     func() time.Time
}

// NewStore returns a store on q (a pool, or a transaction) that tells citizens through notices,
// with the clock now (time.Now when nil).
func NewStore(q db.Querier, notices notify.Outbox, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: q, notices: notices, now: now}
}

// With returns the store on q: on a transaction, its calls join it.
func (s *Store) With(q db.Querier) *Store { return &Store{db: q, notices: s.notices, now: s.now} }

// notice enqueues a notice of the booking to its citizen, in tx.
func (s *Store) notice(ctx context.Context, tx pgx.Tx, b Booking, kind string) error {
	return s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: b.TenantID, AccountID: b.AccountID, BookingID: b.ID, Kind: kind})
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// WithClock returns the store with the clock now.
func (s *Store) WithClock(now func() time.Time) *Store {
	return &Store{db: s.db, notices: s.notices, now: now}
}

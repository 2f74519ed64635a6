package booking

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/i18n"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func at(y int, mo time.Month, d, h, min int) time.Time {
	return time.Date(y, mo, d, h, min, 0, 0, i18n.Stockholm)
}

// The times of a day are wall-clock times in Stockholm from its opening hours, or its exception's:
// 09:00 is 08:00 UTC in winter and 07:00 UTC in summer, on the days of the changes too.
func TestTimesOn(t *testing.T) {
	r := Resource{Slot: 90 * time.Minute, Capacity: 3,
		Hours: []Hours{{Weekday: time.Sunday, Opens: 9 * 60, Closes: 12 * 60}, {Weekday: time.Sunday, Opens: 1 * 60, Closes: 4 * 60},
			{Weekday: time.Monday, Opens: 9 * 60, Closes: 12 * 60}},
		Exceptions: []Exception{{Day: "2027-03-22", Closed: true}, {Day: "2027-03-23", Opens: 13 * 60, Closes: 15 * 60}},
	}
	utc := func(ts []Time) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Start.UTC().Format("2006-01-02T15:04")+"/"+t.End.UTC().Format("15:04"))
		}
		return out
	}
	for _, tc := range []struct {
		day  time.Time
		want []string
	}{
		// Sunday 28 March 2027: 02:00 becomes 03:00, so 01:00–02:30 ends at 03:30 summer time, and
		// 02:30 does not exist.
		{at(2027, 3, 28, 0, 0), []string{"2027-03-28T00:00/01:30", "2027-03-28T07:00/08:30", "2027-03-28T08:30/10:00"}},
		{at(2027, 3, 29, 0, 0), []string{"2027-03-29T07:00/08:30", "2027-03-29T08:30/10:00"}},
		{at(2027, 3, 22, 0, 0), nil},                                // a Monday closed by its exception
		{at(2027, 3, 23, 0, 0), []string{"2027-03-23T12:00/13:30"}}, // a Tuesday open by its exception
		{at(2027, 3, 24, 0, 0), nil},                                // a Wednesday: closed
		{at(2027, 11, 1, 0, 0), []string{"2027-11-01T08:00/09:30", "2027-11-01T09:30/11:00"}},
	} {
		if diff := cmp.Diff(tc.want, utc(r.timesOn(tc.day))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.day.Format("2006-01-02"), diff)
		}
	}
	if got := addDays(at(2027, 3, 27, 0, 0), 2); !got.Equal(at(2027, 3, 29, 0, 0)) || got.Sub(at(2027, 3, 27, 0, 0)) != 47*time.Hour {
		t.Errorf("two days after 27 March 2027: %s", got)
	}
}

// How far ahead and how late: a time is bookable from BookBefore after now to the end of the day
// AheadDays after today, in Stockholm.
func TestBookableAt(t *testing.T) {
	r := Resource{AheadDays: 2, BookBefore: time.Hour}
	now := at(2026, 12, 8, 23, 30) // 22:30 UTC
	for _, tc := range []struct {
		start time.Time
		want  bool
	}{
		{at(2026, 12, 9, 0, 29), false},
		{at(2026, 12, 9, 0, 30), true},
		{at(2026, 12, 10, 23, 0), true},
		{at(2026, 12, 11, 0, 0), false},
	} {
		if got := r.bookableAt(tc.start, now); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.start, got, tc.want)
		}
	}
}

// The database itself refuses a place beyond a time's capacity, whatever the code does.
func TestSlotCapacityIsAConstraint(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		WITH t AS (INSERT INTO tenant (slug, name, code) VALUES ('provkommun', 'Provkommun', 'PRV') RETURNING id),
		r AS (INSERT INTO booking_resource (tenant_id, slug, name, slot_minutes, capacity) SELECT id, 'rum', '{"sv": "Rum"}', 60, 2 FROM t RETURNING id, tenant_id)
		INSERT INTO booking_slot (tenant_id, resource_id, starts_at, ends_at, capacity, booked)
		SELECT tenant_id, id, '2026-12-10 08:00Z', '2026-12-10 09:00Z', 2, 2 FROM r`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `UPDATE booking_slot SET booked = booked + 1`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.ConstraintName != "booking_slot_capacity" {
		t.Errorf("a third place at a time for two: %v", err)
	}
}

package booking

import (
	"slices"
	"time"

	"github.com/minasidor/minasidor/internal/i18n"
)

// Time is one bookable time of a resource, with how many of its places are taken.
type Time struct {
	Start, End time.Time
	Capacity   int
	Booked     int // places booked or held for a draft
	Held       int // of those, places held for drafts (read by the calendar)
	Blocked    bool
}

// Free is the number of places left.
func (t Time) Free() int {
	if t.Blocked {
		return 0
	}
	return max(t.Capacity-t.Booked, 0)
}

// Day is the times of one day, local time in Stockholm.
type Day struct {
	Date  time.Time // midnight in Stockholm
	Times []Time
}

// localDay is midnight of t's date in Stockholm.
func localDay(t time.Time) time.Time {
	y, m, d := t.In(i18n.Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, i18n.Stockholm)
}

// addDays is midnight n days after day, in Stockholm: a day with a change to or from summer time
// is 23 or 25 hours long, so the days are counted by the calendar, not by 24 hours.
func addDays(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, i18n.Stockholm)
}

// intervals are the opening hours of the day: its exception's, or its weekday's.
func (r Resource) intervals(day time.Time) [][2]int {
	date := day.Format("2006-01-02")
	for _, e := range r.Exceptions {
		if e.Day == date {
			if e.Closed {
				return nil
			}
			return [][2]int{{e.Opens, e.Closes}}
		}
	}
	var out [][2]int
	for _, h := range r.Hours {
		if h.Weekday == day.Weekday() {
			out = append(out, [2]int{h.Opens, h.Closes})
		}
	}
	slices.SortFunc(out, func(a, b [2]int) int { return a[0] - b[0] })
	return out
}

// timesOn are the resource's times on the day (midnight in Stockholm), whether free or not. The
// times are wall-clock times in Stockholm: a time at 09:00 is at 09:00 local time on both sides
// of a change to or from summer time. A time that would start in the hour the clocks skip is left
// out.
func (r Resource) timesOn(day time.Time) []Time {
	y, m, d := day.Date()
	step := int(r.Slot / time.Minute)
	if step <= 0 {
		return nil
	}
	var out []Time
	for _, iv := range r.intervals(day) {
		for from := iv[0]; from+step <= iv[1]; from += step {
			start := time.Date(y, m, d, 0, from, 0, 0, i18n.Stockholm)
			if start.Hour()*60+start.Minute() != from%(24*60) {
				continue // the night the clocks go forward, 02:00–03:00 does not exist
			}
			out = append(out, Time{
				Start:    start,
				End:      time.Date(y, m, d, 0, from+step, 0, 0, i18n.Stockholm),
				Capacity: r.Capacity,
			})
		}
	}
	return out
}

// bookableAt reports whether a citizen may book a time starting at start at now: not sooner
// than BookBefore from now, and on a day no later than AheadDays after today.
func (r Resource) bookableAt(start, now time.Time) bool {
	if start.Before(now.Add(r.BookBefore)) {
		return false
	}
	return !localDay(start).After(addDays(localDay(now), r.AheadDays))
}

// timeAt returns the resource's time that starts at start, if it has one.
func (r Resource) timeAt(start time.Time) (Time, bool) {
	for _, t := range r.timesOn(localDay(start)) {
		if t.Start.Equal(start) {
			return t, true
		}
	}
	return Time{}, false
}

package form

import (
	"strings"
	"time"
)

// A booking field's answer is the chosen time as an ISO 8601 interval of two RFC 3339 times in
// UTC, "2026-12-10T08:00:00Z/2026-12-10T08:30:00Z": it says when the time starts and ends
// without the resource, so that a receipt shows it as it was booked.

// BookingValue is the answer of a booking field for the time from start to end.
func BookingValue(start, end time.Time) string {
	return start.UTC().Format(time.RFC3339) + "/" + end.UTC().Format(time.RFC3339)
}

// ParseBookingValue reads a booking field's answer; ok is false unless it is a time that ends
// after it starts.
func ParseBookingValue(v string) (start, end time.Time, ok bool) {
	a, b, found := strings.Cut(v, "/")
	if !found {
		return time.Time{}, time.Time{}, false
	}
	start, err1 := time.Parse(time.RFC3339, a)
	end, err2 := time.Parse(time.RFC3339, b)
	if err1 != nil || err2 != nil || !end.After(start) {
		return time.Time{}, time.Time{}, false
	}
	return start, end, true
}

// bookingDisplay is a booking answer as the summary shows it when its caller does not write it in
// words: "2026-12-10 09:00–09:30", Stockholm time.
func bookingDisplay(v string) string {
	start, end, ok := ParseBookingValue(v)
	if !ok {
		return v
	}
	start, end = start.In(stockholm), end.In(stockholm)
	return start.Format("2006-01-02 15:04") + "–" + end.Format("15:04")
}

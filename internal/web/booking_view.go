package web

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// What the booking pages share: dates in words, the list of free times and a booking's page.

// bookingDate is a day in words in Stockholm: "måndag 7 december 2026", "Monday 7 December 2026".
func bookingDate(ctx context.Context, t time.Time) string {
	t = t.In(i18n.Stockholm)
	return i18n.T(ctx, "booking.date", i18n.T(ctx, fmt.Sprintf("booking.weekday.%d", t.Weekday())), t.Day(),
		i18n.T(ctx, fmt.Sprintf("booking.month.%d", t.Month())), t.Year())
}

// bookingWhen is a booking's time in words: "måndag 7 december 2026 kl. 09:00–09:30".
func bookingWhen(ctx context.Context, start, end time.Time) string {
	return i18n.T(ctx, "booking.when.value", bookingDate(ctx, start), i18n.Clock(start), i18n.Clock(end))
}

// daysShown is how many days a page of free times shows.
const daysShown = 7

// timesView lists the resource's free times of the days from the day in the query's "fran"
// (YYYY-MM-DD, today when absent), with links to the days before and after. path is the page's
// own address, to which the links add the day; chosen is the value to keep checked.
func (s *Server) timesView(ctx context.Context, r booking.Resource, path string, q url.Values, chosen string) (templates.BookingTimesView, error) {
	lang := string(i18n.FromContext(ctx).Lang)
	w, err := s.freeWeek(ctx, r, path, q)
	if err != nil {
		return templates.BookingTimesView{}, err
	}
	v := templates.BookingTimesView{
		Name: r.Name.In(lang), Municipality: r.Municipality, Place: r.Place.In(lang), Description: r.Description.In(lang),
		Rules: bookingRules(ctx, r), Period: w.period, EarlierURL: w.earlier, LaterURL: w.later,
	}
	for _, d := range w.days {
		dv := templates.BookingDayView{ID: "dag-" + d.Date.Format("2006-01-02"), Label: bookingDate(ctx, d.Date)}
		for _, t := range d.Times {
			value := t.Start.UTC().Format(time.RFC3339)
			tv := templates.BookingTimeView{
				ID: "tid-" + t.Start.UTC().Format("20060102T1504"), Value: value, Checked: value == chosen,
				Label: i18n.T(ctx, "booking.times.time", i18n.Clock(t.Start), i18n.Clock(t.End)),
			}
			if t.Capacity > 1 {
				tv.Places = i18n.T(ctx, "booking.times.places", t.Free())
			}
			dv.Times = append(dv.Times, tv)
		}
		v.Days = append(v.Days, dv)
	}
	return v, nil
}

// bookingRules are the resource's limits in words.
func bookingRules(ctx context.Context, r booking.Resource) []string {
	rules := []string{
		i18n.T(ctx, "booking.rule.ahead", r.AheadDays),
		i18n.T(ctx, "booking.rule.before", i18n.Duration(ctx, r.BookBefore)),
		i18n.T(ctx, "booking.rule.cancel", i18n.Duration(ctx, r.CancelBefore)),
	}
	if r.BookBefore == 0 {
		rules[1] = i18n.T(ctx, "booking.rule.beforeStart")
	}
	return rules
}

// week is a page of free times: the days shown, in words, and the links to the days before and
// after.
type week struct {
	days           []booking.Day
	period         string
	earlier, later string
}

// freeWeek reads the resource's free times of daysShown days from the day in the query's "fran"
// (YYYY-MM-DD, today when absent, never before today nor after the last day one may book). path
// is the page's address, to which the links add their day.
func (s *Server) freeWeek(ctx context.Context, r booking.Resource, path string, q url.Values) (week, error) {
	now := s.bookings.Now()
	today := midnight(now)
	from := today
	if d, err := time.ParseInLocation("2006-01-02", q.Get("fran"), i18n.Stockholm); err == nil && d.After(today) {
		from = d
	}
	last := s.bookings.LastDay(r)
	if from.After(last) {
		from = last
	}
	days, err := s.bookings.FreeTimes(ctx, r, from, daysShown)
	if err != nil {
		return week{}, err
	}
	w := week{days: days, period: i18n.T(ctx, "booking.times.period", bookingDate(ctx, from), bookingDate(ctx, dayAfter(from, daysShown-1)))}
	if from.After(today) {
		w.earlier = path + "?fran=" + dayAfter(from, -daysShown).Format("2006-01-02")
	}
	if next := dayAfter(from, daysShown); !next.After(last) {
		w.later = path + "?fran=" + next.Format("2006-01-02")
	}
	return w, nil
}

// midnight is the start of t's day in Stockholm.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(i18n.Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, i18n.Stockholm)
}

// dayAfter is midnight n calendar days after day, in Stockholm (a day may be 23 or 25 hours).
func dayAfter(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, i18n.Stockholm)
}

// chosenTime reads the time a booking form posted ("tid", RFC 3339); ok is false without one.
func chosenTime(form url.Values) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, form.Get("tid"))
	return t, err == nil
}

// bookingState is what happened to a booking, in words; "" while it stands.
func bookingState(ctx context.Context, b booking.Booking) string {
	switch {
	case b.State == booking.Cancelled && b.CancelledBy == booking.ByStaff:
		return i18n.T(ctx, "booking.state.cancelledByStaff")
	case b.State == booking.Cancelled:
		return i18n.T(ctx, "booking.state.cancelled")
	case b.State == booking.Rebooked:
		return i18n.T(ctx, "booking.state.rebooked")
	}
	return ""
}

// bookingURL is the address of a citizen's booking.
func bookingURL(b booking.Booking) string { return "/mina-sidor/bokningar/" + b.ID.String() }

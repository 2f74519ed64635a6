package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// bookingCalendar is a resource's calendar for its handlers: a week (or a day) of its times, each
// with its bookings and bookers, to cancel a booking with a message or block a time. The read is
// in the audit log.
func (s *Server) bookingCalendar(w http.ResponseWriter, r *http.Request) error {
	flash := ""
	switch r.URL.Query().Get("klart") {
	case "avbokad":
		flash = "booking.staff.cancelled"
	case "blockerad":
		flash = "booking.staff.blocked"
	case "oppnad":
		flash = "booking.staff.opened"
	}
	return s.renderCalendar(w, r, r.URL.Query(), http.StatusOK, flash, "")
}

// calendarResource is the resource the staff address names.
func calendarResource(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "resource"))
	if err != nil {
		return uuid.Nil, apperr.New(apperr.NotFound, "")
	}
	return id, nil
}

// calendarPeriod reads the first day ("dag", YYYY-MM-DD, today when absent) and the view ("dag"
// or "vecka", the default) of a calendar address or form.
func (s *Server) calendarPeriod(q url.Values) (time.Time, bool) {
	day := midnight(s.bookings.Now())
	if d, err := time.ParseInLocation("2006-01-02", q.Get("dag"), i18n.Stockholm); err == nil {
		day = d
	}
	return day, q.Get("vy") != "dag"
}

// calendarURL is the address of the calendar from day, by week or by day, with extra parameters.
func calendarURL(resourceID uuid.UUID, day time.Time, week bool, extra string) string {
	view := "dag"
	if week {
		view = "vecka"
	}
	u := fmt.Sprintf("%s/bokningar/%s?dag=%s&vy=%s", staffPrefix, resourceID, day.Format("2006-01-02"), view)
	if extra != "" {
		u += "&" + extra
	}
	return u
}

// renderCalendar shows the calendar of the period q names, with a message.
func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, q url.Values, status int, flashKey, errKey string) error {
	ctx := r.Context()
	id, err := calendarResource(r)
	if err != nil {
		return err
	}
	day, week := s.calendarPeriod(q)
	days := 1
	if week {
		days = 7
	}
	res, cal, err := s.bookings.Calendar(ctx, staffFrom(ctx), id, day, days)
	if err != nil {
		return err
	}
	lang := string(i18n.FromContext(ctx).Lang)
	v := templates.CalendarView{
		Name: res.Name.In(lang), Place: res.Place.In(lang), Week: week,
		DayURL: calendarURL(id, day, false, ""), WeekURL: calendarURL(id, day, true, ""),
		EarlierURL: calendarURL(id, dayAfter(day, -days), week, ""), LaterURL: calendarURL(id, dayAfter(day, days), week, ""),
		CancelPath: staffPrefix + "/bokningar/" + id.String() + "/avboka",
		BlockPath:  staffPrefix + "/bokningar/" + id.String() + "/blockera",
		Day:        day.Format("2006-01-02"), View: map[bool]string{true: "vecka", false: "dag"}[week],
		Period: bookingDate(ctx, day),
	}
	if week {
		v.Period = i18n.T(ctx, "booking.staff.week", bookingDate(ctx, day), bookingDate(ctx, dayAfter(day, 6)))
	}
	if flashKey != "" {
		v.Flash = i18n.T(ctx, flashKey)
	}
	if errKey != "" {
		v.Error = i18n.T(ctx, errKey)
	}
	for _, d := range cal {
		dv := templates.CalendarDayView{ID: "dag-" + d.Date.Format("2006-01-02"), Label: bookingDate(ctx, d.Date)}
		for _, t := range d.Times {
			dv.Times = append(dv.Times, calendarTime(ctx, t))
		}
		v.Days = append(v.Days, dv)
	}
	p := s.page(r, "booking.staff.heading", "staff")
	p.Title = v.Name + ", " + v.Period
	return s.render(w, r, status, templates.CalendarPage(p, v))
}

// calendarTime is one time of the calendar as the page shows it.
func calendarTime(ctx context.Context, t booking.CalendarTime) templates.CalendarTimeView {
	label := i18n.T(ctx, "booking.times.time", i18n.Clock(t.Start), i18n.Clock(t.End))
	tv := templates.CalendarTimeView{
		ID: "tid-" + t.Start.UTC().Format("20060102T1504"), Label: label, Value: t.Start.UTC().Format(time.RFC3339),
		Blocked: t.Blocked, Status: i18n.T(ctx, "booking.staff.booked", t.Booked, t.Capacity),
	}
	if t.Held > 0 {
		tv.Status += " " + i18n.T(ctx, "booking.staff.held", t.Held)
	}
	if t.Blocked {
		tv.Status += " " + i18n.T(ctx, "booking.staff.isBlocked")
	}
	for _, bk := range t.Bookers {
		name := bk.Name
		if bk.Protected {
			name = i18n.T(ctx, "booking.staff.protected")
		}
		contact := bk.Email
		if bk.Phone != "" {
			if contact != "" {
				contact += ", "
			}
			contact += bk.Phone
		}
		tv.Bookers = append(tv.Bookers, templates.BookerView{ID: bk.BookingID.String(), Name: name, Contact: contact, Label: name + ", " + label})
	}
	return tv
}

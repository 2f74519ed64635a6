package web

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// A booking field on a step's page: the resource, the time held for the draft, and the free
// times of a week by day as radio buttons named after the field, whose values are the times as
// "start/end" (form.BookingValue). The days before and after are links that add "fran" to the
// step's address, as on the booking pages.

// withBookingTimes fills in the booking fields of the step's page v. held says whether the
// draft's holds count (a citizen's draft) or not (the admin's preview, which holds nothing).
func (s *Server) withBookingTimes(ctx context.Context, j journey, v *templates.StepView, path string, q url.Values, held bool) error {
	var holds []booking.Hold
	loaded := false
	for i := range v.Fields {
		fv := &v.Fields[i]
		if fv.Type != string(form.Booking) {
			continue
		}
		if held && !loaded {
			var err error
			if holds, err = s.bookings.Holds(ctx, j.Draft.ID); err != nil {
				return err
			}
			loaded = true
		}
		f, _ := j.Version.Definition.Field(fv.Key)
		b, err := s.bookingFieldView(ctx, j, f, holds, path, q, held)
		if err != nil {
			return err
		}
		if fv.Error != "" {
			b.Lapsed = "" // the error says what became of the time
		}
		fv.Booking = &b
	}
	return nil
}

// bookingFieldView is one booking field of a step.
func (s *Server) bookingFieldView(ctx context.Context, j journey, f form.Field, holds []booking.Hold, path string, q url.Values, held bool) (templates.BookingFieldView, error) {
	lang := string(i18n.FromContext(ctx).Lang)
	var b templates.BookingFieldView
	res, err := s.bookings.ResourceBySlug(ctx, j.EService.TenantID, f.Resource)
	if errors.Is(err, booking.ErrNotFound) {
		b.Resource, b.Unavailable = f.Resource, true
		return b, nil
	}
	if err != nil {
		return b, err
	}
	b.Resource, b.Place, b.Rules = res.Name.In(lang), res.Place.In(lang), bookingRules(ctx, res)
	answer := ""
	if vals := j.Draft.Answers[f.Key]; len(vals) > 0 {
		answer = vals[0]
	}
	start, end, answered := form.ParseBookingValue(answer)
	switch {
	case held && j.Draft.CaseID != nil: // a supplement: the case's booking stands as it is
		if answered {
			b.Booked = bookingWhen(ctx, start, end)
		} else {
			b.Unavailable = true
		}
		return b, nil
	case held && s.citizenID(ctx) == uuid.Nil:
		b.LoginURL = loginPath(path)
		return b, nil
	}
	var hold *booking.Hold
	for i := range holds {
		if holds[i].Field == f.Key {
			hold = &holds[i]
		}
	}
	if hold != nil {
		b.Held = &templates.BookingTimeView{
			ID: f.Key + "-reserverad-tid", Value: form.BookingValue(hold.Start, hold.End), Checked: true,
			Label: bookingWhen(ctx, hold.Start, hold.End),
		}
		b.HeldUntil = heldUntil(ctx, *hold, s.bookings.Now())
	} else if held && answered {
		b.Lapsed = i18n.T(ctx, "booking.field.lapsed", bookingWhen(ctx, start, end))
	}
	w, err := s.freeWeek(ctx, res, path, q)
	if err != nil {
		return b, err
	}
	b.Period, b.EarlierURL, b.LaterURL = w.period, w.earlier, w.later
	for _, d := range w.days {
		dv := templates.BookingDayView{ID: f.Key + "-dag-" + d.Date.Format("2006-01-02"), Label: bookingDate(ctx, d.Date)}
		for _, t := range d.Times {
			if hold != nil && t.Start.Equal(hold.Start) {
				continue // it is the held time, shown above
			}
			value := form.BookingValue(t.Start, t.End)
			tv := templates.BookingTimeView{
				ID: f.Key + "-" + t.Start.UTC().Format("20060102T1504"), Value: value, Checked: hold == nil && value == answer,
				Label: i18n.T(ctx, "booking.times.time", i18n.Clock(t.Start), i18n.Clock(t.End)),
			}
			if t.Capacity > 1 {
				tv.Places = i18n.T(ctx, "booking.times.places", t.Free())
			}
			dv.Times = append(dv.Times, tv)
		}
		if len(dv.Times) > 0 {
			b.Days = append(b.Days, dv)
		}
	}
	return b, nil
}

// heldUntil says until when the time is held for the draft, or that the hold has run out.
func heldUntil(ctx context.Context, h booking.Hold, now time.Time) string {
	if h.Active(now) {
		return i18n.T(ctx, "booking.field.heldUntil", i18n.Clock(h.ExpiresAt))
	}
	return i18n.T(ctx, "booking.field.heldExpired", i18n.Clock(h.ExpiresAt))
}

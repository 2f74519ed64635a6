package i18n

import (
	"context"
	"strings"
	"time"
	_ "time/tzdata" // the image may have no zoneinfo: Europe/Stockholm is embedded
)

// Stockholm is the time zone every time is shown in.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Clock formats a time as the hour and minute in Stockholm, e.g. 14:05.
func Clock(t time.Time) string { return t.In(Stockholm).Format("15:04") }

// DateTime formats a time as date and clock in Stockholm, e.g. 2026-11-22 14:05.
func DateTime(t time.Time) string { return t.In(Stockholm).Format("2006-01-02 15:04") }

// durationUnits are the units a duration is written in, largest first, with their catalogue keys
// (one, other): e.g. "duration.hour.one" is "%d timme", "duration.hour.other" "%d timmar".
var durationUnits = []struct {
	size time.Duration
	key  string
}{
	{24 * time.Hour, "duration.day"},
	{time.Hour, "duration.hour"},
	{time.Minute, "duration.minute"},
	{time.Second, "duration.second"},
}

// Duration writes a duration as a person would, in the printer's language: "20 minuter",
// "1 timme 30 minuter", "8 timmar", "2 dagar"; in English "20 minutes", "1 hour 30 minutes".
// Units that are zero are left out and parts of a second dropped; a duration under a second is
// "0 sekunder".
func (p *Printer) Duration(d time.Duration) string {
	d = d.Abs().Truncate(time.Second)
	var parts []string
	for _, u := range durationUnits {
		n := int64(d / u.size)
		d -= time.Duration(n) * u.size
		if n == 0 {
			continue
		}
		form := ".other"
		if n == 1 {
			form = ".one"
		}
		parts = append(parts, p.T(u.key+form, n))
	}
	if len(parts) == 0 {
		return p.T("duration.second.other", 0)
	}
	return strings.Join(parts, " ")
}

// Duration writes a duration in the language of the request in ctx; see Printer.Duration.
func Duration(ctx context.Context, d time.Duration) string { return FromContext(ctx).Duration(d) }

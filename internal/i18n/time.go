package i18n

import (
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

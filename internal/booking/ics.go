package booking

import (
	"strings"
	"time"
)

// ICS is the booking as a calendar file (RFC 5545) with one event, in lang ("sv" or "en"; the
// resource's texts fall back to Swedish). Times are in UTC, which every calendar shows in its own
// zone. A cancelled booking is a cancelled event, so that a calendar that imported it can drop it.
func (b Booking) ICS(lang, product string, now time.Time) []byte {
	const stamp = "20060102T150405Z"
	var sb strings.Builder
	line := func(s string) { sb.WriteString(fold(s) + "\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Mina sidor//" + escapeText(product) + "//" + strings.ToUpper(lang))
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("BEGIN:VEVENT")
	line("UID:" + b.ID.String() + "@minasidor")
	line("DTSTAMP:" + now.UTC().Format(stamp))
	line("DTSTART:" + b.Start.UTC().Format(stamp))
	line("DTEND:" + b.End.UTC().Format(stamp))
	line("SUMMARY:" + escapeText(b.Name.In(lang)))
	if place := b.Place.In(lang); place != "" {
		line("LOCATION:" + escapeText(place))
	}
	line("DESCRIPTION:" + escapeText(b.Municipality))
	if b.State == Booked {
		line("STATUS:CONFIRMED")
	} else {
		line("STATUS:CANCELLED")
	}
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(sb.String())
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line breaks.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold breaks a content line longer than 75 octets into lines that continue with a space,
// without splitting a UTF-8 character.
func fold(s string) string {
	if len(s) <= 75 {
		return s
	}
	var sb strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			sb.WriteString("\r\n ")
			n = 1
		}
		sb.WriteRune(r)
		n += size
	}
	return sb.String()
}

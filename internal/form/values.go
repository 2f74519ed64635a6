package form

import (
	"errors"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the image may have no zoneinfo: Europe/Stockholm is embedded
	"unicode"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// This file parses and canonicalizes single answer values: numbers, dates and date limits,
// e-mail addresses, phone numbers, organisation numbers and postal codes.

// stockholm is the time zone of date rules ("today").
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// hasControl reports whether s is not valid UTF-8 or holds control characters; multiline allows
// line feeds, carriage returns and tabs.
func hasControl(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// numberPattern is a decimal number as people type it, after spaces are removed: an optional
// sign, digits, and an optional decimal comma or point with digits.
var numberPattern = regexp.MustCompile(`^([+-]?)([0-9]*)(?:[.,]([0-9]+))?$`)

// maxNumberLength bounds the digits of a number answer.
const maxNumberLength = 40

// parseNumber returns the canonical form of a number answer ("1 000,50" -> "1000.50",
// "-,5" -> "-0.5", "007" -> "7", "-0" -> "0"): a point as decimal separator, no grouping spaces,
// no plus sign, no leading zeros; the decimals are kept as typed.
func parseNumber(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009': // spaces, no-break and thin spaces that group digits
			return -1
		case '\u2212': // minus sign
			return '-'
		}
		return r
	}, s)
	if len(s) > maxNumberLength {
		return "", false
	}
	m := numberPattern.FindStringSubmatch(s)
	if m == nil || (m[2] == "" && m[3] == "") {
		return "", false
	}
	whole := strings.TrimLeft(m[2], "0")
	if whole == "" {
		whole = "0"
	}
	out := whole
	if m[3] != "" {
		out += "." + m[3]
	}
	if m[1] == "-" && strings.Trim(whole+m[3], "0") != "" {
		out = "-" + out
	}
	return out, true
}

// numberValue returns the value of a canonical number.
func numberValue(canonical string) float64 {
	v, _ := strconv.ParseFloat(canonical, 64)
	return v
}

// datePattern is the syntax of a date answer.
var datePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// parseDate parses a calendar date YYYY-MM-DD (year 0001 or later) at midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if !datePattern.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1 {
		return time.Time{}, false
	}
	return t, true
}

// dateLimit is a minDate or maxDate rule: a fixed date, or a number of days from today.
type dateLimit struct {
	relative bool
	days     int       // relative
	date     time.Time // fixed, at midnight UTC
}

var relativeDate = regexp.MustCompile(`^today(?:([+-])([0-9]{1,5}))?$`)

func parseDateLimit(s string) (dateLimit, error) {
	if m := relativeDate.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		if m[1] == "-" {
			n = -n
		}
		return dateLimit{relative: true, days: n}, nil
	}
	if t, ok := parseDate(s); ok {
		return dateLimit{date: t}, nil
	}
	return dateLimit{}, errors.New("form: bad date limit")
}

// after reports whether l lies after m for sure: both fixed or both relative.
func (l dateLimit) after(m dateLimit) bool {
	switch {
	case l.relative && m.relative:
		return l.days > m.days
	case !l.relative && !m.relative:
		return l.date.After(m.date)
	}
	return false
}

// on returns the limit's date given today (midnight UTC of the calendar date in Stockholm).
func (l dateLimit) on(today time.Time) time.Time {
	if l.relative {
		return today.AddDate(0, 0, l.days)
	}
	return l.date
}

// today returns now's calendar date in Stockholm, at midnight UTC, comparable with parseDate.
func today(now time.Time) time.Time {
	y, m, d := now.In(stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ValidEmail reports whether s is a plain e-mail address: no display name or comments, a domain
// with a dot, at most 254 bytes.
func ValidEmail(s string) bool {
	if len(s) > 254 || hasControl(s, false) {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.HasPrefix(domain, ".")
}

// e164 is an international phone number.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// normalizePhone turns a Swedish or international number as people type it (070-123 45 67,
// +46 (0)70 123 45 67, 0046701234567) into E.164 (+46701234567). The same rules as
// account.NormalizePhone, except that the result never starts with +460, so normalizing is
// idempotent.
func normalizePhone(s string) (string, bool) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '.', '/', '\u00a0', '\u202f', '\u2009':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(clean, "00"):
		clean = "+" + clean[2:]
	case strings.HasPrefix(clean, "0"):
		clean = "+46" + clean[1:]
	}
	if strings.HasPrefix(clean, "+460") { // +46 (0)70...: the trunk zero is not dialled from abroad
		clean = "+46" + clean[4:]
	}
	if strings.HasPrefix(clean, "+460") || !e164.MatchString(clean) {
		return "", false
	}
	return clean, true
}

// orgNumberPattern is an organisation number: NNNNNN-NNNN or NNNNNNNNNN, optionally with the
// prefix 16 that the twelve-digit form has.
var orgNumberPattern = regexp.MustCompile(`^(?:16)?([0-9]{6})-?([0-9]{4})$`)

// parseOrgNumber returns the ten digits of an organisation number, and the catalogue key of the
// problem when it is not valid: the format, or (for the right format) the check digit or the
// third digit, which is 2 or more for a legal person.
func parseOrgNumber(s string) (string, string) {
	m := orgNumberPattern.FindStringSubmatch(s)
	if m == nil {
		return "", KeyOrgNumber
	}
	digits := m[1] + m[2]
	if digits[2] < '2' {
		return "", KeyOrgNumber
	}
	if personnummer.Luhn(digits[:9]) != int(digits[9]-'0') {
		return "", KeyOrgNumberCheck
	}
	return digits, ""
}

var postalCodePattern = regexp.MustCompile(`^([1-9][0-9]{2}) ?([0-9]{2})$`)

// parsePostalCode returns a Swedish postal code as "NNN NN".
func parsePostalCode(s string) (string, bool) {
	m := postalCodePattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + " " + m[2], true
}

// compilePattern compiles a pattern rule anchored to match the whole answer. The pattern is
// compiled alone first, so that one with unbalanced parentheses cannot escape the anchors.
func compilePattern(p string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(p); err != nil {
		return nil, err
	}
	return regexp.Compile(`\A(?:` + p + `)\z`)
}

// Package personnummer parses and validates Swedish personal identity numbers (personnummer) and
// coordination numbers (samordningsnummer, whose day of birth is increased by 60).
//
// A Number always holds a valid number in its canonical form of 12 digits, YYYYMMDDNNNC. Logging
// a Number with log/slog never reveals it; fmt and String do, because String is the form that is
// stored and sent to identity providers.
package personnummer

import (
	"database/sql/driver"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/minasidor/minasidor/internal/apperr"
)

// The errors of Parse, all of kind apperr.Invalid. They never carry the input, which is
// personal data.
var (
	// ErrFormat: not 10 or 12 digits in one of the accepted layouts.
	ErrFormat = apperr.New(apperr.Invalid, "error.pnr.format")
	// ErrDate: the digits do not name a real calendar date.
	ErrDate = apperr.New(apperr.Invalid, "error.pnr.date")
	// ErrCheckDigit: the last digit is not the Luhn check digit of the others.
	ErrCheckDigit = apperr.New(apperr.Invalid, "error.pnr.checkdigit")
	// ErrFuture: the date of birth lies after today.
	ErrFuture = apperr.New(apperr.Invalid, "error.pnr.future")
)

// coordinationOffset is added to the day of birth in a coordination number.
const coordinationOffset = 60

// Number is a valid Swedish personal identity number or coordination number. The zero value is
// "no number"; every other value was produced by Parse and is valid. Numbers compare with ==.
type Number struct {
	digits string // canonical YYYYMMDDNNNC
}

// Parse parses s as of the current time; see ParseAt.
func Parse(s string) (Number, error) { return ParseAt(s, time.Now()) }

// MustParse is Parse that panics on an invalid number; for fixtures and tests.
func MustParse(s string) Number {
	n, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("personnummer: MustParse: %v", err))
	}
	return n
}

// ParseAt parses s, ignoring surrounding white space. Accepted layouts:
//
//	YYYYMMDDNNNC  YYYYMMDD-NNNC  YYYYMMDD+NNNC   (century explicit; the sign is ignored)
//	YYMMDDNNNC    YYMMDD-NNNC    YYMMDD+NNNC
//
// In the 10-digit layouts the century is resolved against now as the Tax Agency writes them: the
// year is the latest one ending in YY that is not after now's year, and a '+' (used from the year
// a person turns 100) moves it back a further 100 years. The date must be real (for coordination
// numbers after subtracting 60 from the day), the check digit must match, and the date of birth
// must not be after now's calendar date.
func ParseAt(s string, now time.Time) (Number, error) {
	s = strings.TrimSpace(s)
	var date, serial string
	plus := false
	switch len(s) {
	case 12:
		date, serial = s[:8], s[8:]
	case 10:
		date, serial = s[:6], s[6:]
	case 13, 11:
		sep := len(s) - 5
		if s[sep] != '-' && s[sep] != '+' {
			return Number{}, ErrFormat
		}
		plus = s[sep] == '+'
		date, serial = s[:sep], s[sep+1:]
	default:
		return Number{}, ErrFormat
	}
	if !allDigits(date) || !allDigits(serial) {
		return Number{}, ErrFormat
	}
	if len(date) == 6 {
		yy := atoi(date[:2])
		year := now.Year() - mod(now.Year()-yy, 100)
		if plus {
			year -= 100
		}
		if year < 0 || year > 9999 {
			return Number{}, ErrDate
		}
		date = fmt.Sprintf("%04d", year) + date[2:]
	}
	n := Number{digits: date + serial}
	if err := n.check(); err != nil {
		return Number{}, err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if n.BirthDate().After(today) {
		return Number{}, ErrFuture
	}
	return n, nil
}

// check validates the date and check digit of the canonical digits.
func (n Number) check() error {
	year, month, day := atoi(n.digits[:4]), atoi(n.digits[4:6]), atoi(n.digits[6:8])
	if day > coordinationOffset {
		day -= coordinationOffset
	}
	if month < 1 || month > 12 || day < 1 {
		return ErrDate
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return ErrDate
	}
	if Luhn(n.digits[2:11]) != int(n.digits[11]-'0') {
		return ErrCheckDigit
	}
	return nil
}

// Luhn returns the Luhn (mod 10) check digit for digits: from the right, every other digit,
// starting with the last, is doubled, and the digit sums are added up. For a personal identity
// number pass the nine digits YYMMDDNNN; for an organisation number its first nine digits. It
// returns -1 if digits contains anything other than ASCII digits.
func Luhn(digits string) int {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return -1
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

// IsZero reports whether n is the zero Number.
func (n Number) IsZero() bool { return n.digits == "" }

// String returns the canonical 12 digits YYYYMMDDNNNC, the form for storage and SAML; "" for the
// zero Number.
func (n Number) String() string { return n.digits }

// Formatted returns YYYYMMDD-NNNC for display; "" for the zero Number.
func (n Number) Formatted() string {
	if n.IsZero() {
		return ""
	}
	return n.digits[:8] + "-" + n.digits[8:]
}

// Masked returns YYYYMMDD-**** for places where the number must be partly hidden; "" for the zero
// Number.
func (n Number) Masked() string {
	if n.IsZero() {
		return ""
	}
	return n.digits[:8] + "-****"
}

// IsCoordination reports whether n is a coordination number (samordningsnummer).
func (n Number) IsCoordination() bool {
	return !n.IsZero() && atoi(n.digits[6:8]) > coordinationOffset
}

// BirthDate returns the date of birth at midnight UTC (for a coordination number the day minus
// 60); the zero time for the zero Number.
func (n Number) BirthDate() time.Time {
	if n.IsZero() {
		return time.Time{}
	}
	day := atoi(n.digits[6:8])
	if day > coordinationOffset {
		day -= coordinationOffset
	}
	return time.Date(atoi(n.digits[:4]), time.Month(atoi(n.digits[4:6])), day, 0, 0, 0, 0, time.UTC)
}

// Age returns the number of whole years from the date of birth to now's calendar date. Someone
// born on 29 February becomes a year older on 1 March in years without a leap day.
func (n Number) Age(now time.Time) int {
	b := n.BirthDate()
	age := now.Year() - b.Year()
	if now.Month() < b.Month() || (now.Month() == b.Month() && now.Day() < b.Day()) {
		age--
	}
	return age
}

// LogValue implements slog.LogValuer: a logged Number shows only a redaction marker.
func (n Number) LogValue() slog.Value {
	if n.IsZero() {
		return slog.StringValue("")
	}
	return slog.StringValue("[redacted]")
}

// Value implements driver.Valuer: the canonical 12 digits, or NULL for the zero Number.
func (n Number) Value() (driver.Value, error) {
	if n.IsZero() {
		return nil, nil
	}
	return n.digits, nil
}

// Scan implements sql.Scanner for a column holding the canonical 12 digits; NULL scans as the
// zero Number. The date and check digit are verified; the date is not compared with today.
func (n *Number) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*n = Number{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("personnummer: cannot scan %T", src)
	}
	if len(s) != 12 || !allDigits(s) {
		return ErrFormat
	}
	m := Number{digits: s}
	if err := m.check(); err != nil {
		return err
	}
	*n = m
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a short string of ASCII digits.
func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func mod(a, b int) int { return ((a % b) + b) % b }

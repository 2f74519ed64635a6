// Package organisation holds the companies and associations a citizen may act for. Companies
// come from the companies register (Register: a client of the register's service, or the
// development register), where a person is an authorised signatory (firmatecknare) or not;
// associations are declared by their representative and, where an e-service requires it,
// checked by a caseworker.
package organisation

import (
	"context"
	"fmt"
	"regexp"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// Kinds of organisation.
const (
	Company     = "company"
	Association = "association"
)

// Organisation is a company or an association a citizen may act for.
type Organisation struct {
	Kind   string
	Number string // the organisation number, 10 digits
	Name   string
	// Signatories are a company's authorised signatories (firmatecknare), from the register.
	Signatories []Signatory
	// Jointly is how many of the signatories must sign together (firmateckning i förening); 1:
	// each alone.
	Jointly int
	// Confirmed, Refused: a caseworker checked an association's declared representative, and
	// confirmed or refused the representation.
	Confirmed, Refused bool
}

// Signatory is an authorised signatory of a company.
type Signatory struct {
	PersonalNumber personnummer.Number
	Name           string
}

// Formatted is the organisation number as people write it: NNNNNN-NNNN.
func (o Organisation) Formatted() string { return FormatNumber(o.Number) }

// HasSignatory reports whether the person is one of the company's authorised signatories.
func (o Organisation) HasSignatory(n personnummer.Number) bool {
	for _, s := range o.Signatories {
		if s.PersonalNumber == n {
			return true
		}
	}
	return false
}

// Errors.
var (
	// ErrNotFound: the register has no company with the number.
	ErrNotFound = apperr.New(apperr.NotFound, "error.organisation.notFound")
	// ErrUnavailable: the register cannot be reached or gives no usable answer; match with errors.Is.
	ErrUnavailable = apperr.New(apperr.Unavailable, "error.organisation.unavailable")
)

func unavailable(cause error) error {
	return apperr.Wrap(ErrUnavailable.Kind, ErrUnavailable.Key, cause)
}

// Register is the companies register.
type Register interface {
	// Company returns the company with the organisation number (10 digits), with its
	// signatories, ErrNotFound, or an error matching ErrUnavailable.
	Company(ctx context.Context, number string) (Organisation, error)
	// SignatoryOf returns the companies whose authorised signatory the person is.
	SignatoryOf(ctx context.Context, pnr personnummer.Number) ([]Organisation, error)
}

var numberPattern = regexp.MustCompile(`^([0-9]{6})-?([0-9]{4})$`)

// ParseNumber returns an organisation number as 10 digits: six digits, an optional hyphen and
// four, the third digit 2 or more (not a personal identity number), with a valid check digit.
func ParseNumber(s string) (string, error) {
	m := numberPattern.FindStringSubmatch(s)
	if m == nil {
		return "", fmt.Errorf("organisation: %q is not an organisation number", s)
	}
	digits := m[1] + m[2]
	if digits[2] < '2' || personnummer.Luhn(digits[:9]) != int(digits[9]-'0') {
		return "", fmt.Errorf("organisation: %q is not a valid organisation number", s)
	}
	return digits, nil
}

// FormatNumber writes 10 digits as NNNNNN-NNNN.
func FormatNumber(n string) string {
	if len(n) != 10 {
		return n
	}
	return n[:6] + "-" + n[6:]
}

package organisation

import (
	"context"
	"slices"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// The development register's test persons, the same as the population register's.
var (
	lars  = Signatory{PersonalNumber: personnummer.MustParse("19680930-9898"), Name: "Lars Eriksson"}
	karin = Signatory{PersonalNumber: personnummer.MustParse("19850412-9829"), Name: "Karin Lindqvist"}
)

// TestCompanies are the fictional companies of the development register: Exempel Bygg AB, which
// Lars Eriksson signs for alone, and Exempel Fastigheter AB, which Lars Eriksson and Karin
// Lindqvist sign for jointly.
var TestCompanies = []Organisation{
	{Kind: Company, Number: "5599000121", Name: "Exempel Bygg AB", Signatories: []Signatory{lars}, Jointly: 1},
	{Kind: Company, Number: "5599000139", Name: "Exempel Fastigheter AB", Signatories: []Signatory{lars, karin}, Jointly: 2},
}

// Dev is a Register for development and tests that knows the TestCompanies.
type Dev struct{}

var _ Register = Dev{}

// NewDev returns the development register.
func NewDev() Dev { return Dev{} }

// Company returns a copy of the test company with the number, or ErrNotFound.
func (Dev) Company(ctx context.Context, number string) (Organisation, error) {
	if err := ctx.Err(); err != nil {
		return Organisation{}, unavailable(err)
	}
	for _, c := range TestCompanies {
		if c.Number == number {
			c.Signatories = slices.Clone(c.Signatories)
			return c, nil
		}
	}
	return Organisation{}, ErrNotFound
}

// SignatoryOf returns copies of the test companies the person signs for.
func (d Dev) SignatoryOf(ctx context.Context, pnr personnummer.Number) ([]Organisation, error) {
	if err := ctx.Err(); err != nil {
		return nil, unavailable(err)
	}
	var out []Organisation
	for _, c := range TestCompanies {
		if c.HasSignatory(pnr) {
			c.Signatories = slices.Clone(c.Signatories)
			out = append(out, c)
		}
	}
	return out, nil
}

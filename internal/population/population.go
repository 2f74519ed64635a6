// Package population looks people up in the population register (folkbokföringen): name,
// address and whether the person has a protected identity. It is used at a citizen's first login
// to fetch their address.
//
// A person with a protected identity (skyddad folkbokföring or sekretessmarkering) has no address
// here: the register does not give one out, and the rest of the system must never store or show
// one for them.
package population

import (
	"context"
	"slices"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/personnummer"
)

var (
	// ErrNotFound is returned when the register has no person with the number, as for holders
	// of coordination numbers who are not registered in Sweden.
	ErrNotFound = apperr.New(apperr.NotFound, "error.population.notfound")
	// ErrUnavailable is returned, wrapping the cause, when the register cannot be reached or
	// gives no usable answer. Match it with errors.Is.
	ErrUnavailable = apperr.New(apperr.Unavailable, "error.population.unavailable")
)

// unavailable wraps a cause in an error that matches ErrUnavailable. The cause must not contain
// the personal number.
func unavailable(cause error) error {
	return apperr.Wrap(ErrUnavailable.Kind, ErrUnavailable.Key, cause)
}

// Register looks up a person in the population register.
type Register interface {
	// Lookup returns the person with the number, ErrNotFound, or an error matching
	// ErrUnavailable. A returned Person with Protected set has a nil Address.
	Lookup(ctx context.Context, pnr personnummer.Number) (Person, error)
}

// Person is what the register holds about one person.
type Person struct {
	PersonalNumber personnummer.Number
	GivenName      string
	Surname        string
	// Protected is set for skyddad folkbokföring and sekretessmarkering. Then Address is nil,
	// and no address may be stored or shown for the person.
	Protected bool
	// Address is the registered address; nil when none is registered or Protected is set.
	Address *Address
	// Guardians are the child's guardians (vårdnadshavare) from the register's custody data;
	// empty for an adult and for a child whose custody the register does not give.
	Guardians []personnummer.Number
}

// Address is a registered postal address.
type Address struct {
	Street     string // e.g. "Kungsgatan 12"
	CareOf     string // c/o line, often empty
	PostalCode string // written form "NNN NN", e.g. "441 30"
	City       string // postort, e.g. "Alingsås" (registers often give it in capitals)
}

// FullName returns the given name and surname.
func (p Person) FullName() string {
	switch {
	case p.GivenName == "":
		return p.Surname
	case p.Surname == "":
		return p.GivenName
	}
	return p.GivenName + " " + p.Surname
}

// safe returns a copy of p that shares no memory with it and keeps the protection rule: no
// address for a protected person, and no address that is entirely empty.
func (p Person) safe() Person {
	p.Guardians = slices.Clone(p.Guardians)
	if p.Protected || p.Address == nil || *p.Address == (Address{}) {
		p.Address = nil
		return p
	}
	a := *p.Address
	p.Address = &a
	return p
}

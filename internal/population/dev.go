package population

import (
	"context"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// TestPerson is a fictional person for development and tests: the development IdP offers the
// selectable ones on its picker page, and Dev answers lookups for those in the register. The
// personal numbers are made up for this project (serials 98x, check digits computed), not taken
// from real people.
type TestPerson struct {
	Key         string // stable id, e.g. "adult"
	Description string // Swedish text for the picker page
	Person      Person // as the register holds them (also used for the IdP's name attributes)
	DateOfBirth string // YYYY-MM-DD, the real date (also for a coordination number)
	Selectable  bool   // may log in through the development IdP; false for the child
	InRegister  bool   // present in the population register; false for the coordination holder

	// For an authorised signatory (firmatecknare): the company, with its 10-digit organisation
	// number.
	OrganisationNumber string
	OrganisationName   string

	// For a guardian (vårdnadshavare): the child.
	ChildPersonalNumber personnummer.Number
	ChildName           string
}

// The test persons' numbers, shared by the guardians' records and the child's.
var (
	childNumber     = personnummer.MustParse("20160514-9820")
	guardian1Number = personnummer.MustParse("19821103-9873")
	guardian2Number = personnummer.MustParse("19840229-9880")
)

// TestPersons are the fictional people of the development register and IdP.
var TestPersons = []TestPerson{
	{
		Key:         "adult",
		Description: "Vuxen person med folkbokföringsadress i Alingsås",
		Person: Person{
			PersonalNumber: personnummer.MustParse("19850412-9829"),
			GivenName:      "Karin",
			Surname:        "Lindqvist",
			Address:        &Address{Street: "Kungsgatan 12", PostalCode: "441 30", City: "Alingsås"},
		},
		DateOfBirth: "1985-04-12",
		Selectable:  true,
		InRegister:  true,
	},
	{
		Key:         "protected",
		Description: "Person med skyddade personuppgifter – ingen adress lämnas ut",
		Person: Person{
			PersonalNumber: personnummer.MustParse("19900723-9842"),
			GivenName:      "Sara",
			Surname:        "Nyström",
			Protected:      true,
		},
		DateOfBirth: "1990-07-23",
		Selectable:  true,
		InRegister:  true,
	},
	{
		Key:         "guardian1",
		Description: "Vårdnadshavare till Elsa Bergström (den ena av två), Motala",
		Person: Person{
			PersonalNumber: guardian1Number,
			GivenName:      "Johan",
			Surname:        "Bergström",
			Address:        &Address{Street: "Drottninggatan 21", PostalCode: "591 35", City: "Motala"},
		},
		DateOfBirth:         "1982-11-03",
		Selectable:          true,
		InRegister:          true,
		ChildPersonalNumber: childNumber,
		ChildName:           "Elsa Bergström",
	},
	{
		Key:         "guardian2",
		Description: "Vårdnadshavare till Elsa Bergström (den andra av två, född på skottdagen), Motala",
		Person: Person{
			PersonalNumber: guardian2Number,
			GivenName:      "Emma",
			Surname:        "Bergström",
			Address:        &Address{Street: "Drottninggatan 21", PostalCode: "591 35", City: "Motala"},
		},
		DateOfBirth:         "1984-02-29",
		Selectable:          true,
		InRegister:          true,
		ChildPersonalNumber: childNumber,
		ChildName:           "Elsa Bergström",
	},
	{
		Key:         "child",
		Description: "Barn (född 2016) till Johan och Emma Bergström – kan inte logga in",
		Person: Person{
			PersonalNumber: childNumber,
			GivenName:      "Elsa",
			Surname:        "Bergström",
			Address:        &Address{Street: "Drottninggatan 21", PostalCode: "591 35", City: "Motala"},
			Guardians:      []personnummer.Number{guardian1Number, guardian2Number},
		},
		DateOfBirth: "2016-05-14",
		Selectable:  false,
		InRegister:  true,
	},
	{
		Key:         "signatory",
		Description: "Firmatecknare för Exempel Bygg AB, Alingsås",
		Person: Person{
			PersonalNumber: personnummer.MustParse("19680930-9898"),
			GivenName:      "Lars",
			Surname:        "Eriksson",
			Address:        &Address{Street: "Säterigatan 3 B", PostalCode: "441 33", City: "Alingsås"},
		},
		DateOfBirth:        "1968-09-30",
		Selectable:         true,
		InRegister:         true,
		OrganisationNumber: "5599000121",
		OrganisationName:   "Exempel Bygg AB",
	},
	{
		Key:         "noaddress",
		Description: "Person utan registrerad adress",
		Person: Person{
			PersonalNumber: personnummer.MustParse("19950117-9833"),
			GivenName:      "Ali",
			Surname:        "Hassan",
		},
		DateOfBirth: "1995-01-17",
		Selectable:  true,
		InRegister:  true,
	},
	{
		Key:         "coordination",
		Description: "Person med samordningsnummer – finns inte i folkbokföringen",
		Person: Person{
			PersonalNumber: personnummer.MustParse("19790865-9852"),
			GivenName:      "Tomasz",
			Surname:        "Nowak",
		},
		DateOfBirth: "1979-08-05",
		Selectable:  true,
		InRegister:  false,
	},
}

// FindTestPerson returns the test person with the key.
func FindTestPerson(key string) (TestPerson, bool) {
	for _, tp := range TestPersons {
		if tp.Key == key {
			return tp, true
		}
	}
	return TestPerson{}, false
}

// Dev is a Register for development and tests that knows the TestPersons in the register.
type Dev struct {
	people map[personnummer.Number]Person
}

var _ Register = (*Dev)(nil)

// NewDev returns a register holding a copy of the TestPersons whose InRegister is set.
func NewDev() *Dev {
	d := &Dev{people: make(map[personnummer.Number]Person)}
	for _, tp := range TestPersons {
		if tp.InRegister {
			d.people[tp.Person.PersonalNumber] = tp.Person.safe()
		}
	}
	return d
}

// Lookup returns a copy of the person with the number, or ErrNotFound.
func (d *Dev) Lookup(ctx context.Context, pnr personnummer.Number) (Person, error) {
	if err := ctx.Err(); err != nil {
		return Person{}, unavailable(err)
	}
	p, ok := d.people[pnr]
	if !ok {
		return Person{}, ErrNotFound
	}
	return p.safe(), nil
}

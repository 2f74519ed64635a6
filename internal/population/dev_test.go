package population

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/personnummer"
)

func TestTestPersons(t *testing.T) {
	keys := map[string]bool{}
	numbers := map[personnummer.Number]bool{}
	for _, tp := range TestPersons {
		t.Run(tp.Key, func(t *testing.T) {
			if keys[tp.Key] {
				t.Errorf("duplicate key")
			}
			keys[tp.Key] = true
			pnr := tp.Person.PersonalNumber
			if numbers[pnr] {
				t.Errorf("duplicate personal number")
			}
			numbers[pnr] = true
			again, err := personnummer.Parse(pnr.String())
			if err != nil || again != pnr {
				t.Errorf("personal number does not parse again: %v", err)
			}
			if got := pnr.BirthDate().Format(time.DateOnly); got != tp.DateOfBirth {
				t.Errorf("DateOfBirth = %s, number says %s", tp.DateOfBirth, got)
			}
			if tp.Description == "" || tp.Person.GivenName == "" || tp.Person.Surname == "" {
				t.Errorf("missing description or name")
			}
			if tp.Person.Protected && tp.Person.Address != nil {
				t.Errorf("protected person has an address")
			}
			if a := tp.Person.Address; a != nil {
				if a.Street == "" || a.City == "" || len(a.PostalCode) != 6 || a.PostalCode[3] != ' ' {
					t.Errorf("incomplete address %+v", *a)
				}
			}
			adult := pnr.Age(time.Now()) >= 18
			if tp.Selectable != adult {
				t.Errorf("Selectable = %v but adult = %v", tp.Selectable, adult)
			}
			if tp.OrganisationNumber != "" {
				checkOrganisationNumber(t, tp.OrganisationNumber)
			}
			if !tp.ChildPersonalNumber.IsZero() {
				child, ok := findByNumber(tp.ChildPersonalNumber)
				if !ok || child.Person.FullName() != tp.ChildName {
					t.Errorf("child %q is not a test person", tp.ChildName)
				}
			}
		})
	}
	for _, key := range []string{"adult", "protected", "guardian1", "guardian2", "child", "signatory", "noaddress", "coordination"} {
		if !keys[key] {
			t.Errorf("no test person %q", key)
		}
	}
}

func checkOrganisationNumber(t *testing.T, n string) {
	t.Helper()
	if len(n) != 10 || n[2] < '2' || personnummer.Luhn(n[:9]) != int(n[9]-'0') {
		t.Errorf("invalid organisation number %s", n)
	}
}

func findByNumber(n personnummer.Number) (TestPerson, bool) {
	for _, tp := range TestPersons {
		if tp.Person.PersonalNumber == n {
			return tp, true
		}
	}
	return TestPerson{}, false
}

func TestDevLookup(t *testing.T) {
	dev := NewDev()
	ctx := context.Background()
	get := func(key string) TestPerson {
		tp, ok := FindTestPerson(key)
		if !ok {
			t.Fatalf("no test person %q", key)
		}
		return tp
	}

	for _, tp := range TestPersons {
		t.Run(tp.Key, func(t *testing.T) {
			got, err := dev.Lookup(ctx, tp.Person.PersonalNumber)
			if !tp.InRegister {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("Lookup = %+v, %v; want ErrNotFound", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tp.Person, got, cmp.AllowUnexported(personnummer.Number{})); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("coordination holder is not in the register", func(t *testing.T) {
		tp := get("coordination")
		if !tp.Person.PersonalNumber.IsCoordination() {
			t.Fatal("not a coordination number")
		}
		if _, err := dev.Lookup(ctx, tp.Person.PersonalNumber); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("protected person has no address", func(t *testing.T) {
		p, err := dev.Lookup(ctx, get("protected").Person.PersonalNumber)
		if err != nil || !p.Protected || p.Address != nil {
			t.Errorf("Lookup = %+v, %v", p, err)
		}
	})
	t.Run("no address and not protected", func(t *testing.T) {
		p, err := dev.Lookup(ctx, get("noaddress").Person.PersonalNumber)
		if err != nil || p.Protected || p.Address != nil {
			t.Errorf("Lookup = %+v, %v", p, err)
		}
	})
	t.Run("guardians share the child's address", func(t *testing.T) {
		g1, g2, child := get("guardian1"), get("guardian2"), get("child")
		if g1.ChildPersonalNumber != child.Person.PersonalNumber || g2.ChildPersonalNumber != child.Person.PersonalNumber {
			t.Fatal("guardians name another child")
		}
		var addrs []Address
		for _, tp := range []TestPerson{g1, g2, child} {
			p, err := dev.Lookup(ctx, tp.Person.PersonalNumber)
			if err != nil || p.Address == nil {
				t.Fatalf("Lookup(%s) = %+v, %v", tp.Key, p, err)
			}
			addrs = append(addrs, *p.Address)
		}
		if diff := cmp.Diff([]Address{addrs[0], addrs[0], addrs[0]}, addrs); diff != "" {
			t.Error(diff)
		}
		if child.Selectable || child.Person.PersonalNumber.Age(time.Now()) >= 18 {
			t.Error("the child is selectable or not a minor")
		}
	})
	t.Run("signatory has a company", func(t *testing.T) {
		tp := get("signatory")
		if tp.OrganisationName != "Exempel Bygg AB" {
			t.Errorf("organisation %q", tp.OrganisationName)
		}
		checkOrganisationNumber(t, tp.OrganisationNumber)
	})
	t.Run("unknown number", func(t *testing.T) {
		if _, err := dev.Lookup(ctx, personnummer.MustParse("19811218-9876")); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("result is a copy", func(t *testing.T) {
		pnr := get("adult").Person.PersonalNumber
		p, err := dev.Lookup(ctx, pnr)
		if err != nil {
			t.Fatal(err)
		}
		p.Address.Street = "Ändrad"
		again, err := dev.Lookup(ctx, pnr)
		if err != nil {
			t.Fatal(err)
		}
		if again.Address.Street == "Ändrad" || get("adult").Person.Address.Street == "Ändrad" {
			t.Error("Lookup shares the address with its caller")
		}
	})
	t.Run("canceled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := dev.Lookup(cctx, get("adult").Person.PersonalNumber); !errors.Is(err, ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFullName(t *testing.T) {
	for _, tt := range []struct{ given, sur, want string }{
		{"Karin", "Lindqvist", "Karin Lindqvist"}, {"", "Lindqvist", "Lindqvist"}, {"Karin", "", "Karin"}, {"", "", ""},
	} {
		if got := (Person{GivenName: tt.given, Surname: tt.sur}).FullName(); got != tt.want {
			t.Errorf("FullName(%q, %q) = %q", tt.given, tt.sur, got)
		}
	}
}

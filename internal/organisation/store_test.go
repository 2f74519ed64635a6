package organisation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// register is a companies register whose signatories a test changes.
type register struct{ companies []organisation.Organisation }

func (r *register) Company(_ context.Context, number string) (organisation.Organisation, error) {
	for _, c := range r.companies {
		if c.Number == number {
			return c, nil
		}
	}
	return organisation.Organisation{}, organisation.ErrNotFound
}

func (r *register) SignatoryOf(_ context.Context, p personnummer.Number) ([]organisation.Organisation, error) {
	var out []organisation.Organisation
	for _, c := range r.companies {
		if c.HasSignatory(p) {
			out = append(out, c)
		}
	}
	return out, nil
}

// A signatory acts for the company and sees its cases; once the register no longer names them,
// they can neither act for it nor see its cases. An association is whoever declared it.
func TestActingAndLosingTheRight(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	var account uuid.UUID
	if err := pool.QueryRow(ctx, `INSERT INTO account (personal_number, display_name) VALUES ($1, 'Lars Eriksson') RETURNING id`, lars).Scan(&account); err != nil {
		t.Fatal(err)
	}
	reg := &register{companies: []organisation.Organisation{{Kind: organisation.Company, Number: "5599000121", Name: "Exempel Bygg AB",
		Jointly: 1, Signatories: []organisation.Signatory{{PersonalNumber: lars, Name: "Lars Eriksson"}}}}}
	s := organisation.NewStore(pool, reg)

	c, err := s.ChoicesOf(ctx, account)
	if err != nil || len(c.Companies) != 1 {
		t.Fatalf("choices %+v, %v", c, err)
	}
	if _, err := s.Act(ctx, account, organisation.Company, "559900-0121"); err != nil {
		t.Fatalf("act: %v", err)
	}
	if _, err := s.ForRepresentative(ctx, account, organisation.Company, "5599000121"); err != nil {
		t.Fatalf("cases: %v", err)
	}

	reg.companies[0].Signatories = nil // Lars is no longer a signatory
	if _, err := s.Act(ctx, account, organisation.Company, "5599000121"); !errors.Is(err, organisation.ErrNotRepresentative) {
		t.Errorf("acting without the right: %v", err)
	}
	if _, err := s.ForRepresentative(ctx, account, organisation.Company, "5599000121"); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("the cases without the right: %v", err)
	}

	if _, err := s.Act(ctx, account, organisation.Association, "8025000012"); !errors.Is(err, organisation.ErrNotRepresentative) {
		t.Errorf("an association not declared: %v", err)
	}
	if _, err := s.Declare(ctx, account, "802500-0012", "  Mjörns   båtklubb ", "ordförande"); err != nil {
		t.Fatal(err)
	}
	o, err := s.Act(ctx, account, organisation.Association, "8025000012")
	if err != nil || o.Name != "Mjörns båtklubb" {
		t.Errorf("acting for the declared association: %+v, %v", o, err)
	}
}

package signing

import (
	"context"
	"errors"
	"slices"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/population"
)

// Person is someone who must sign.
type Person struct {
	Role           string
	PersonalNumber personnummer.Number
	Name           string
}

// Plan is who must sign a draft: the applicant (if the e-service says so) and the co-signers the
// rule finds. Problem is set when the draft cannot be sent for signing as it is.
type Plan struct {
	Applicant bool
	CoSigners []Person
	Problem   *ProblemError
}

// Plan finds who must sign the draft of the account, as it is now, for the review page. A draft
// of an e-service without signatures has an empty plan.
func (s *Store) Plan(ctx context.Context, c Content, applicant personnummer.Number) (Plan, error) {
	p := Plan{Applicant: c.Rule.Applicant}
	cos, err := s.coSigners(ctx, c, applicant)
	var pe *ProblemError
	if errors.As(err, &pe) {
		p.Problem = pe
		return p, nil
	}
	p.CoSigners = cos
	return p, err
}

// coSigners finds the co-signers the e-service's rule asks for: the child's guardians but the
// applicant, the person a field names, or the organisation's other signatories. A person the
// rule cannot find, or an applicant the rule does not fit, is a *ProblemError.
func (s *Store) coSigners(ctx context.Context, c Content, applicant personnummer.Number) ([]Person, error) {
	switch c.Rule.CoSigners {
	case eservice.CoSignGuardians:
		child, err := numberIn(c, c.Rule.Field)
		if err != nil {
			return nil, err
		}
		guardians, err := s.guardians(ctx, child)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(guardians, applicant) {
			return nil, problem("signing.problem.applicantNotGuardian")
		}
		var out []Person
		for _, g := range guardians {
			if g != applicant {
				out = append(out, Person{Role: RoleGuardian, PersonalNumber: g, Name: s.nameOf(ctx, g)})
			}
		}
		return out, nil
	case eservice.CoSignPerson:
		n, err := numberIn(c, c.Rule.Field)
		if err != nil {
			return nil, err
		}
		if n == applicant {
			return nil, nil
		}
		if n.IsCoordination() {
			return nil, problem("signing.problem.coordination")
		}
		p, err := s.register.Lookup(ctx, n)
		switch {
		case errors.Is(err, population.ErrNotFound):
			return nil, problem("signing.problem.personNotFound")
		case err != nil:
			return nil, problem("signing.problem.register")
		}
		return []Person{{Role: RolePerson, PersonalNumber: n, Name: p.FullName()}}, nil
	case eservice.CoSignSignatory:
		if c.Org == nil || c.Org.Kind != organisation.Company {
			return nil, problem("signing.problem.noCompany")
		}
		org, err := s.company(ctx, c.Org.Number)
		if err != nil {
			return nil, err
		}
		if !org.HasSignatory(applicant) {
			return nil, problem("signing.problem.notSignatory", org.Name)
		}
		var out []Person
		for _, sig := range org.Signatories {
			if sig.PersonalNumber != applicant {
				out = append(out, Person{Role: RoleSignatory, PersonalNumber: sig.PersonalNumber, Name: sig.Name})
			}
		}
		if len(out) == 0 {
			return nil, problem("signing.problem.noOtherSignatory", org.Name)
		}
		return out, nil
	}
	return nil, nil
}

// company is the company in the companies register, with its signatories today.
func (s *Store) company(ctx context.Context, number string) (organisation.Organisation, error) {
	org, err := s.companies.Company(ctx, number)
	switch {
	case errors.Is(err, organisation.ErrNotFound):
		return org, problem("signing.problem.companyNotFound")
	case err != nil:
		return org, problem("signing.problem.companies")
	}
	return org, nil
}

// guardians are the child's guardians in the population register's custody data.
func (s *Store) guardians(ctx context.Context, child personnummer.Number) ([]personnummer.Number, error) {
	p, err := s.register.Lookup(ctx, child)
	switch {
	case errors.Is(err, population.ErrNotFound):
		return nil, problem("signing.problem.childNotFound")
	case err != nil:
		return nil, problem("signing.problem.register")
	}
	if len(p.Guardians) == 0 {
		return nil, problem("signing.problem.noCustody")
	}
	return p.Guardians, nil
}

// nameOf is the person's name in the register, or "" when it cannot be found.
func (s *Store) nameOf(ctx context.Context, n personnummer.Number) string {
	p, err := s.register.Lookup(ctx, n)
	if err != nil {
		return ""
	}
	return p.FullName()
}

// numberIn is the personal identity number the draft gives in field.
func numberIn(c Content, field string) (personnummer.Number, error) {
	v := c.Answers[field]
	if len(v) == 0 {
		return personnummer.Number{}, problem("signing.problem.noNumber")
	}
	n, err := personnummer.Parse(v[0])
	if err != nil {
		return personnummer.Number{}, problem("signing.problem.noNumber")
	}
	return n, nil
}

// mayStillSign checks again, when a co-signer signs, that the rule still names them: a guardian
// must still be a guardian of the child the draft names now, a signatory still a signatory of the
// company.
func (s *Store) mayStillSign(ctx context.Context, c Content, p Party) error {
	if p.Role == RoleSignatory {
		if c.Org == nil {
			return problem("signing.problem.noCompany")
		}
		org, err := s.company(ctx, c.Org.Number)
		if err != nil {
			return err
		}
		if !org.HasSignatory(p.PersonalNumber) {
			return problem("signing.problem.notSignatory", org.Name)
		}
		return nil
	}
	if p.Role != RoleGuardian {
		return nil
	}
	child, err := numberIn(c, c.Rule.Field)
	if err != nil {
		return err
	}
	guardians, err := s.guardians(ctx, child)
	if err != nil {
		return err
	}
	if !slices.Contains(guardians, p.PersonalNumber) {
		return problem("signing.problem.notGuardian")
	}
	return nil
}

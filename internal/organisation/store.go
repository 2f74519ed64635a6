package organisation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// ErrNotRepresentative: the person may not act for the organisation (not, or no longer, its
// authorised signatory, or not its declared representative).
var ErrNotRepresentative = apperr.New(apperr.Forbidden, "error.organisation.notRepresentative")

// ErrRefused: a caseworker refused the person's representation of the association: they can no
// longer act for it, nor declare it again.
var ErrRefused = apperr.New(apperr.Forbidden, "error.orgcheck.refused")

// Store keeps the associations citizens declare they represent, and reads an organisation's
// cases and drafts for its representatives.
type Store struct {
	db       db.Querier
	register Register
}

// NewStore returns a store on q that asks register about companies.
func NewStore(q db.Querier, register Register) *Store { return &Store{db: q, register: register} }

// Choices are the organisations a person may act for.
type Choices struct {
	Companies    []Organisation // whose authorised signatory they are, in the companies register
	Associations []Organisation // they declared they represent
	Unavailable  bool           // the companies register could not be asked: no companies listed
}

// ChoicesOf returns the organisations the account's holder may act for now.
func (s *Store) ChoicesOf(ctx context.Context, accountID uuid.UUID) (Choices, error) {
	var c Choices
	pnr, err := s.personOf(ctx, accountID)
	if err != nil {
		return c, err
	}
	if c.Companies, err = s.register.SignatoryOf(ctx, pnr); err != nil {
		if !errors.Is(err, ErrUnavailable) {
			return c, err
		}
		c.Unavailable = true
	}
	c.Associations, err = s.declared(ctx, accountID, "")
	return c, err
}

// Act checks that the account's holder may act for the organisation now (a company: they are its
// authorised signatory in the register today; an association: they declared it, and no
// caseworker refused the representation: ErrRefused) and returns it.
func (s *Store) Act(ctx context.Context, accountID uuid.UUID, kind, number string) (Organisation, error) {
	n, err := ParseNumber(number)
	if err != nil {
		return Organisation{}, ErrNotRepresentative
	}
	switch kind {
	case Company:
		pnr, err := s.personOf(ctx, accountID)
		if err != nil {
			return Organisation{}, err
		}
		o, err := s.register.Company(ctx, n)
		if errors.Is(err, ErrNotFound) {
			return Organisation{}, ErrNotRepresentative
		}
		if err != nil {
			return Organisation{}, err
		}
		if !o.HasSignatory(pnr) {
			return Organisation{}, ErrNotRepresentative
		}
		return o, nil
	case Association:
		list, err := s.declared(ctx, accountID, n)
		if err != nil {
			return Organisation{}, err
		}
		if len(list) == 0 {
			return Organisation{}, ErrNotRepresentative
		}
		if list[0].Refused {
			return Organisation{}, ErrRefused
		}
		return list[0], nil
	}
	return Organisation{}, ErrNotRepresentative
}

// MayAct reports whether the account's holder may act for the organisation now, as Act checks
// it: nil, or an error (ErrNotRepresentative, ErrRefused, or the register's).
func (s *Store) MayAct(ctx context.Context, accountID uuid.UUID, kind, number string) error {
	_, err := s.Act(ctx, accountID, kind, number)
	return err
}

// Limits of a declaration, in characters.
const (
	MaxName = 200
	MaxRole = 100
)

// Declare records that the account's holder represents the association (its chairman, say).
// Nothing checks it by itself (an e-service may ask a caseworker to); a declaration changed after
// it was confirmed must be checked again, and one refused cannot be made again (ErrRefused). The
// field errors name the inputs org_number, org_name and role.
func (s *Store) Declare(ctx context.Context, accountID uuid.UUID, number, name, role string) (Organisation, error) {
	var errs apperr.FieldErrors
	n, err := ParseNumber(strings.TrimSpace(number))
	if err != nil {
		errs.Add("org_number", "error.organisation.number")
	}
	name, role = strings.Join(strings.Fields(name), " "), strings.Join(strings.Fields(role), " ")
	if name == "" || utf8.RuneCountInString(name) > MaxName {
		errs.Add("org_name", "error.organisation.name")
	}
	if role == "" || utf8.RuneCountInString(role) > MaxRole {
		errs.Add("role", "error.organisation.role")
	}
	if err := errs.Err(); err != nil {
		return Organisation{}, err
	}
	// A changed declaration must be checked again; a refused one stays refused.
	tag, err := s.db.Exec(ctx, `
		INSERT INTO association_representative AS r (account_id, org_number, name, role) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, org_number) DO UPDATE SET name = $3, role = $4,
			checked_at = CASE WHEN r.name = $3 AND r.role = $4 THEN r.checked_at END,
			checked_by = CASE WHEN r.name = $3 AND r.role = $4 THEN r.checked_by END,
			checked_case = CASE WHEN r.name = $3 AND r.role = $4 THEN r.checked_case END
		WHERE NOT r.refused`, accountID, n, name, role)
	if err != nil {
		return Organisation{}, fmt.Errorf("organisation: declare: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Organisation{}, ErrRefused
	}
	return Organisation{Kind: Association, Number: n, Name: name}, nil
}

// declared reads the associations the account declared, or the one with number.
func (s *Store) declared(ctx context.Context, accountID uuid.UUID, number string) ([]Organisation, error) {
	rows, err := s.db.Query(ctx, `
		SELECT org_number, name, checked_at IS NOT NULL AND NOT refused, refused FROM association_representative
		WHERE account_id = $1 AND ($2 = '' OR org_number = $2) ORDER BY name`, accountID, number)
	if err != nil {
		return nil, fmt.Errorf("organisation: associations: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organisation, error) {
		o := Organisation{Kind: Association}
		err := r.Scan(&o.Number, &o.Name, &o.Confirmed, &o.Refused)
		return o, err
	})
}

func (s *Store) personOf(ctx context.Context, accountID uuid.UUID) (personnummer.Number, error) {
	var pnr personnummer.Number
	err := s.db.QueryRow(ctx, `SELECT personal_number FROM account WHERE id = $1`, accountID).Scan(&pnr)
	if errors.Is(err, pgx.ErrNoRows) {
		return pnr, ErrNotRepresentative
	}
	return pnr, err
}

// Item is a case or a draft of an organisation, with who acted for it.
type Item struct {
	ID           uuid.UUID
	Reference    string // "" for a draft
	EService     form.Text
	Municipality string
	Status       string // the case's status type; "" for a draft
	At           time.Time
	ActedBy      string // the name of the representative who made it
}

// Dossier is what a representative sees of an organisation: its cases and drafts, newest first.
type Dossier struct {
	Organisation Organisation
	Cases        []Item
	Drafts       []Item
}

// MaxItems bounds the cases and the drafts an organisation's page lists.
const MaxItems = 200

// ForRepresentative returns the organisation's cases and drafts, from every municipality of the
// installation, to a person who may act for it now; anyone else (a signatory no more, say) is
// refused with ErrNotRepresentative.
func (s *Store) ForRepresentative(ctx context.Context, accountID uuid.UUID, kind, number string) (Dossier, error) {
	o, err := s.Act(ctx, accountID, kind, number)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{Organisation: o}
	scan := func(r pgx.CollectableRow) (Item, error) {
		var it Item
		err := r.Scan(&it.ID, &it.Reference, &it.EService, &it.Municipality, &it.Status, &it.At, &it.ActedBy)
		return it, err
	}
	b := &pgx.Batch{}
	db.QueueRows(b, &d.Cases, scan, `
		SELECT c.id, c.reference, e.title, t.name, c.status, c.submitted_at, coalesce(a.display_name, '')
		FROM cases c JOIN eservice e ON e.id = c.eservice_id JOIN tenant t ON t.id = c.tenant_id
		LEFT JOIN account a ON a.id = c.account_id
		WHERE c.org_number = $1 AND c.org_kind = $2
		ORDER BY c.submitted_at DESC, c.id DESC LIMIT $3`, o.Number, o.Kind, MaxItems)
	db.QueueRows(b, &d.Drafts, scan, `
		SELECT d.id, '', e.title, t.name, '', d.updated_at, coalesce(a.display_name, '')
		FROM draft d JOIN eservice e ON e.id = d.eservice_id JOIN tenant t ON t.id = d.tenant_id
		LEFT JOIN account a ON a.id = d.account_id
		WHERE d.org_number = $1 AND d.org_kind = $2 AND d.case_id IS NULL
		ORDER BY d.updated_at DESC, d.id DESC LIMIT $3`, o.Number, o.Kind, MaxItems)
	return d, db.Run(ctx, s.db, b)
}

// AttachDraft records, on a draft the account has just started, the organisation it is made for.
func (s *Store) AttachDraft(ctx context.Context, accountID, draftID uuid.UUID, o Organisation) error {
	_, err := s.db.Exec(ctx, `UPDATE draft SET org_kind = $3, org_number = $4, org_name = $5 WHERE id = $1 AND account_id = $2`,
		draftID, accountID, o.Kind, o.Number, o.Name)
	if err != nil {
		return fmt.Errorf("organisation: draft: %w", err)
	}
	return nil
}

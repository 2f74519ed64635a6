// Package account holds a citizen's account: created at the first login from the e-ID and the
// population register, and shown and edited under Mina uppgifter.
package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/population"
)

// Channels a citizen can choose for notices.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Account is what the portal stores about a citizen.
type Account struct {
	ID               uuid.UUID
	PersonalNumber   personnummer.Number
	GivenName        string
	Surname          string
	DisplayName      string
	Protected        bool                // protected identity: no address, ever
	Address          *population.Address // from the population register; nil when none or protected
	AddressFetchedAt *time.Time
	Email            string
	Phone            string     // E.164, e.g. +46701234567
	EmailVerifiedAt  *time.Time // confirmed with a one-time code; reset when the address changes
	PhoneVerifiedAt  *time.Time
	PreferredChannel string // "", ChannelEmail or ChannelSMS
	Language         string // of the notices
	CreatedAt        time.Time
	LastLoginAt      *time.Time
	PreviousLoginAt  *time.Time
}

// ErrNotFound is returned for an account that does not exist.
var ErrNotFound = apperr.New(apperr.NotFound, "")

// Store reads and writes accounts.
type Store struct {
	db       db.Querier
	register population.Register
	log      *slog.Logger
}

// NewStore returns a store that looks addresses up in register.
func NewStore(q db.Querier, register population.Register, log *slog.Logger) *Store {
	return &Store{db: q, register: register, log: log}
}

// LoginInput is what an e-ID login tells about the person.
type LoginInput struct {
	PersonalNumber personnummer.Number
	GivenName      string
	Surname        string
	DisplayName    string
}

// Login creates the account at the first login, or updates it at later ones: the name from the
// e-ID, the address and protection from the population register. When the register cannot be
// reached, the login still succeeds and the stored address is kept.
func (s *Store) Login(ctx context.Context, in LoginInput) (Account, error) {
	fetched := true
	var person population.Person
	person, err := s.register.Lookup(ctx, in.PersonalNumber)
	switch {
	case err == nil:
	case errors.Is(err, population.ErrNotFound):
		person = population.Person{} // e.g. a coordination number: not in the register, no address
	default:
		fetched = false
		s.log.WarnContext(ctx, "population register lookup failed; keeping the stored address", "err", err)
	}
	addr := person.Address
	if person.Protected {
		addr = nil
	}
	var street, careOf, postal, city *string
	if addr != nil {
		street, careOf, postal, city = &addr.Street, nullable(addr.CareOf), &addr.PostalCode, &addr.City
	}
	row := s.db.QueryRow(ctx, `
		INSERT INTO account AS a (personal_number, given_name, surname, display_name, protected_identity,
			street, care_of, postal_code, city, address_fetched_at, last_login_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END, now())
		ON CONFLICT (personal_number) DO UPDATE SET
			given_name = EXCLUDED.given_name,
			surname = EXCLUDED.surname,
			display_name = EXCLUDED.display_name,
			protected_identity = CASE WHEN $10 THEN EXCLUDED.protected_identity ELSE a.protected_identity END,
			street = CASE WHEN $10 THEN EXCLUDED.street ELSE a.street END,
			care_of = CASE WHEN $10 THEN EXCLUDED.care_of ELSE a.care_of END,
			postal_code = CASE WHEN $10 THEN EXCLUDED.postal_code ELSE a.postal_code END,
			city = CASE WHEN $10 THEN EXCLUDED.city ELSE a.city END,
			address_fetched_at = CASE WHEN $10 THEN now() ELSE a.address_fetched_at END,
			previous_login_at = a.last_login_at,
			last_login_at = now(),
			updated_at = now()
		RETURNING `+columns,
		in.PersonalNumber, in.GivenName, in.Surname, in.DisplayName, person.Protected,
		street, careOf, postal, city, fetched)
	return scan(row)
}

// SetLanguage records the language the citizen uses, for the notices sent to them.
func (s *Store) SetLanguage(ctx context.Context, id uuid.UUID, lang string) error {
	_, err := s.db.Exec(ctx, `UPDATE account SET language = $2 WHERE id = $1`, id, lang)
	return err
}

// ByID returns the account with id.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (Account, error) {
	return scan(s.db.QueryRow(ctx, `SELECT `+columns+` FROM account a WHERE a.id = $1`, id))
}

const columns = `a.id, a.personal_number, a.given_name, a.surname, a.display_name, a.protected_identity,
	a.street, a.care_of, a.postal_code, a.city, a.address_fetched_at, a.email, a.phone, a.preferred_channel,
	a.created_at, a.last_login_at, a.previous_login_at, a.email_verified_at, a.phone_verified_at, a.language`

func scan(row pgx.Row) (Account, error) {
	var a Account
	var pnr string
	var street, careOf, postal, city, email, phone, channel *string
	err := row.Scan(&a.ID, &pnr, &a.GivenName, &a.Surname, &a.DisplayName, &a.Protected,
		&street, &careOf, &postal, &city, &a.AddressFetchedAt, &email, &phone, &channel,
		&a.CreatedAt, &a.LastLoginAt, &a.PreviousLoginAt, &a.EmailVerifiedAt, &a.PhoneVerifiedAt, &a.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("account: %w", err)
	}
	if a.PersonalNumber, err = personnummer.Parse(pnr); err != nil {
		return Account{}, fmt.Errorf("account %s: stored personal number is not valid", a.ID)
	}
	if street != nil && !a.Protected {
		a.Address = &population.Address{Street: *street, CareOf: deref(careOf), PostalCode: deref(postal), City: deref(city)}
	}
	a.Email, a.Phone, a.PreferredChannel = deref(email), deref(phone), deref(channel)
	return a, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// QueueOfCase queues on b the reading of the account that submitted the case into out (none for
// an anonymous or a visitor's case).
func QueueOfCase(b *pgx.Batch, caseID uuid.UUID, out *[]Account) {
	b.Queue(`SELECT `+columns+` FROM account a WHERE a.id = (SELECT account_id FROM cases WHERE id = $1)`, caseID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			a, err := scan(rows)
			if err != nil {
				return err
			}
			*out = append(*out, a)
		}
		return rows.Err()
	})
}

package account_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/population"
)

func person(t *testing.T, key string) population.TestPerson {
	t.Helper()
	p, ok := population.FindTestPerson(key)
	if !ok {
		t.Fatalf("no test person %q", key)
	}
	return p
}

func login(t *testing.T, s *account.Store, p population.TestPerson) account.Account {
	t.Helper()
	a, err := s.Login(context.Background(), account.LoginInput{
		PersonalNumber: p.Person.PersonalNumber, GivenName: p.Person.GivenName, Surname: p.Person.Surname, DisplayName: p.Person.FullName(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFirstLoginCreatesAccountWithRegisterAddress(t *testing.T) {
	s := account.NewStore(dbtest.New(t), population.NewDev(), slog.New(slog.DiscardHandler))
	adult := person(t, "adult")
	a := login(t, s, adult)
	if a.Address == nil || a.Address.Street != adult.Person.Address.Street || a.AddressFetchedAt == nil {
		t.Errorf("address %+v", a.Address)
	}
	if a.PreviousLoginAt != nil || a.LastLoginAt == nil {
		t.Errorf("first login times: last %v previous %v", a.LastLoginAt, a.PreviousLoginAt)
	}
	again := login(t, s, adult)
	if again.ID != a.ID || again.PreviousLoginAt == nil || !again.PreviousLoginAt.Equal(*a.LastLoginAt) {
		t.Errorf("second login: id %v previous %v, want %v", again.ID, again.PreviousLoginAt, a.LastLoginAt)
	}
}

func TestProtectedIdentityHasNoAddress(t *testing.T) {
	pool := dbtest.New(t)
	s := account.NewStore(pool, population.NewDev(), slog.New(slog.DiscardHandler))
	a := login(t, s, person(t, "protected"))
	if !a.Protected || a.Address != nil {
		t.Fatalf("protected %v address %+v", a.Protected, a.Address)
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM account WHERE street IS NOT NULL OR city IS NOT NULL OR postal_code IS NOT NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("an address was stored for a protected person")
	}
	// The database itself refuses an address for a protected identity.
	_, err := pool.Exec(context.Background(), `UPDATE account SET street = 'Gatan 1' WHERE id = $1`, a.ID)
	if err == nil {
		t.Error("the database accepted an address for a protected identity")
	}
}

// A person who becomes protected loses the stored address at the next login.
func TestBecomingProtectedClearsTheAddress(t *testing.T) {
	pool := dbtest.New(t)
	adult := person(t, "adult")
	reg := &switchRegister{person: adult.Person}
	s := account.NewStore(pool, reg, slog.New(slog.DiscardHandler))
	if a := login(t, s, adult); a.Address == nil {
		t.Fatal("no address at first")
	}
	reg.person.Protected, reg.person.Address = true, nil
	if a := login(t, s, adult); !a.Protected || a.Address != nil {
		t.Errorf("after protection: %v %+v", a.Protected, a.Address)
	}
}

// When the register cannot be reached, the login works and keeps what was stored.
func TestRegisterUnavailableKeepsStoredAddress(t *testing.T) {
	pool := dbtest.New(t)
	adult := person(t, "adult")
	reg := &switchRegister{person: adult.Person}
	s := account.NewStore(pool, reg, slog.New(slog.DiscardHandler))
	login(t, s, adult)
	reg.err = population.ErrUnavailable
	if a := login(t, s, adult); a.Address == nil || a.Address.Street != adult.Person.Address.Street {
		t.Errorf("address lost when the register was down: %+v", a.Address)
	}
}

func TestCoordinationNumberHolderHasNoAddress(t *testing.T) {
	s := account.NewStore(dbtest.New(t), population.NewDev(), slog.New(slog.DiscardHandler))
	a := login(t, s, person(t, "coordination"))
	if !a.PersonalNumber.IsCoordination() || a.Address != nil || a.Protected {
		t.Errorf("%+v", a)
	}
}

func TestUpdateContact(t *testing.T) {
	s := account.NewStore(dbtest.New(t), population.NewDev(), slog.New(slog.DiscardHandler))
	a := login(t, s, person(t, "adult"))
	ctx := context.Background()

	got, err := s.UpdateContact(ctx, a.ID, account.ContactInput{Email: " karin@example.se ", Phone: "070-123 45 67", PreferredChannel: "sms"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "karin@example.se" || got.Phone != "+46701234567" || got.PreferredChannel != account.ChannelSMS {
		t.Errorf("stored %q %q %q", got.Email, got.Phone, got.PreferredChannel)
	}

	tests := []struct {
		in     account.ContactInput
		fields map[string]string
	}{
		{account.ContactInput{Email: "inte en adress"}, map[string]string{"email": "error.contact.email"}},
		{account.ContactInput{Email: "Karin <karin@example.se>"}, map[string]string{"email": "error.contact.email"}},
		{account.ContactInput{Phone: "12"}, map[string]string{"phone": "error.contact.phone"}},
		{account.ContactInput{PreferredChannel: "email"}, map[string]string{"preferred_channel": "error.contact.channel.email"}},
		{account.ContactInput{Email: "a@b.se", PreferredChannel: "sms"}, map[string]string{"preferred_channel": "error.contact.channel.sms"}},
		{account.ContactInput{Email: "x", Phone: "y", PreferredChannel: "fax"}, map[string]string{"email": "error.contact.email", "phone": "error.contact.phone", "preferred_channel": "error.contact.channel"}},
	}
	for _, tt := range tests {
		_, err := s.UpdateContact(ctx, a.ID, tt.in)
		var fe apperr.FieldErrors
		if !errors.As(err, &fe) || apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%+v: err %v", tt.in, err)
			continue
		}
		for field, key := range tt.fields {
			if fe.For(field) != key {
				t.Errorf("%+v: %s = %q, want %q", tt.in, field, fe.For(field), key)
			}
		}
		if len(fe) != len(tt.fields) {
			t.Errorf("%+v: errors %v", tt.in, fe)
		}
	}
	// Nothing invalid was stored.
	still, err := s.ByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if still.Email != "karin@example.se" || still.Phone != "+46701234567" {
		t.Errorf("invalid input changed the account: %+v", still)
	}
	// Clearing is allowed when no channel needs the data.
	cleared, err := s.UpdateContact(ctx, a.ID, account.ContactInput{})
	if err != nil || cleared.Email != "" || cleared.Phone != "" || cleared.PreferredChannel != "" {
		t.Errorf("clear: %+v %v", cleared, err)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"070-123 45 67":     "+46701234567",
		"+46 70 123 45 67":  "+46701234567",
		"+46 (0)70 1234567": "+46701234567",
		"0046701234567":     "+46701234567",
		"+358 40 123 4567":  "+358401234567",
	} {
		if got, ok := account.NormalizePhone(in); !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"12", "abc", "+46", "07012345678901234567"} {
		if got, ok := account.NormalizePhone(bad); ok {
			t.Errorf("NormalizePhone(%q) accepted as %q", bad, got)
		}
	}
}

type switchRegister struct {
	person population.Person
	err    error
}

func (r *switchRegister) Lookup(_ context.Context, pnr personnummer.Number) (population.Person, error) {
	if r.err != nil {
		return population.Person{}, r.err
	}
	return r.person, nil
}

package account

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// ContactInput is what a citizen may change under Mina uppgifter, as typed.
type ContactInput struct {
	Email            string
	Phone            string
	PreferredChannel string
}

// Field names of the contact form, as the page names its inputs.
const (
	FieldEmail   = "email"
	FieldPhone   = "phone"
	FieldChannel = "preferred_channel"
)

// UpdateContact validates and stores the contact data. Invalid input is apperr.FieldErrors, and
// nothing is stored.
func (s *Store) UpdateContact(ctx context.Context, id uuid.UUID, in ContactInput) (Account, error) {
	email, phone, channel, err := in.Normalize()
	if err != nil {
		return Account{}, err
	}
	row := s.db.QueryRow(ctx, `
		UPDATE account a SET email = $2, phone = $3, preferred_channel = $4, updated_at = now()
		WHERE a.id = $1
		RETURNING `+columns, id, nullable(email), nullable(phone), nullable(channel))
	a, err := scan(row)
	if err != nil {
		return Account{}, fmt.Errorf("account: update contact: %w", err)
	}
	return a, nil
}

// Normalize checks the input and returns it in stored form: the e-mail address trimmed, the phone
// number in international form.
func (in ContactInput) Normalize() (email, phone, channel string, err error) {
	var errs apperr.FieldErrors
	email = strings.TrimSpace(in.Email)
	if email != "" && !form.ValidEmail(email) {
		errs.Add(FieldEmail, "error.contact.email")
	}
	phone = strings.TrimSpace(in.Phone)
	if phone != "" {
		var ok bool
		if phone, ok = NormalizePhone(phone); !ok {
			errs.Add(FieldPhone, "error.contact.phone")
		}
	}
	channel = strings.TrimSpace(in.PreferredChannel)
	switch channel {
	case "":
	case ChannelEmail:
		if email == "" {
			errs.Add(FieldChannel, "error.contact.channel.email")
		}
	case ChannelSMS:
		if phone == "" {
			errs.Add(FieldChannel, "error.contact.channel.sms")
		}
	default:
		errs.Add(FieldChannel, "error.contact.channel")
	}
	return email, phone, channel, errs.Err()
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// NormalizePhone turns a Swedish or international number as people type it (070-123 45 67,
// +46 70 123 45 67, 0046701234567) into E.164 (+46701234567).
func NormalizePhone(s string) (string, bool) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '.', '\u00a0':
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(clean, "00"):
		clean = "+" + clean[2:]
	case strings.HasPrefix(clean, "0"):
		clean = "+46" + clean[1:]
	}
	clean = strings.Replace(clean, "+460", "+46", 1)
	return clean, e164.MatchString(clean)
}

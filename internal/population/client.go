package population

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/register"
)

// maxResponseBody is the largest answer the client reads from the register service.
const maxResponseBody = 64 << 10

// ClientConfig configures a Client.
type ClientConfig = register.Config

// Client looks people up in a population register service (a "Navet"-style lookup proxy in
// front of the Tax Agency's register) over HTTPS, authenticating with a client certificate.
//
// Integration contract, one call:
//
//	POST {BaseURL}/person/lookup
//	Content-Type: application/json
//
//	{"personalIdentityNumber": "YYYYMMDDNNNC"}
//
// The personal identity number travels only in the request body, never in the URL, so that it
// does not end up in access logs. The service answers:
//
//	200 OK, Content-Type: application/json
//	{
//	  "personalIdentityNumber": "YYYYMMDDNNNC",  // must equal the one asked for
//	  "givenName": "Karin",
//	  "surname": "Lindqvist",
//	  "protectedIdentity": false,                // skyddad folkbokföring or sekretessmarkering
//	  "address": {                               // null when none is registered, and always
//	    "street": "Kungsgatan 12",               // null when protectedIdentity is true
//	    "careOf": "",
//	    "postalCode": "44130",
//	    "city": "ALINGSÅS"
//	  },
//	  "guardians": [                             // a child's guardians (custody data);
//	    {"personalIdentityNumber": "YYYYMMDDNNNC"} // absent or empty for an adult
//	  ]
//	}
//
//	404 Not Found: the register has no such person (Lookup returns ErrNotFound)
//	any other status: the service is unavailable (Lookup returns an error matching ErrUnavailable)
//
// Unknown fields are ignored. The answer may be at most 64 KiB. The client drops the address of a
// person with protectedIdentity even if the service sends one, and rejects an answer about
// another personal identity number. It never logs, and its errors never contain the number.
type Client struct{ svc *register.Service }

var _ Register = (*Client)(nil)

// NewClient returns a client for the service described by cfg. It reads the certificate files
// once, here.
func NewClient(cfg ClientConfig) (*Client, error) {
	svc, err := register.New(cfg, maxResponseBody)
	if err != nil {
		return nil, fmt.Errorf("population: %w", err)
	}
	return &Client{svc: svc}, nil
}

type lookupRequest struct {
	PersonalIdentityNumber string `json:"personalIdentityNumber"`
}

type lookupResponse struct {
	PersonalIdentityNumber string `json:"personalIdentityNumber"`
	GivenName              string `json:"givenName"`
	Surname                string `json:"surname"`
	ProtectedIdentity      bool   `json:"protectedIdentity"`
	Address                *struct {
		Street     string `json:"street"`
		CareOf     string `json:"careOf"`
		PostalCode string `json:"postalCode"`
		City       string `json:"city"`
	} `json:"address"`
	Guardians []struct {
		PersonalIdentityNumber string `json:"personalIdentityNumber"`
	} `json:"guardians"`
}

// Lookup asks the service for the person with the number.
func (c *Client) Lookup(ctx context.Context, pnr personnummer.Number) (Person, error) {
	if pnr.IsZero() {
		return Person{}, unavailable(errors.New("population: lookup without a personal identity number"))
	}
	var r lookupResponse
	if err := c.svc.Post(ctx, "person/lookup", lookupRequest{PersonalIdentityNumber: pnr.String()}, &r); err != nil {
		if errors.Is(err, register.ErrNotFound) {
			return Person{}, ErrNotFound
		}
		return Person{}, unavailable(fmt.Errorf("population: %w", err))
	}
	got, err := personnummer.Parse(r.PersonalIdentityNumber)
	if err != nil || got != pnr {
		return Person{}, unavailable(errors.New("population: answer is about another personal identity number"))
	}

	p := Person{
		PersonalNumber: pnr,
		GivenName:      strings.TrimSpace(r.GivenName),
		Surname:        strings.TrimSpace(r.Surname),
		Protected:      r.ProtectedIdentity,
	}
	for _, g := range r.Guardians {
		n, err := personnummer.Parse(g.PersonalIdentityNumber)
		if err != nil {
			return Person{}, unavailable(errors.New("population: a guardian's personal identity number is not valid"))
		}
		p.Guardians = append(p.Guardians, n)
	}
	if r.Address != nil && !r.ProtectedIdentity {
		p.Address = &Address{
			Street:     strings.TrimSpace(r.Address.Street),
			CareOf:     strings.TrimSpace(r.Address.CareOf),
			PostalCode: formatPostalCode(r.Address.PostalCode),
			City:       strings.TrimSpace(r.Address.City),
		}
	}
	return p.safe(), nil
}

// formatPostalCode writes a five-digit postal code as "NNN NN" and leaves anything else trimmed.
func formatPostalCode(s string) string {
	s = strings.TrimSpace(s)
	digits := strings.ReplaceAll(s, " ", "")
	if len(digits) != 5 {
		return s
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return s
		}
	}
	return digits[:3] + " " + digits[3:]
}

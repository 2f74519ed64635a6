package organisation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/register"
)

// maxResponseBody is the largest answer the client reads from the register service.
const maxResponseBody = 256 << 10

// ClientConfig configures a Client.
type ClientConfig = register.Config

// Client asks a companies register service (a proxy in front of Bolagsverket's register of
// authorised signatories) over HTTPS, authenticating with a client certificate.
//
// Integration contract, two calls, each a POST with a JSON body (personal identity numbers travel
// only in bodies, never in addresses):
//
//	POST {BaseURL}/company/lookup     {"organisationNumber": "NNNNNNNNNN"}
//	POST {BaseURL}/signatory/lookup   {"personalIdentityNumber": "YYYYMMDDNNNC"}
//
// A company is answered as
//
//	{
//	  "organisationNumber": "5599000121",   // must equal the one asked for
//	  "name": "Exempel Bygg AB",
//	  "signatories": [{"personalIdentityNumber": "196809309898", "name": "Lars Eriksson"}],
//	  "jointly": 1                           // how many signatories sign together; absent: 1
//	}
//
// and the companies a person signs for as {"companies": [company, ...]}. 404 on
// /company/lookup: no such company (ErrNotFound); any other status than 200: the service is
// unavailable (an error matching ErrUnavailable). Unknown fields are ignored; an answer is at
// most 256 KiB. The client never logs, and its errors never hold a personal identity number.
type Client struct{ svc *register.Service }

var _ Register = (*Client)(nil)

// NewClient returns a client for the service described by cfg; it reads the certificate files
// once, here.
func NewClient(cfg ClientConfig) (*Client, error) {
	svc, err := register.New(cfg, maxResponseBody)
	if err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	return &Client{svc: svc}, nil
}

type companyJSON struct {
	OrganisationNumber string `json:"organisationNumber"`
	Name               string `json:"name"`
	Signatories        []struct {
		PersonalIdentityNumber string `json:"personalIdentityNumber"`
		Name                   string `json:"name"`
	} `json:"signatories"`
	Jointly int `json:"jointly"`
}

// Company asks the service for the company with the organisation number.
func (c *Client) Company(ctx context.Context, number string) (Organisation, error) {
	n, err := ParseNumber(number)
	if err != nil {
		return Organisation{}, unavailable(errors.New("organisation: lookup without a valid organisation number"))
	}
	var answer companyJSON
	if err := c.post(ctx, "company/lookup", map[string]string{"organisationNumber": n}, &answer); err != nil {
		return Organisation{}, err
	}
	if answer.OrganisationNumber != n {
		return Organisation{}, unavailable(errors.New("organisation: answer is about another organisation"))
	}
	return answer.organisation()
}

// SignatoryOf asks the service for the companies the person is an authorised signatory of. A
// company in the answer that does not name the person among its signatories is left out.
func (c *Client) SignatoryOf(ctx context.Context, pnr personnummer.Number) ([]Organisation, error) {
	if pnr.IsZero() {
		return nil, unavailable(errors.New("organisation: lookup without a personal identity number"))
	}
	var answer struct {
		Companies []companyJSON `json:"companies"`
	}
	if err := c.post(ctx, "signatory/lookup", map[string]string{"personalIdentityNumber": pnr.String()}, &answer); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	var out []Organisation
	for _, cj := range answer.Companies {
		o, err := cj.organisation()
		if err != nil {
			return nil, err
		}
		if o.HasSignatory(pnr) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (cj companyJSON) organisation() (Organisation, error) {
	n, err := ParseNumber(cj.OrganisationNumber)
	if err != nil || strings.TrimSpace(cj.Name) == "" {
		return Organisation{}, unavailable(errors.New("organisation: a company without a valid number or a name"))
	}
	o := Organisation{Kind: Company, Number: n, Name: strings.TrimSpace(cj.Name), Jointly: max(cj.Jointly, 1)}
	for _, s := range cj.Signatories {
		p, err := personnummer.Parse(s.PersonalIdentityNumber)
		if err != nil {
			return Organisation{}, unavailable(errors.New("organisation: a signatory's personal identity number is not valid"))
		}
		o.Signatories = append(o.Signatories, Signatory{PersonalNumber: p, Name: strings.TrimSpace(s.Name)})
	}
	return o, nil
}

// post sends body as JSON to the service's path and decodes its answer into out.
func (c *Client) post(ctx context.Context, path string, body any, out any) error {
	err := c.svc.Post(ctx, path, body, out)
	switch {
	case errors.Is(err, register.ErrNotFound):
		return ErrNotFound
	case err != nil:
		return unavailable(fmt.Errorf("organisation: %w", err))
	}
	return nil
}

package population

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// maxResponseBody is the largest answer the client reads from the register service.
const maxResponseBody = 64 << 10

// defaultTimeout bounds a lookup when ClientConfig.Timeout is zero.
const defaultTimeout = 10 * time.Second

// ClientConfig configures a Client.
type ClientConfig struct {
	BaseURL  string        // https URL of the register service, e.g. "https://navet-proxy.example.se/v1"
	CertFile string        // PEM client certificate for mutual TLS; together with KeyFile
	KeyFile  string        // PEM private key of the client certificate
	CAFile   string        // optional PEM CA certificates for the server; default the system roots
	Timeout  time.Duration // for a whole lookup; default 10 seconds
}

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
type Client struct {
	endpoint string
	http     *http.Client
}

var _ Register = (*Client)(nil)

// NewClient returns a client for the service described by cfg. It reads the certificate files
// once, here.
func NewClient(cfg ClientConfig) (*Client, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("population: base URL: %w", err)
	}
	if base.Scheme != "https" || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, errors.New("population: base URL must be an https URL without query or fragment")
	}
	if cfg.Timeout < 0 {
		return nil, errors.New("population: negative timeout")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = defaultTimeout
	}

	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case cfg.CertFile != "" && cfg.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("population: client certificate: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	case cfg.CertFile != "" || cfg.KeyFile != "":
		return nil, errors.New("population: client certificate needs both a certificate and a key file")
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("population: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("population: CA file holds no PEM certificate")
		}
		tlsConf.RootCAs = pool
	}

	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConf
	return &Client{
		endpoint: base.JoinPath("person", "lookup").String(),
		http:     &http.Client{Transport: transport, Timeout: cfg.Timeout},
	}, nil
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
	body, err := json.Marshal(lookupRequest{PersonalIdentityNumber: pnr.String()})
	if err != nil {
		return Person{}, unavailable(fmt.Errorf("population: encode request: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return Person{}, unavailable(fmt.Errorf("population: new request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		return Person{}, unavailable(fmt.Errorf("population: lookup: %w", err))
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
		_ = resp.Body.Close()
	}()

	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Person{}, ErrNotFound
	default:
		return Person{}, unavailable(fmt.Errorf("population: register answered status %d", resp.StatusCode))
	}

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return Person{}, unavailable(fmt.Errorf("population: read answer: %w", err))
	}
	if len(data) > maxResponseBody {
		return Person{}, unavailable(fmt.Errorf("population: answer over %d bytes", maxResponseBody))
	}
	var r lookupResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return Person{}, unavailable(fmt.Errorf("population: decode answer: %w", err))
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

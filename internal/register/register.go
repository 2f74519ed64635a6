// Package register is what the clients of outside register services share (the population
// register's and the companies register's): an HTTPS connection that authenticates with a client
// certificate, and a call that posts JSON and reads a bounded JSON answer. Each client keeps its
// own contract: the paths, the fields, and what an answer must hold.
package register

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
	"time"
)

// Config configures a Service.
type Config struct {
	BaseURL  string        // https URL of the register service, e.g. "https://navet-proxy.example.se/v1"
	CertFile string        // PEM client certificate for mutual TLS; together with KeyFile
	KeyFile  string        // PEM private key of the client certificate
	CAFile   string        // optional PEM CA certificates for the server; default the system roots
	Timeout  time.Duration // for a whole call; default DefaultTimeout
}

// DefaultTimeout bounds a call when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// ErrNotFound is the service's answer 404: it has no such entry.
var ErrNotFound = errors.New("register: not found")

// Service is a register service reached over HTTPS. Its errors name the path called, never what
// was sent or answered, so they hold no personal identity number.
type Service struct {
	base      *url.URL
	http      *http.Client
	maxAnswer int64
}

// New returns the service described by cfg, whose answers are at most maxAnswer bytes. It reads
// the certificate files once, here.
func New(cfg Config, maxAnswer int64) (*Service, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("register: base URL: %w", err)
	}
	if base.Scheme != "https" || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, errors.New("register: base URL must be an https URL without query or fragment")
	}
	if cfg.Timeout < 0 {
		return nil, errors.New("register: negative timeout")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case cfg.CertFile != "" && cfg.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("register: client certificate: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	case cfg.CertFile != "" || cfg.KeyFile != "":
		return nil, errors.New("register: client certificate needs both a certificate and a key file")
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("register: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("register: CA file holds no PEM certificate")
		}
		tlsConf.RootCAs = pool
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConf
	return &Service{base: base, http: &http.Client{Transport: transport, Timeout: cfg.Timeout}, maxAnswer: maxAnswer}, nil
}

// Post sends body as JSON to the service's path (below its base URL) and decodes its answer into
// out. The answer 404 is ErrNotFound; any other error means the service could not be asked or
// did not answer as agreed.
func (s *Service) Post(ctx context.Context, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("register: %s: encode request: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.JoinPath(path).String(), bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("register: %s: new request: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("register: %s: %w", path, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, s.maxAnswer))
		_ = resp.Body.Close()
	}()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return ErrNotFound
	default:
		return fmt.Errorf("register: %s: answered status %d", path, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, s.maxAnswer+1))
	if err != nil {
		return fmt.Errorf("register: %s: read answer: %w", path, err)
	}
	if int64(len(data)) > s.maxAnswer {
		return fmt.Errorf("register: %s: answer over %d bytes", path, s.maxAnswer)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("register: %s: decode answer: %w", path, err)
	}
	return nil
}

// CloseIdleConnections closes the connections kept open for the next call.
func (s *Service) CloseIdleConnections() { s.http.CloseIdleConnections() }

package population

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// testPKI is a CA with a server certificate for 127.0.0.1 and a client certificate, the CA and
// the client's certificate and key also written to PEM files.
type testPKI struct {
	caPool                      *x509.CertPool
	server                      tls.Certificate
	caFile, certFile, keyFile   string
	otherCertFile, otherKeyFile string // a client certificate from a CA the server does not trust
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	caCert, caKey := newCA(t, "Test register CA")
	serverCert, serverKey := newLeaf(t, caCert, caKey, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	clientCert, clientKey := newLeaf(t, caCert, caKey, "minasidor test client", x509.ExtKeyUsageClientAuth)
	otherCA, otherCAKey := newCA(t, "Untrusted CA")
	otherCert, otherKey := newLeaf(t, otherCA, otherCAKey, "stranger", x509.ExtKeyUsageClientAuth)

	p := &testPKI{caPool: x509.NewCertPool()}
	p.caPool.AddCert(caCert)
	p.server = tls.Certificate{Certificate: [][]byte{serverCert.Raw}, PrivateKey: serverKey}
	p.caFile = writePEM(t, dir, "ca.pem", "CERTIFICATE", caCert.Raw)
	p.certFile = writePEM(t, dir, "client.pem", "CERTIFICATE", clientCert.Raw)
	p.keyFile = writePEM(t, dir, "client-key.pem", "PRIVATE KEY", marshalKey(t, clientKey))
	p.otherCertFile = writePEM(t, dir, "other.pem", "CERTIFICATE", otherCert.Raw)
	p.otherKeyFile = writePEM(t, dir, "other-key.pem", "PRIVATE KEY", marshalKey(t, otherKey))
	return p
}

func newCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func newLeaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, usage x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func marshalKey(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeRegister starts a register service that requires a client certificate from the test CA
// and answers lookups with answer, after checking the request follows the contract.
func fakeRegister(t *testing.T, pki *testPKI, answer func(w http.ResponseWriter, r *http.Request, pnr string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/person/lookup" || r.URL.RawQuery != "" {
			t.Errorf("request %s %s, want POST /v1/person/lookup", r.Method, r.URL)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if len(r.TLS.PeerCertificates) == 0 || r.TLS.PeerCertificates[0].Subject.CommonName != "minasidor test client" {
			t.Errorf("no client certificate")
		}
		var req lookupRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode request: %v", err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer(w, r, req.PersonalIdentityNumber)
	}))
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{pki.server},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pki.caPool,
		MinVersion:   tls.VersionTLS12,
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func newTestClient(t *testing.T, cfg ClientConfig) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.svc.CloseIdleConnections)
	return c
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func TestClientLookup(t *testing.T) {
	pki := newTestPKI(t)
	adult := personnummer.MustParse("19850412-9829")
	protected := personnummer.MustParse("19900723-9842")
	noAddress := personnummer.MustParse("19950117-9833")
	careOf := personnummer.MustParse("19680930-9898")
	child := personnummer.MustParse("20160514-9820")
	johan, emma := personnummer.MustParse("19821103-9873"), personnummer.MustParse("19840229-9880")
	address := map[string]any{"street": "Kungsgatan 12", "careOf": "", "postalCode": "44130", "city": "ALINGSÅS"}

	answers := map[string]func(w http.ResponseWriter, pnr string){
		adult.String(): func(w http.ResponseWriter, pnr string) {
			writeJSON(w, map[string]any{
				"personalIdentityNumber": pnr, "givenName": "Karin", "surname": "Lindqvist",
				"protectedIdentity": false, "address": address, "someFutureField": 1,
			})
		},
		protected.String(): func(w http.ResponseWriter, pnr string) {
			// A faulty service that sends an address for a protected person.
			writeJSON(w, map[string]any{
				"personalIdentityNumber": pnr, "givenName": "Sara", "surname": "Nyström",
				"protectedIdentity": true, "address": address,
			})
		},
		noAddress.String(): func(w http.ResponseWriter, pnr string) {
			writeJSON(w, map[string]any{
				"personalIdentityNumber": pnr, "givenName": "Ali", "surname": "Hassan",
				"protectedIdentity": false, "address": nil,
			})
		},
		careOf.String(): func(w http.ResponseWriter, pnr string) {
			writeJSON(w, map[string]any{
				"personalIdentityNumber": pnr, "givenName": "Lars", "surname": "Eriksson",
				"address": map[string]any{"street": " Säterigatan 3 B ", "careOf": "c/o Holm", "postalCode": "441 33", "city": "ALINGSÅS"},
			})
		},
		child.String(): func(w http.ResponseWriter, pnr string) {
			writeJSON(w, map[string]any{
				"personalIdentityNumber": pnr, "givenName": "Elsa", "surname": "Bergström", "address": nil,
				"guardians": []map[string]string{{"personalIdentityNumber": johan.String()}, {"personalIdentityNumber": "198402299880"}},
			})
		},
	}
	srv := fakeRegister(t, pki, func(w http.ResponseWriter, r *http.Request, pnr string) {
		if a, ok := answers[pnr]; ok {
			a(w, pnr)
			return
		}
		http.NotFound(w, r)
	})
	c := newTestClient(t, ClientConfig{
		BaseURL: srv.URL + "/v1/", CertFile: pki.certFile, KeyFile: pki.keyFile, CAFile: pki.caFile,
		Timeout: 5 * time.Second,
	})

	tests := []struct {
		name string
		pnr  personnummer.Number
		want Person
	}{
		{"found with address", adult, Person{
			PersonalNumber: adult, GivenName: "Karin", Surname: "Lindqvist",
			Address: &Address{Street: "Kungsgatan 12", PostalCode: "441 30", City: "ALINGSÅS"},
		}},
		{"protected drops the address sent anyway", protected, Person{
			PersonalNumber: protected, GivenName: "Sara", Surname: "Nyström", Protected: true,
		}},
		{"no address", noAddress, Person{PersonalNumber: noAddress, GivenName: "Ali", Surname: "Hassan"}},
		{"care of and trimming", careOf, Person{
			PersonalNumber: careOf, GivenName: "Lars", Surname: "Eriksson",
			Address: &Address{Street: "Säterigatan 3 B", CareOf: "c/o Holm", PostalCode: "441 33", City: "ALINGSÅS"},
		}},
		{"a child with the guardians of the custody data", child, Person{
			PersonalNumber: child, GivenName: "Elsa", Surname: "Bergström", Guardians: []personnummer.Number{johan, emma},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Lookup(context.Background(), tt.pnr)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(personnummer.Number{})); diff != "" {
				t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("not found", func(t *testing.T) {
		_, err := c.Lookup(context.Background(), personnummer.MustParse("19811218-9876"))
		if !errors.Is(err, ErrNotFound) || apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestClientErrors(t *testing.T) {
	pki := newTestPKI(t)
	pnr := personnummer.MustParse("19850412-9829")
	other := personnummer.MustParse("19811218-9876")
	person := func(n string) map[string]any {
		return map[string]any{"personalIdentityNumber": n, "givenName": "Karin", "surname": "Lindqvist", "address": nil}
	}

	tests := []struct {
		name    string
		answer  func(w http.ResponseWriter, r *http.Request, pnr string)
		config  func(cfg *ClientConfig)
		wantErr error
	}{
		{
			name: "server error",
			answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
				http.Error(w, "boom", http.StatusInternalServerError)
			},
			wantErr: ErrUnavailable,
		},
		{
			name:    "bad request",
			answer:  func(w http.ResponseWriter, _ *http.Request, _ string) { http.Error(w, "no", http.StatusBadRequest) },
			wantErr: ErrUnavailable,
		},
		{
			name:    "answer about another person",
			answer:  func(w http.ResponseWriter, _ *http.Request, _ string) { writeJSON(w, person(other.String())) },
			wantErr: ErrUnavailable,
		},
		{
			name:    "answer without personal number",
			answer:  func(w http.ResponseWriter, _ *http.Request, _ string) { writeJSON(w, person("")) },
			wantErr: ErrUnavailable,
		},
		{
			name: "a guardian whose number is not valid",
			answer: func(w http.ResponseWriter, _ *http.Request, pnr string) {
				p := person(pnr)
				p["guardians"] = []map[string]string{{"personalIdentityNumber": "19821103-9874"}}
				writeJSON(w, p)
			},
			wantErr: ErrUnavailable,
		},
		{
			name: "not JSON",
			answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
				_, _ = io.WriteString(w, "<html>proxy error</html>")
			},
			wantErr: ErrUnavailable,
		},
		{
			name: "oversized body",
			answer: func(w http.ResponseWriter, _ *http.Request, pnr string) {
				p := person(pnr)
				p["givenName"] = strings.Repeat("K", maxResponseBody)
				writeJSON(w, p)
			},
			wantErr: ErrUnavailable,
		},
		{
			name: "timeout",
			// A register that answers after five seconds, and not at all once the client has
			// hung up. An answer written as the server saw the client go could still reach the
			// client's transport before it closed the connection, which then returned it as a
			// success (3 in 3 000 runs on a busy machine).
			answer: func(w http.ResponseWriter, r *http.Request, pnr string) {
				select {
				case <-r.Context().Done():
					panic(http.ErrAbortHandler)
				case <-time.After(5 * time.Second):
				}
				writeJSON(w, person(pnr))
			},
			config:  func(cfg *ClientConfig) { cfg.Timeout = 100 * time.Millisecond },
			wantErr: ErrUnavailable,
		},
		{
			name:    "client without certificate",
			answer:  func(w http.ResponseWriter, _ *http.Request, pnr string) { writeJSON(w, person(pnr)) },
			config:  func(cfg *ClientConfig) { cfg.CertFile, cfg.KeyFile = "", "" },
			wantErr: ErrUnavailable,
		},
		{
			name:    "client certificate from an untrusted CA",
			answer:  func(w http.ResponseWriter, _ *http.Request, pnr string) { writeJSON(w, person(pnr)) },
			config:  func(cfg *ClientConfig) { cfg.CertFile, cfg.KeyFile = pki.otherCertFile, pki.otherKeyFile },
			wantErr: ErrUnavailable,
		},
		{
			name:    "server not trusted without the CA file",
			answer:  func(w http.ResponseWriter, _ *http.Request, pnr string) { writeJSON(w, person(pnr)) },
			config:  func(cfg *ClientConfig) { cfg.CAFile = "" },
			wantErr: ErrUnavailable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeRegister(t, pki, tt.answer)
			cfg := ClientConfig{BaseURL: srv.URL + "/v1", CertFile: pki.certFile, KeyFile: pki.keyFile, CAFile: pki.caFile, Timeout: 5 * time.Second}
			if tt.config != nil {
				tt.config(&cfg)
			}
			c := newTestClient(t, cfg)
			got, err := c.Lookup(context.Background(), pnr)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Lookup = %+v, %v; want %v", got, err, tt.wantErr)
			}
			t.Logf("error: %v", err)
			if apperr.KindOf(err) != apperr.Unavailable {
				t.Errorf("kind = %v, want unavailable", apperr.KindOf(err))
			}
			for _, n := range []personnummer.Number{pnr, other} {
				for _, form := range []string{n.String(), n.Formatted(), n.String()[2:]} {
					if strings.Contains(err.Error(), form) {
						t.Errorf("error %q contains a personal number", err)
					}
				}
			}
		})
	}
}

func TestClientCanceledContext(t *testing.T) {
	pki := newTestPKI(t)
	srv := fakeRegister(t, pki, func(w http.ResponseWriter, _ *http.Request, pnr string) {
		writeJSON(w, map[string]any{"personalIdentityNumber": pnr})
	})
	c := newTestClient(t, ClientConfig{BaseURL: srv.URL + "/v1", CertFile: pki.certFile, KeyFile: pki.keyFile, CAFile: pki.caFile})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Lookup(ctx, personnummer.MustParse("19850412-9829")); !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want ErrUnavailable wrapping context.Canceled", err)
	}
	if _, err := c.Lookup(context.Background(), personnummer.Number{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("zero number: err = %v", err)
	}
}

func TestNewClientConfig(t *testing.T) {
	pki := newTestPKI(t)
	notPEM := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  ClientConfig
		ok   bool
	}{
		{"full", ClientConfig{BaseURL: "https://register.example.se/v1", CertFile: pki.certFile, KeyFile: pki.keyFile, CAFile: pki.caFile}, true},
		{"system roots", ClientConfig{BaseURL: "https://register.example.se", CertFile: pki.certFile, KeyFile: pki.keyFile}, true},
		{"plain http", ClientConfig{BaseURL: "http://register.example.se", CertFile: pki.certFile, KeyFile: pki.keyFile}, false},
		{"no host", ClientConfig{BaseURL: "https://", CertFile: pki.certFile, KeyFile: pki.keyFile}, false},
		{"query", ClientConfig{BaseURL: "https://register.example.se/?x=1", CertFile: pki.certFile, KeyFile: pki.keyFile}, false},
		{"unparsable URL", ClientConfig{BaseURL: "https://[::1", CertFile: pki.certFile, KeyFile: pki.keyFile}, false},
		{"certificate without key", ClientConfig{BaseURL: "https://register.example.se", CertFile: pki.certFile}, false},
		{"missing certificate file", ClientConfig{BaseURL: "https://register.example.se", CertFile: "/nonexistent.pem", KeyFile: pki.keyFile}, false},
		{"key of another certificate", ClientConfig{BaseURL: "https://register.example.se", CertFile: pki.certFile, KeyFile: pki.otherKeyFile}, false},
		{"CA file without PEM", ClientConfig{BaseURL: "https://register.example.se", CAFile: notPEM}, false},
		{"negative timeout", ClientConfig{BaseURL: "https://register.example.se", Timeout: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("NewClient = %v, %v; want ok %v", c, err, tt.ok)
			}
			if err == nil {
				c.svc.CloseIdleConnections()
			}
		})
	}
}

func TestFormatPostalCode(t *testing.T) {
	for in, want := range map[string]string{"44130": "441 30", "441 30": "441 30", " 59135 ": "591 35", "4413": "4413", "SE-44130": "SE-44130", "": ""} {
		if got := formatPostalCode(in); got != want {
			t.Errorf("formatPostalCode(%q) = %q, want %q", in, got, want)
		}
	}
}

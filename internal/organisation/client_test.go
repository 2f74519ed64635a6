package organisation_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"encoding/pem"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/personnummer"
)

var (
	lars  = personnummer.MustParse("19680930-9898")
	karin = personnummer.MustParse("19850412-9829")
)

// fakeRegister is a companies register service over TLS that answers as the contract says, and
// checks each request follows it.
func fakeRegister(t *testing.T, answer func(w http.ResponseWriter, path string, body map[string]string)) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.URL.RawQuery != "" {
			t.Errorf("request %s %s %q", r.Method, r.URL, r.Header.Get("Content-Type"))
		}
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("decode: %v", err)
		}
		answer(w, strings.TrimPrefix(r.URL.Path, "/v1/"), body)
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

func company(number, name string, jointly int, signatories ...map[string]string) map[string]any {
	return map[string]any{"organisationNumber": number, "name": name, "signatories": signatories, "jointly": jointly}
}

func signatory(p personnummer.Number, name string) map[string]string {
	return map[string]string{"personalIdentityNumber": p.String(), "name": name}
}

func TestClient(t *testing.T) {
	srv, ca := fakeRegister(t, func(w http.ResponseWriter, path string, body map[string]string) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case path == "company/lookup" && body["organisationNumber"] == "5599000139":
			json.NewEncoder(w).Encode(company("5599000139", " Exempel Fastigheter AB ", 2, signatory(lars, "Lars Eriksson"), signatory(karin, "Karin Lindqvist")))
		case path == "company/lookup" && body["organisationNumber"] == "5599000121":
			json.NewEncoder(w).Encode(company("5599000139", "Another AB", 1)) // about another company
		case path == "company/lookup":
			http.NotFound(w, nil)
		case path == "signatory/lookup" && body["personalIdentityNumber"] == lars.String():
			json.NewEncoder(w).Encode(map[string]any{"companies": []any{
				company("5599000121", "Exempel Bygg AB", 0, signatory(lars, "Lars Eriksson")),
				company("5599000139", "Exempel Fastigheter AB", 2, signatory(karin, "Karin Lindqvist")), // does not name him: left out
			}})
		case path == "signatory/lookup":
			http.Error(w, "down", http.StatusBadGateway)
		}
	})
	c, err := organisation.NewClient(organisation.ClientConfig{BaseURL: srv.URL + "/v1", CAFile: ca, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := c.Company(ctx, "559900-0139")
	if err != nil {
		t.Fatal(err)
	}
	want := organisation.Organisation{Kind: organisation.Company, Number: "5599000139", Name: "Exempel Fastigheter AB", Jointly: 2,
		Signatories: []organisation.Signatory{{PersonalNumber: lars, Name: "Lars Eriksson"}, {PersonalNumber: karin, Name: "Karin Lindqvist"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(personnummer.Number{})); diff != "" {
		t.Errorf("company (-want +got):\n%s", diff)
	}
	if _, err := c.Company(ctx, "5599000121"); !errors.Is(err, organisation.ErrUnavailable) {
		t.Errorf("an answer about another company: %v", err)
	}
	if _, err := c.Company(ctx, "8025000012"); !errors.Is(err, organisation.ErrNotFound) {
		t.Errorf("no such company: %v", err)
	}
	list, err := c.SignatoryOf(ctx, lars)
	if err != nil || len(list) != 1 || list[0].Name != "Exempel Bygg AB" || list[0].Jointly != 1 {
		t.Errorf("Lars's companies: %+v, %v", list, err)
	}
	_, err = c.SignatoryOf(ctx, karin)
	if !errors.Is(err, organisation.ErrUnavailable) || strings.Contains(err.Error(), karin.String()) {
		t.Errorf("a register that is down: %v", err)
	}

	// Without the register's CA the server is not trusted; a plain http address is refused.
	untrusting, _ := organisation.NewClient(organisation.ClientConfig{BaseURL: srv.URL + "/v1"})
	if _, err := untrusting.Company(ctx, "5599000139"); !errors.Is(err, organisation.ErrUnavailable) {
		t.Errorf("an untrusted server: %v", err)
	}
	if _, err := organisation.NewClient(organisation.ClientConfig{BaseURL: "http://register.example.se"}); err == nil {
		t.Error("an http address was accepted")
	}
}

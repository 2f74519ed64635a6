package web_test

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// companiesRegister is a companies register service over TLS, as the client's contract has it,
// whose signatories a test changes: Exempel Bygg AB, signed for by whom signs holds.
type companiesRegister struct {
	mu    sync.Mutex
	signs map[string]string // personal identity number → name
	calls int
	down  bool // answers 503 to everything
}

func (f *companiesRegister) company() map[string]any {
	var list []map[string]string
	for pnr, name := range f.signs {
		list = append(list, map[string]string{"personalIdentityNumber": pnr, "name": name})
	}
	return map[string]any{"organisationNumber": "5599000121", "name": "Exempel Bygg AB", "signatories": list, "jointly": 1}
}

func (f *companiesRegister) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/company/lookup":
		if body["organisationNumber"] != "5599000121" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(f.company())
	case "/signatory/lookup":
		companies := []any{}
		if _, ok := f.signs[body["personalIdentityNumber"]]; ok {
			companies = append(companies, f.company())
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"companies": companies})
	default:
		http.NotFound(w, r)
	}
}

func (f *companiesRegister) set(signs map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.signs = signs
}

func (f *companiesRegister) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *companiesRegister) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// withCompaniesRegister points the portal's companies register client at f, served over TLS.
func withCompaniesRegister(t *testing.T, f *companiesRegister) webtest.Option {
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	key, cert := filepath.Join(dir, "client-key.pem"), filepath.Join(dir, "client-cert.pem")
	if _, err := auth.LoadKeyPair(key, cert, "minasidor", true); err != nil {
		t.Fatal(err)
	}
	return func(c *config.Config) {
		c.CompanyURL, c.CompanyCAFile, c.CompanyCertFile, c.CompanyKeyFile = srv.URL, ca, cert, key
	}
}

// Another current representative of a company opens its cases, not only sees them listed: Karin,
// a signatory of Exempel Bygg AB alongside Lars, reads the case Lars made for it, its receipt
// (page and PDF) and its files, with who acted, and cannot write on it; a stranger cannot; once
// the register no longer names her, neither can she. Lars's own page asks the register nothing.
func TestOrganisationCaseForRepresentatives(t *testing.T) {
	register := &companiesRegister{signs: map[string]string{"196809309898": "Lars Eriksson", "198504129829": "Karin Lindqvist"}}
	p := webtest.Start(t, withCompaniesRegister(t, register))
	lars := loggedIn(t, p, "signatory")
	karin := loggedIn(t, p, "adult")
	johan := loggedIn(t, p, "guardian1")

	if resp, _ := lars.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"company"}, "number": {"5599000121"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("act: status %d", resp.StatusCode)
	}
	draftID, loc := lars.start("ansokan-om-gravtillstand")
	lars.walk(loc, map[string]url.Values{
		"company": {"organisation_name": {"Exempel Bygg AB"}, "org_number": {"559900-0121"}, "contact.name": {"Lars Eriksson"},
			"contact.email": {"lars@exempelbygg.se"}, "contact.phone": {"070-111 22 33"}},
		"work": {"place.street": {"Kungsgatan 1"}, "place.postal_code": {"441 30"}, "place.city": {"Alingsås"},
			"description": {"Fiberkabel under trottoaren."}, "start": {time.Now().AddDate(0, 0, 14).Format("2006-01-02")}, "days": {"3"}},
	})
	caseID := lars.submit(draftID, nil)
	ref, _ := lars.receipt(caseID)
	var fileID string
	if err := p.Pool.QueryRow(context.Background(), `
		INSERT INTO upload (tenant_id, case_id, field_key, filename, content_type, size, sha256, data)
		SELECT tenant_id, id, 'plan', 'ritning.pdf', 'application/pdf', 4, sha256('%PDF'), '%PDF' FROM cases WHERE id = $1
		RETURNING id::text`, caseID).Scan(&fileID); err != nil {
		t.Fatal(err)
	}
	base := "/arenden/" + caseID

	own := lars.page(base)
	assertContains(t, "Lars's case page", own, "Gjort för", "Exempel Bygg AB (559900-0121)", `action="`+base+`/meddelanden"`)
	assertLacks(t, "Lars's case page", own, "Du ser ärendet som företrädare")

	if list := karin.page("/mina-sidor/organisationer/company/5599000121"); !strings.Contains(list, `href="`+base+`"`) {
		t.Errorf("the company's cases do not link to the case: %s", errorText(list))
	}
	calls := register.count()
	page := karin.page(base)
	if n := register.count() - calls; n != 1 {
		t.Errorf("Karin's case page asked the register %d times, want once", n)
	}
	assertContains(t, "Karin's case page", page, ref, "Exempel Bygg AB (559900-0121)", "av Lars Eriksson",
		"Du ser ärendet som företrädare för Exempel Bygg AB (559900-0121). Det gjordes av Lars Eriksson")
	assertLacks(t, "Karin's case page", page, `action="`+base+`/meddelanden"`, `action="`+base+`/komplettera"`, base+"/aterkalla")
	if resp, _ := karin.post(base+"/aterkalla", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("Karin withdrawing Lars's case: status %d, want 404", resp.StatusCode)
	}
	assertContains(t, "Karin's receipt", karin.page(base+"/kvitto"), ref)
	for _, path := range []string{base + "/kvitto.pdf", base + "/filer/" + fileID} {
		if resp, _ := karin.get(path); resp.StatusCode != http.StatusOK {
			t.Errorf("Karin: GET %s: status %d", path, resp.StatusCode)
		}
	}
	if resp, _ := karin.post(base+"/meddelanden", url.Values{"body": {"Hej"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("Karin writing on Lars's case: status %d, want 404", resp.StatusCode)
	}

	// While the register cannot answer, Karin is told so and to try again, not that the case is
	// not there; Lars's own case asks it nothing.
	register.setDown(true)
	for _, path := range []string{base, base + "/kvitto", base + "/kvitto.pdf", base + "/filer/" + fileID} {
		resp, body := karin.get(path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Vi kan inte fråga Bolagsverket just nu") || strings.Contains(body, ref) {
			t.Errorf("Karin, the register down: GET %s: status %d, want 503 and why: %s", path, resp.StatusCode, errorText(body))
		}
	}
	assertContains(t, "Lars's case page, the register down", lars.page(base), ref)
	register.setDown(false)

	// A stranger, and Karin once the register no longer names her, find nothing.
	register.set(map[string]string{"196809309898": "Lars Eriksson"})
	for name, b := range map[string]*esBrowser{"Johan": johan, "Karin, no longer a signatory": karin} {
		for _, path := range []string{base, base + "/kvitto", base + "/kvitto.pdf", base + "/filer/" + fileID} {
			resp, body := b.get(path)
			if resp.StatusCode != http.StatusNotFound || strings.Contains(body, ref) {
				t.Errorf("%s: GET %s: status %d, want 404", name, path, resp.StatusCode)
			}
		}
	}
	assertContains(t, "Lars's case page", lars.page(base), ref)
}

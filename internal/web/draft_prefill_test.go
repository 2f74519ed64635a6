package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A logged-in citizen's draft starts with their own details where the form asks for them, and a
// protected identity's address is never among them.
func TestDraftPrefilledFromAccount(t *testing.T) {
	p := webtest.Start(t)
	tests := []struct {
		person string
		want   []string
	}{
		{"adult", []string{`value="Karin Lindqvist"`, `value="19850412-9829"`, `value="Kungsgatan 12"`, `value="441 30"`}},
		{"protected", []string{`value="Sara Nyström"`, `value="19900723-9842"`, `name="applicant_address.street" type="text" value=""`}},
	}
	for _, tt := range tests {
		t.Run(tt.person, func(t *testing.T) {
			c := p.Client(t)
			p.Login(t, c, tt.person, "/mina-sidor")
			resp := p.Do(t, c, "POST", "/e-tjanster/ansokan-om-bygglov/starta", nil)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("start: %d", resp.StatusCode)
			}
			draft := strings.TrimSuffix(resp.Header.Get("Location"), "/steg/property")
			page := webtest.ReadBody(t, p.Do(t, c, "GET", draft+"/steg/applicant", nil))
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("the applicant step lacks %s", w)
				}
			}
		})
	}
}

// The login-optional school transport form fills in the logged-in guardian's name, not only their
// e-mail address and phone number.
func TestSchoolTransportPrefillsGuardianName(t *testing.T) {
	p := webtest.Start(t)
	guardian := loggedIn(t, p, "guardian1")
	draftID, _ := guardian.start("ansokan-om-skolskjuts")
	var name string
	if err := p.Pool.QueryRow(t.Context(), `SELECT coalesce(answers->'guardian_name'->>0, '') FROM draft WHERE id = $1`, draftID).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Johan Bergström" {
		t.Errorf("the guardian's name is prefilled as %q, want Johan Bergström", name)
	}
}

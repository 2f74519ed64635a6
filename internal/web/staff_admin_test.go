package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A municipality admin adds staff, assigns them to e-services and removes them; each change is
// recorded, and nobody else may make it.
func TestStaffAdmin(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	assertContains(t, "admin page", maria.page("/personal/admin/personal"), "Personal och behörigheter", "Anna Handläggare", "Lägg till personal")

	resp, body := maria.post("/personal/admin/personal", url.Values{"employee_id": {"ali 77"}, "name": {""}, "unit": {"Kultur"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	assertContains(t, "refused form", body, "Det finns fel i formuläret", "Skriv namnet.", "Välj minst en roll.", `value="ali 77"`, `value="Kultur"`)

	resp, _ = maria.post("/personal/admin/personal", url.Values{"employee_id": {"ali-1077"}, "name": {"Kim Kultur"}, "unit": {"Kultur"}, "roles": {"caseworker"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if resp, body := maria.post("/personal/admin/personal", url.Values{"employee_id": {"ali-1077"}, "name": {"Kim"}, "roles": {"caseworker"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "finns redan") {
		t.Errorf("the same employee id twice: %d", resp.StatusCode)
	}
	var kim, eservice string
	p.Pool.QueryRow(t.Context(), `SELECT id::text FROM staff WHERE employee_id = 'ali-1077'`).Scan(&kim)
	p.Pool.QueryRow(t.Context(), `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = 'anmalan-till-kulturskola'`).Scan(&eservice)
	if resp, _ := maria.post("/personal/admin/personal/"+kim+"/etjanster", url.Values{"etjanst": {eservice}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_handler WHERE staff_id = $1`, kim); n != 1 {
		t.Errorf("%d assignments", n)
	}
	if resp, _ := maria.post("/personal/admin/personal/"+kim+"/ta-bort", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM staff WHERE id = $1 AND NOT active`, kim); n != 1 {
		t.Error("the removed staff member is still active")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE target = 'ali-1077'`); n != 3 {
		t.Errorf("%d admin events, want 3 (added, assigned, removed)", n)
	}
	assertContains(t, "the municipality's history", maria.page("/personal/admin/kommun"), "Maria Admin: Lade till personal (ali-1077)", "Tog bort personal (ali-1077)")
	if _, err := p.Pool.Exec(t.Context(), `DELETE FROM admin_event`); err == nil {
		t.Error("the admin log could be deleted")
	}

	// Nobody but a municipality admin gets the pages.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, _ := anna.get("/personal/admin/personal"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker at the admin page: %d", resp.StatusCode)
	}
	if resp, _ := anna.post("/personal/admin/personal", url.Values{"employee_id": {"x"}, "name": {"X"}, "roles": {"municipality_admin"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker adding staff: %d", resp.StatusCode)
	}
	citizen := loggedIn(t, p, "adult")
	if resp, _ := citizen.get("/personal/admin/personal"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("citizen at the admin page: %d", resp.StatusCode)
	}
}

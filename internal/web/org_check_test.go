package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// An e-service that requires a caseworker to check an association's representative: the case
// page shows the declared representative and role, unchecked, and the case cannot be closed; the
// caseworker confirms it (recorded on the declaration, in the admin log and on the timeline), and
// the confirmation counts for the person's later cases for the association. Another person's
// representation is refused: they are told, can no longer act for the association, and the choice
// page says why.
func TestOrganisationCheckedRepresentative(t *testing.T) {
	p := webtest.Start(t)
	if _, err := p.Pool.Exec(t.Context(), `UPDATE eservice SET association_check = true WHERE slug = 'felanmalan-gatubelysning'`); err != nil {
		t.Fatal(err)
	}
	karin := loggedIn(t, p, "adult")
	johan := loggedIn(t, p, "guardian1")
	anna := staffBrowser(t, p, "caseworker-alingsas")
	club := url.Values{"org_number": {"802500-0012"}, "org_name": {"Mjörns båtklubb"}}
	actForClub := func(b *esBrowser, role string) {
		t.Helper()
		form := url.Values{"role": {role}}
		for k, v := range club {
			form[k] = v
		}
		if resp, _ := b.post("/mina-sidor/organisationer/forening", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("declare: status %d", resp.StatusCode)
		}
		if resp, _ := b.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("act for the club: status %d", resp.StatusCode)
		}
	}
	closeCase := func(caseID string) (*http.Response, string) {
		return anna.post("/personal/arenden/"+caseID+"/avsluta", url.Values{"text": {"Lyktan är lagad."}, "confirm": {"1"}})
	}

	actForClub(karin, "ordförande")
	first := csSubmitStreetLighting(karin, nil, nil)
	casePage := "/personal/arenden/" + first
	page := anna.page(casePage)
	assertContains(t, "caseworker's page", page, "kontrolleras av handläggaren", "Föreningens företrädare", "Mjörns båtklubb (802500-0012)", "Karin Lindqvist", "ordförande",
		"Företrädaren är inte kontrollerad", `action="`+casePage+`/foretradare"`, `value="confirm"`, `value="refuse"`)
	assertContains(t, "the applicant's page, unchecked", karin.page("/arenden/"+first),
		"En handläggare kontrollerar att du företräder föreningen innan ärendet avgörs.")
	resp, body := closeCase(first)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Ärendet kan inte avslutas förrän föreningens företrädare är godkänd.") {
		t.Fatalf("closing unchecked: status %d: %s", resp.StatusCode, errorText(body))
	}
	karin.post(casePage+"/foretradare", url.Values{"decision": {"confirm"}}) // a citizen is sent to the staff's login
	if n := dbInt(t, p, `SELECT count(*) FROM association_representative WHERE checked_at IS NOT NULL`); n != 0 {
		t.Errorf("a citizen checked the representation")
	}
	if resp, _ := anna.post(casePage+"/foretradare", url.Values{"decision": {"maybe"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown decision: status %d, want 400", resp.StatusCode)
	}
	resp, _ = anna.post(casePage+"/foretradare", url.Values{"decision": {"confirm"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	page = anna.page(resp.Header.Get("Location"))
	assertContains(t, "confirmed", page, "Företrädaren är godkänd.", "Godkänd som företrädare av Anna", "Föreningens företrädare godkänd")
	assertLacks(t, "confirmed", page, `value="refuse"`)
	assertLacks(t, "the applicant's page, confirmed", karin.page("/arenden/"+first), "kontrollerar att du företräder", "inte godtagit")
	if got := dbString(t, p, `SELECT checked_by || ':' || refused || ':' || (checked_case::text = $1)
		FROM association_representative r JOIN account a ON a.id = r.account_id WHERE a.personal_number = '198504129829'`, first); !strings.HasPrefix(got, "Anna") || !strings.HasSuffix(got, ":false:true") {
		t.Errorf("the declaration's check: %s", got)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'representation_confirmed' AND target = (SELECT reference FROM cases WHERE id = $1)`, first); n != 1 {
		t.Errorf("%d records of the confirmation, want 1", n)
	}
	assertContains(t, "Karin's timeline", karin.page("/arenden/"+first), "Föreningens företrädare godkänd")
	if resp, body := anna.post(casePage+"/foretradare", url.Values{"decision": {"refuse"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Företrädaren är redan kontrollerad.") {
		t.Errorf("a second check: status %d", resp.StatusCode)
	}
	if resp, body := closeCase(first); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("closing once confirmed: status %d: %s", resp.StatusCode, errorText(body))
	}

	// Karin's next case for the club is not asked again.
	second := csSubmitStreetLighting(karin, nil, nil)
	page = anna.page("/personal/arenden/" + second)
	assertContains(t, "a later case", page, "Godkänd som företrädare av Anna", "Kontrollen gjordes i ett tidigare ärende")
	assertLacks(t, "a later case", page, `value="confirm"`)
	if resp, body := closeCase(second); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("closing a later case: status %d: %s", resp.StatusCode, errorText(body))
	}

	// Johan declares himself the club's representative too; the caseworker refuses him.
	actForClub(johan, "kassör")
	third := csSubmitStreetLighting(johan, nil, nil)
	assertContains(t, "Johan's case", anna.page("/personal/arenden/"+third), "Johan Bergström", "kassör", "Företrädaren är inte kontrollerad")
	resp, _ = anna.post("/personal/arenden/"+third+"/foretradare", url.Values{"decision": {"refuse"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: status %d", resp.StatusCode)
	}
	assertContains(t, "refused", anna.page(resp.Header.Get("Location")), "Företrädaren är underkänd", "Underkänd som företrädare av Anna")
	assertContains(t, "the applicant's page, refused", johan.page("/arenden/"+third),
		"En handläggare har inte godtagit att du företräder föreningen Mjörns båtklubb (802500-0012).")
	if n := dbInt(t, p, `SELECT count(*) FROM notice n JOIN account a ON a.id = n.account_id
		WHERE n.kind = 'representation_refused' AND n.case_id = $1 AND a.personal_number = '198211039873'`, third); n != 1 {
		t.Errorf("%d notices of the refusal to Johan, want 1", n)
	}
	if resp, body := closeCase(third); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "förrän föreningens företrädare är godkänd") {
		t.Errorf("closing a refused representation's case: status %d", resp.StatusCode)
	}
	resp, body = johan.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "En handläggare har underkänt dig som företrädare för föreningen") {
		t.Errorf("Johan acting for the club: status %d: %s", resp.StatusCode, errorText(body))
	}
	choices := johan.page("/mina-sidor/organisationer")
	assertContains(t, "Johan's choices", choices, "Mjörns båtklubb", "underkänd som företrädare", "Du kan inte längre företräda den")
	if strings.Contains(choices, `name="number" value="8025000012"`) {
		t.Errorf("Johan is still offered to act for the club")
	}
	if resp, _ := johan.post("/mina-sidor/organisationer/forening", url.Values{"org_number": {"802500-0012"}, "org_name": {"Mjörns båtklubb"}, "role": {"ordförande"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Johan declaring the club again: status %d, want 403", resp.StatusCode)
	}
	// Karin's confirmed representation stands.
	if resp, _ := karin.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("Karin acting for the club: status %d", resp.StatusCode)
	}
}

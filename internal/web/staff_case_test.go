package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// staffBrowser is a browser logged in as a test staff member.
func staffBrowser(t *testing.T, p *webtest.Portal, key string) *esBrowser {
	t.Helper()
	b := newBrowser(t, p)
	if resp := staffLogin(t, p, b.c, key); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff login %s: %d", key, resp.StatusCode)
	}
	return b
}

// The caseworker's loop over HTTP: the queue, reading (recorded and shown to the citizen),
// assigning, a message, an internal note the citizen never sees, a supplement, and the decision.
func TestCaseworkerLoop(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := citizen.submit(draftID, nil)
	ref, _ := citizen.receipt(caseID)

	anna := staffBrowser(t, p, "caseworker-alingsas")
	assertLacks(t, "mine before assigning", anna.page("/personal/arenden"), ref)
	assertContains(t, "unassigned", anna.page("/personal/arenden?flik=unassigned"), ref, "Karin Lindqvist")

	casePage := "/personal/arenden/" + caseID
	assertContains(t, "staff case page", anna.page(casePage), ref, "Kungsgatan 12", "19850412-9829")
	assertContains(t, "citizen sees who read", citizen.page("/arenden/"+caseID), "Vem har läst ditt ärende", "Anna Handläggare, Samhällsbyggnad")

	act := func(action string, form url.Values) {
		t.Helper()
		resp, body := anna.post(casePage+"/"+action, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d: %s", action, resp.StatusCode, errorText(body))
		}
	}
	act("tilldela", url.Values{"till": {"mig"}})
	assertContains(t, "mine after assigning", anna.page("/personal/arenden"), ref)
	act("meddelande", url.Values{"text": {"Vilken stolpe gäller det?"}})
	act("anteckning", url.Values{"text": {"Hemlig intern anteckning"}})
	page := citizen.page("/arenden/" + caseID)
	assertContains(t, "citizen case page", page, "Vilken stolpe gäller det?")
	assertLacks(t, "citizen case page", page, "Hemlig intern anteckning", "Intern anteckning")
	assertContains(t, "staff case page", anna.page(casePage), "Hemlig intern anteckning", "fördelade ärendet till Anna Handläggare")

	if resp, body := anna.post(casePage+"/anteckning", url.Values{"text": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Skriv en anteckning.") {
		t.Errorf("empty note: %d", resp.StatusCode)
	}

	act("komplettering", url.Values{"text": {"Ange stolpens nummer."}})
	assertContains(t, "citizen asked", citizen.page("/arenden/"+caseID), "Ange stolpens nummer.", "Komplettera ärendet")

	act("avsluta", url.Values{"text": {"Lyktan är lagad."}, "confirm": {"1"}})
	page = citizen.page("/arenden/" + caseID)
	assertContains(t, "citizen after closing", page, "Beslut", "Lyktan är lagad.", "Avslutat")
	assertContains(t, "closed tab", anna.page("/personal/arenden?flik=closed"), ref)
	if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND what = 'case'`, caseID); n != 3 { // Anna opened the case page twice, and saw it again with the refused note
		t.Errorf("%d audit records of reading the case", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE case_id = $1 AND kind IN ('new_message', 'supplement_requested', 'case_closed')`, caseID); n != 3 {
		t.Errorf("%d notices of the caseworker's actions, want 3", n)
	}
}

// Who may see a case: the caseworkers of its e-service in its municipality; a restricted
// caseworker only once it is assigned to them; never an e-service admin by that role alone,
// another municipality's caseworker, or a citizen.
func TestCaseworkerAccess(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := uuid.MustParse(citizen.submit(draftID, nil))
	ctx := context.Background()
	cases := casework.NewStore(p.Pool, p.Notices)
	members := staff.NewStore(p.Pool)
	member := func(employee string) staff.Member {
		var id uuid.UUID
		if err := p.Pool.QueryRow(ctx, `SELECT id FROM staff WHERE employee_id = $1`, employee).Scan(&id); err != nil {
			t.Fatal(err)
		}
		m, err := members.ByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		m.Groups = map[string][]string{"ali-1001": {"ali-handlaggare"}, "ali-1002": {"ali-handlaggare"}, "mot-2001": {"mot-handlaggare"}}[employee]
		return m
	}
	anna, rebecka, erik, mikael := member("ali-1001"), member("ali-1002"), member("ali-1003"), member("mot-2001")
	for _, tt := range []struct {
		who  staff.Member
		sees bool
	}{{anna, true}, {rebecka, false}, {erik, false}, {mikael, false}} {
		_, err := cases.ForCaseworker(ctx, tt.who, caseID)
		if sees := err == nil; sees != tt.sees {
			t.Errorf("%s sees the case: %v (err %v), want %v", tt.who.Name, sees, err, tt.sees)
		}
	}
	if err := cases.Assign(ctx, anna, caseID, rebecka.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := cases.ForCaseworker(ctx, rebecka, caseID); err != nil {
		t.Errorf("the restricted caseworker does not see the case assigned to her: %v", err)
	}

	// Over HTTP: the e-service admin gets not found; a citizen is sent to the staff login.
	erikB := staffBrowser(t, p, "eservice-admin-alingsas")
	if resp, _ := erikB.get("/personal/arenden/" + caseID.String()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("e-service admin at the case: %d", resp.StatusCode)
	}
	if resp, _ := citizen.get("/personal/arenden/" + caseID.String()); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("citizen at the staff case page: %d", resp.StatusCode)
	}
	if resp, _ := citizen.post("/personal/arenden/"+caseID.String()+"/avsluta", url.Values{"text": {"x"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("citizen closing a case: %d", resp.StatusCode)
	}
}

// A caseworker sets one of the e-service's statuses with a message; a case past its status's
// handling time is overdue.
func TestCaseStatusesAndOverdue(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := citizen.submit(draftID, nil)
	ref, _ := citizen.receipt(caseID)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	casePage := "/personal/arenden/" + caseID

	assertContains(t, "status choices", anna.page(casePage), `<option value="inkommen" selected>Inkommen</option>`, `<option value="under_handlaggning">Under handläggning</option>`)
	assertLacks(t, "status choices", anna.page(casePage), `value="avslutat"`)
	if resp, body := anna.post(casePage+"/status", url.Values{"status": {"avslutat"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Välj en av e-tjänstens statusar") {
		t.Errorf("closing through the status form: %d", resp.StatusCode)
	}
	if resp, _ := anna.post(casePage+"/status", url.Values{"status": {"under_handlaggning"}, "text": {"Vi har börjat."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set status: %d", resp.StatusCode)
	}
	assertContains(t, "citizen after the status", citizen.page("/arenden/"+caseID), "Under handläggning", "Status ändrad till Under handläggning", "Vi har börjat.")
	if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE case_id = $1 AND kind = 'status_changed'`, caseID); n != 1 {
		t.Errorf("%d status notices", n)
	}
	// Karin has chosen no channel: the status's notice and the message's are written as not sent,
	// with no delivery job, in the change's transaction.
	if n := dbInt(t, p, `SELECT count(*) FROM notice WHERE case_id = $1 AND kind IN ('status_changed', 'new_message')
		AND skipped_reason = 'no_channel'`, caseID); n != 2 {
		t.Errorf("%d of the change's notices skipped for want of a channel, want 2", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM river_job WHERE kind = 'notify_deliver'
		AND (args ->> 'notice_id')::uuid IN (SELECT id FROM notice WHERE case_id = $1)`, caseID); n != 0 {
		t.Errorf("%d delivery jobs for the case's notices", n)
	}

	assertLacks(t, "overdue before", anna.page("/personal/arenden?flik=overdue"), ref)
	if _, err := p.Pool.Exec(context.Background(), `UPDATE cases SET status_changed_at = now() - interval '21 days' WHERE id = $1`, caseID); err != nil {
		t.Fatal(err)
	}
	// Twenty-one days in a status whose handling time is twenty: the case's due date (kept by the
	// database) moves with the time it took the status.
	assertContains(t, "overdue after 21 days", anna.page("/personal/arenden?flik=overdue"), ref)

	// A longer handling time for the status moves the due date of the cases in it, and a shorter
	// one moves it back; a closed case is never overdue.
	var eserviceID, statusID uuid.UUID
	if err := p.Pool.QueryRow(context.Background(), `SELECT c.eservice_id, s.id FROM cases c
		JOIN eservice_status s ON s.eservice_id = c.eservice_id AND s.key = c.status_key WHERE c.id = $1`, caseID).Scan(&eserviceID, &statusID); err != nil {
		t.Fatal(err)
	}
	statuses := eservice.NewStore(p.Pool)
	admin := p.StaffMember(t, "ali-1003").Actor()
	label := form.Text{"sv": "Under handläggning", "en": "Being handled"}
	for _, step := range []struct {
		days    int
		overdue bool
	}{{30, false}, {0, false}, {14, true}} {
		if err := statuses.UpdateStatus(t.Context(), admin, eserviceID, statusID, eservice.StatusInput{Label: label, Type: "in_progress", HandlingDays: step.days}); err != nil {
			t.Fatal(err)
		}
		if queue := anna.page("/personal/arenden?flik=overdue"); strings.Contains(queue, ref) != step.overdue {
			t.Errorf("handling time %d days: overdue %v, want %v", step.days, !step.overdue, step.overdue)
		}
	}
	if err := casework.NewStore(p.Pool, p.Notices).Close(t.Context(), p.StaffMember(t, "ali-1001"), uuid.MustParse(caseID), "Klart."); err != nil {
		t.Fatal(err)
	}
	assertLacks(t, "overdue when closed", anna.page("/personal/arenden?flik=overdue"), ref)
}

// A message template fills the message field, without JavaScript.
func TestMessageTemplate(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := citizen.submit(draftID, nil)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	page := anna.page("/personal/arenden/" + caseID)
	assertContains(t, "templates", page, "Meddelandemall", "Vi har börjat handlägga", "Behöver mer information")
	var id string
	if err := p.Pool.QueryRow(context.Background(), `SELECT t.id::text FROM eservice_message_template t JOIN cases c ON c.eservice_id = t.eservice_id WHERE c.id = $1 AND t.title = 'Vi har börjat handlägga'`, caseID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "chosen template", anna.page("/personal/arenden/"+caseID+"?mall="+id), ">Hej! Vi har tagit emot ditt ärende och börjat handlägga det.")
}

// The queue's search finds by name and answer text; the search is recorded without its terms.
func TestQueueSearch(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := citizen.submit(draftID, nil)
	ref, _ := citizen.receipt(caseID)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	for _, q := range []string{"Lindqvist", "busshållplatsen", "19850412-9829", strings.ToLower(ref)} {
		assertContains(t, "search "+q, anna.page("/personal/arenden?sok="+url.QueryEscape(q)), ref)
	}
	assertLacks(t, "search for nobody", anna.page("/personal/arenden?sok=Nyström"), ref)
	if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE what = 'search' AND detail = ''`); n != 5 {
		t.Errorf("%d search records, want 5", n)
	}
}

// The queue filters by status and submission date, and sorts oldest first.
func TestQueueFilters(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	var refs []string
	for range 2 {
		draftID, loc := citizen.start("felanmalan-gatubelysning")
		citizen.walk(loc, streetLightingSteps())
		ref, _ := citizen.receipt(citizen.submit(draftID, nil))
		refs = append(refs, ref)
	}
	if _, err := p.Pool.Exec(t.Context(), `UPDATE cases SET submitted_at = '2026-01-15 10:00+01' WHERE reference = $1`, refs[0]); err != nil {
		t.Fatal(err)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	page := anna.page("/personal/arenden?flik=active&fran=2026-01-01&till=2026-01-31")
	assertContains(t, "January", page, refs[0])
	assertLacks(t, "January", page, refs[1])
	page = anna.page("/personal/arenden?flik=active&sortera=aldsta")
	if strings.Index(page, refs[0]) > strings.Index(page, refs[1]) {
		t.Error("oldest first is not oldest first")
	}
	assertLacks(t, "status filter", anna.page("/personal/arenden?flik=active&status=under_handlaggning"), refs[0])
	assertContains(t, "status filter", anna.page("/personal/arenden?flik=active&status=inkommen"), refs[0], refs[1])
}

// A case can be assigned to another caseworker of its e-service, and to nobody else.
func TestAssignToAnotherCaseworker(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	citizen.walk(loc, streetLightingSteps())
	caseID := citizen.submit(draftID, nil)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	casePage := "/personal/arenden/" + caseID
	page := anna.page(casePage)
	assertContains(t, "assignees", page, ">Rebecka Ring</option>", ">Anna Handläggare</option>")
	assertLacks(t, "assignees", page, ">Erik Förvaltare</option>", ">Mikael Mattsson</option>")
	var rebecka, erik string
	p.Pool.QueryRow(t.Context(), `SELECT id::text FROM staff WHERE employee_id = 'ali-1002'`).Scan(&rebecka)
	p.Pool.QueryRow(t.Context(), `SELECT id::text FROM staff WHERE employee_id = 'ali-1003'`).Scan(&erik)
	if resp, _ := anna.post(casePage+"/tilldela", url.Values{"till": {rebecka}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign to Rebecka: %d", resp.StatusCode)
	}
	assertContains(t, "after assigning", anna.page(casePage), `<p class="assignee">Rebecka Ring</p>`)
	if resp, body := anna.post(casePage+"/tilldela", url.Values{"till": {erik}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "kan bara fördelas") {
		t.Errorf("assign to the e-service admin: %d", resp.StatusCode)
	}
	rebeckaB := staffBrowser(t, p, "restricted-alingsas")
	if resp, _ := rebeckaB.get(casePage); resp.StatusCode != http.StatusOK {
		t.Errorf("the restricted caseworker does not see the case assigned to her: %d", resp.StatusCode)
	}
}

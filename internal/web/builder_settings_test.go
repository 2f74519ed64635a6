package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The pages of an e-service's settings, statuses, message templates, caseworkers and notice texts,
// through the real server and PostgreSQL, as an e-service admin (Erik of Alingsås) uses them.

// bsEService returns the id of a municipality's e-service by its address.
func bsEService(t *testing.T, p *webtest.Portal, tenant, slug string) string {
	t.Helper()
	var id string
	if err := p.Pool.QueryRow(context.Background(), `
		SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = $1 AND e.slug = $2`, tenant, slug).Scan(&id); err != nil {
		t.Fatalf("e-service %s/%s: %v", tenant, slug, err)
	}
	return id
}

// bsSettingsForm is the settings form of the e-service as stored, as the settings page fills it.
func bsSettingsForm(t *testing.T, p *webtest.Portal, id string) url.Values {
	t.Helper()
	e, err := eservice.NewStore(p.Pool).ByID(context.Background(), uuid.MustParse(id))
	if err != nil {
		t.Fatal(err)
	}
	f := url.Values{"title_sv": {e.Title["sv"]}, "title_en": {e.Title["en"]}, "description_sv": {e.Description["sv"]},
		"description_en": {e.Description["en"]}, "slug": {e.Slug}, "category": {e.Category}, "audience": e.Audience,
		"login_rule": {e.LoginRule}, "once_only": {e.OnceOnly}, "once_only_field": {e.OnceOnlyField},
		"external_url": {e.ExternalURL}, "retention_months": {strconv.Itoa(e.RetentionMonths)}}
	if e.AnonymousAllowed {
		f.Set("anonymous_allowed", "yes")
	}
	for _, part := range eservice.PrivacyParts {
		f.Set("privacy_"+part+"_sv", (*e.Privacy.Part(part))["sv"])
		f.Set("privacy_"+part+"_en", (*e.Privacy.Part(part))["en"])
	}
	return f
}

// bsChanges counts the recorded changes of the e-service with the action.
func bsChanges(t *testing.T, p *webtest.Portal, id, action string) int {
	t.Helper()
	return dbInt(t, p, `SELECT count(*) FROM admin_event WHERE eservice_id = $1 AND action = $2`, id, action)
}

// bsRedirect checks that a post answered with a redirect to the page with the confirmation.
func bsRedirect(t *testing.T, what string, resp *http.Response, body, to string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: status %d, want 303: %s", what, resp.StatusCode, errorText(body))
	}
	if got := resp.Header.Get("Location"); got != to {
		t.Errorf("%s: redirected to %q, want %q", what, got, to)
	}
}

func bsRefused(t *testing.T, what string, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d: %s", what, resp.StatusCode, status, errorText(body))
	}
}

// Settings: the page shows what is stored; a valid change is stored, shown and recorded with the
// names of the settings changed; a refused one comes back with the messages at the inputs and
// what was typed, and stores and records nothing.
func TestBuilderSettings(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	page := "/personal/etjanster/" + id + "/installningar"

	body := erik.page(page)
	assertContains(t, "settings page", body, "Anmälan till kulturskola", "Inställningar", `value="Register for the school of arts"`,
		`value="anmalan-till-kulturskola" readonly`, "adressen kan inte ändras längre",
		`<option value="child_personal_number" selected>Barnets personnummer (personnummer)</option>`,
		`<option value="culture" selected>Kultur och fritid</option>`, "Kultur- och fritidsnämnden i Alingsås kommun",
		`name="login_rule" value="required" checked`, `name="retention_months" type="number" value=""`)

	f := bsSettingsForm(t, p, id)
	f.Set("title_en", "Register for the School of Arts")
	f.Set("description_sv", "Anmäl ditt barn till Kulturskolan.")
	f["audience"] = []string{"private", "association"}
	f.Set("retention_months", "36")
	resp, body := erik.post(page, f)
	bsRedirect(t, "valid settings", resp, body, page+"?klart=settings")
	body = erik.page(page + "?klart=settings")
	assertContains(t, "saved settings", body, "Inställningarna är sparade.", `value="Register for the School of Arts"`,
		"Anmäl ditt barn till Kulturskolan.</textarea>", `value="36"`, `name="audience" value="association" checked`)
	if n := dbInt(t, p, `SELECT retention_months FROM eservice WHERE id = $1`, id); n != 36 {
		t.Errorf("retention %d months", n)
	}
	var changed string
	p.Pool.QueryRow(context.Background(), `SELECT detail ->> 'changed' FROM admin_event WHERE eservice_id = $1 AND action = 'eservice_settings_changed'`, id).Scan(&changed)
	if changed != `["title", "description", "audience", "retention_months"]` {
		t.Errorf("recorded changes %s", changed)
	}
	assertContains(t, "the overview's history", erik.page("/personal/etjanster/"+id), "Ändrade inställningarna")

	// Refused: the messages at the inputs, and what was typed.
	bad := bsSettingsForm(t, p, id)
	bad.Set("title_sv", " ")
	bad.Set("description_sv", "Ny text som inte ska sparas")
	bad.Set("anonymous_allowed", "yes")
	bad.Set("slug", "kulturskolan")
	bad.Set("external_url", "http://kultur.alingsas.se")
	bad.Set("retention_months", "tre år")
	bad.Set("once_only", "email")
	bad.Del("audience")
	bad.Set("privacy_controller_sv", "")
	resp, body = erik.post(page, bad)
	bsRefused(t, "refused settings", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused settings", body, "Det finns fel i formuläret",
		`href="#title_sv"`, "Skriv e-tjänstens namn på svenska.",
		`href="#anonymous_allowed"`, "Anonyma ärenden går inte när inloggning krävs.",
		`href="#slug"`, "Adressen kan inte ändras, eftersom e-tjänsten har publicerats.",
		`href="#external_url"`, "Skriv en hel adress som börjar med https://",
		`href="#retention_months"`, "Skriv ett antal månader, ett heltal mellan 1 och 1200.",
		`href="#audience"`, "Välj minst en grupp som e-tjänsten är till för.",
		`href="#once_only_field"`, "Fältet är inte av samma slag som regeln.",
		`href="#privacy_controller_sv"`, "Skriv den här delen av informationen om personuppgifter på svenska.",
		`id="retention_months-error"`, `aria-invalid="true"`,
		"Ny text som inte ska sparas</textarea>", `value="tre år"`, `value="http://kultur.alingsas.se"`,
		`name="anonymous_allowed" value="yes" checked`, `<option value="email" selected>`)
	if n := dbInt(t, p, `SELECT retention_months FROM eservice WHERE id = $1`, id); n != 36 {
		t.Errorf("a refused form was stored: retention %d", n)
	}
	if n := bsChanges(t, p, id, "eservice_settings_changed"); n != 1 {
		t.Errorf("%d changes recorded, want 1", n)
	}

	// A draft e-service's address may change.
	resp, _ = erik.post("/personal/etjanster", url.Values{"title": {"Ansökan om kanotplats"}, "category": {"culture"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	draft := bsEService(t, p, "alingsas", "ansokan-om-kanotplats")
	assertContains(t, "a draft's settings", erik.page("/personal/etjanster/"+draft+"/installningar"), "Adressen kan bara ändras så länge")
	f = bsSettingsForm(t, p, draft)
	f.Set("slug", "kanotplats")
	f.Set("retention_months", "12")
	for _, part := range eservice.PrivacyParts {
		f.Set("privacy_"+part+"_sv", "Om "+part)
	}
	resp, body = erik.post("/personal/etjanster/"+draft+"/installningar", f)
	bsRedirect(t, "a draft's new address", resp, body, "/personal/etjanster/"+draft+"/installningar?klart=settings")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice WHERE id = $1 AND slug = 'kanotplats'`, draft); n != 1 {
		t.Error("the new address was not stored")
	}
}

// Statuses: added with a key from the label, changed, moved and removed; refusals come back with
// their messages; the queue's status filter lists the e-services' own statuses.
func TestBuilderSettingsStatuses(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	page := "/personal/etjanster/" + id + "/statusar"
	statusID := func(key string) string {
		t.Helper()
		var s string
		if err := p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice_status WHERE eservice_id = $1 AND key = $2`, id, key).Scan(&s); err != nil {
			t.Fatalf("status %s: %v", key, err)
		}
		return s
	}
	order := func() string {
		t.Helper()
		var s string
		p.Pool.QueryRow(context.Background(), `SELECT string_agg(key, ',' ORDER BY position) FROM eservice_status WHERE eservice_id = $1`, id).Scan(&s)
		return s
	}

	assertContains(t, "statuses page", erik.page(page), "Statusar", "Inkommen", "Under handläggning", "Väntar på komplettering",
		"Avslutat", "Received", "5 dagar", "Statusens nyckel är inkommen.", "Lägg till en status")

	resp, body := erik.post(page, url.Values{"label_sv": {"Väntar på beslut"}, "label_en": {"Awaiting a decision"}, "type": {"in_progress"}, "handling_days": {"10"}})
	bsRedirect(t, "add", resp, body, page+"?klart=statusadded")
	assertContains(t, "after adding", erik.page(page+"?klart=statusadded"), "Statusen är tillagd.", "Väntar på beslut", "Awaiting a decision", "10 dagar",
		"Statusens nyckel är vantar_pa_beslut.")
	if got := order(); got != "inkommen,under_handlaggning,vantar_komplettering,avslutat,vantar_pa_beslut" {
		t.Errorf("order %s", got)
	}

	// The queue's status filter offers it to the caseworkers of the e-service.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	assertContains(t, "queue filter", anna.page("/personal/arenden?flik=active"), `<option value="vantar_pa_beslut"`, `<option value="inkommen"`)

	resp, body = erik.post(page, url.Values{"label_sv": {""}, "label_en": {"Nothing"}, "type": {"later"}, "handling_days": {"tio"}})
	bsRefused(t, "refused add", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused add", body, `href="#new-label_sv"`, "Skriv statusens namn på svenska.", `href="#new-type"`, "Välj en typ.",
		`href="#new-handling_days"`, "Skriv handläggningstiden som ett heltal", `value="tio"`, `value="Nothing"`)

	sid := statusID("vantar_pa_beslut")
	resp, body = erik.post(page+"/"+sid, url.Values{"label_sv": {"Hos nämnden"}, "label_en": {""}, "type": {"in_progress"}, "handling_days": {""}})
	bsRedirect(t, "change", resp, body, page+"?klart=statussaved")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_status WHERE id = $1 AND label = '{"sv": "Hos nämnden"}' AND handling_days IS NULL AND key = 'vantar_pa_beslut'`, sid); n != 1 {
		t.Error("the change was not stored, or the key changed")
	}
	resp, body = erik.post(page+"/"+sid, url.Values{"label_sv": {"Hos nämnden"}, "type": {"in_progress"}, "handling_days": {"0"}})
	bsRefused(t, "refused change", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused change", body, `href="#status-`+sid+`-handling_days"`, `id="edit-`+sid+`" open`, `value="0"`)

	resp, body = erik.post(page+"/"+sid+"/flytta", url.Values{"riktning": {"upp"}})
	bsRedirect(t, "move", resp, body, page+"?klart=statusmoved")
	if got := order(); got != "inkommen,under_handlaggning,vantar_komplettering,vantar_pa_beslut,avslutat" {
		t.Errorf("order after moving %s", got)
	}

	// Removing: refused for a status cases are in, and for the last closed one.
	if _, err := p.Pool.Exec(context.Background(), `INSERT INTO cases (tenant_id, eservice_id, version_id, reference, answers, source_draft_id, status, status_key)
		SELECT tenant_id, id, current_version_id, 'ALI-2026-990001', '{}', gen_random_uuid(), 'in_progress', 'under_handlaggning' FROM eservice WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	resp, body = erik.post(page+"/"+statusID("under_handlaggning")+"/ta-bort", nil)
	bsRefused(t, "removing a status in use", resp, body, http.StatusConflict)
	assertContains(t, "removing a status in use", body, "Statusen kan inte tas bort, eftersom det finns ärenden med den.", `href="#row-`+statusID("under_handlaggning")+`"`)
	resp, body = erik.post(page+"/"+statusID("avslutat")+"/ta-bort", nil)
	bsRefused(t, "removing the last closed status", resp, body, http.StatusConflict)
	assertContains(t, "removing the last closed status", body, "minst en status av typen Inkommen och en av typen Avslutat")

	resp, body = erik.post(page+"/"+sid+"/ta-bort", nil)
	bsRedirect(t, "remove", resp, body, page+"?klart=statusremoved")
	if got := order(); got != "inkommen,under_handlaggning,vantar_komplettering,avslutat" {
		t.Errorf("order after removing %s", got)
	}
	for action, want := range map[string]int{"eservice_status_added": 1, "eservice_status_changed": 1, "eservice_status_moved": 1, "eservice_status_removed": 1} {
		if n := bsChanges(t, p, id, action); n != want {
			t.Errorf("%d %s recorded, want %d", n, action, want)
		}
	}

	// A status of another e-service, or no status at all, is not found.
	other := bsEService(t, p, "alingsas", "ansokan-om-bygglov")
	var otherStatus string
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice_status WHERE eservice_id = $1 AND key = 'under_handlaggning'`, other).Scan(&otherStatus)
	resp, body = erik.post(page+"/"+otherStatus+"/ta-bort", nil)
	assertNotFound(t, "another e-service's status", resp, body)
	resp, body = erik.post(page+"/nej/flytta", url.Values{"riktning": {"upp"}})
	assertNotFound(t, "no status", resp, body)
}

// Message templates: added, refused with what was typed, changed and removed.
func TestBuilderSettingsTemplates(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	page := "/personal/etjanster/" + id + "/mallar"

	assertContains(t, "templates page", erik.page(page), "Meddelandemallar", "Vi har börjat handlägga", "Behöver mer information")
	resp, body := erik.post(page, url.Values{"title": {"Plats erbjuden"}, "body": {"Hej! Ditt barn har fått en plats i Kulturskolan."}})
	bsRedirect(t, "add", resp, body, page+"?klart=templateadded")
	assertContains(t, "after adding", erik.page(page+"?klart=templateadded"), "Mallen är tillagd.", "Plats erbjuden", "Ditt barn har fått en plats i Kulturskolan.</textarea>")

	resp, body = erik.post(page, url.Values{"title": {""}, "body": {"Bara en text"}})
	bsRefused(t, "refused add", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused add", body, `href="#new-title"`, "Skriv en rubrik.", "Bara en text</textarea>")

	var tid string
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice_message_template WHERE eservice_id = $1 AND title = 'Plats erbjuden'`, id).Scan(&tid)
	resp, body = erik.post(page+"/"+tid, url.Values{"title": {"Plats erbjuden"}, "body": {"Välkommen till Kulturskolan!"}})
	bsRedirect(t, "change", resp, body, page+"?klart=templatesaved")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_message_template WHERE id = $1 AND body = 'Välkommen till Kulturskolan!'`, tid); n != 1 {
		t.Error("the change was not stored")
	}
	resp, body = erik.post(page+"/"+tid, url.Values{"title": {"Plats erbjuden"}, "body": {"  "}})
	bsRefused(t, "refused change", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused change", body, `href="#template-`+tid+`-body"`, "Skriv mallens text.", `id="template-`+tid+`" open`)

	resp, body = erik.post(page+"/"+tid+"/ta-bort", nil)
	bsRedirect(t, "remove", resp, body, page+"?klart=templateremoved")
	assertLacks(t, "after removing", erik.page(page), "Plats erbjuden")
	for action, want := range map[string]int{"eservice_template_added": 1, "eservice_template_changed": 1, "eservice_template_removed": 1} {
		if n := bsChanges(t, p, id, action); n != want {
			t.Errorf("%d %s recorded, want %d", n, action, want)
		}
	}
	resp, body = erik.post(page+"/"+tid+"/ta-bort", nil)
	assertNotFound(t, "a removed template", resp, body)
}

// Caseworkers: the caseworker chosen, and only they, see the e-service's cases in their queue.
func TestBuilderSettingsCaseworkers(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	anna := staffBrowser(t, p, "caseworker-alingsas")
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	page := "/personal/etjanster/" + id + "/handlaggare"
	var annaID string
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM staff WHERE employee_id = 'ali-1001'`).Scan(&annaID)
	if _, err := p.Pool.Exec(context.Background(), `INSERT INTO cases (tenant_id, eservice_id, version_id, reference, answers, source_draft_id)
		SELECT tenant_id, id, current_version_id, 'ALI-2026-990002', '{}', gen_random_uuid() FROM eservice WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	queue := "/personal/arenden?flik=active"
	assertContains(t, "the queue through the group", anna.page(queue), "ALI-2026-990002")

	body := erik.page(page)
	assertContains(t, "handlers page", body, "Handläggare", "Anna Handläggare, Samhällsbyggnad", "Rebecka Ring, Socialtjänst", ">ali-handlaggare</textarea>")
	assertLacks(t, "handlers page", body, "Erik Förvaltare, Digitalisering", "Maria Admin", "Mikael Mattsson")

	// Nobody: Anna no longer sees the e-service's cases.
	resp, body := erik.post(page, url.Values{"groups": {""}})
	bsRedirect(t, "nobody", resp, body, page+"?klart=caseworkers")
	assertLacks(t, "the queue without handling", anna.page(queue), "ALI-2026-990002")

	// Anna in person, and a group: she sees them again.
	resp, body = erik.post(page, url.Values{"caseworkers": {annaID}, "groups": {"ali-kultur\r\n\r\nali-kultur\r\n"}})
	bsRedirect(t, "Anna", resp, body, page+"?klart=caseworkers")
	assertContains(t, "the queue in person", anna.page(queue), "ALI-2026-990002")
	assertContains(t, "saved handlers", erik.page(page+"?klart=caseworkers"), "Handläggarna är sparade.",
		fmt.Sprintf(`name="caseworkers" value="%s" checked`, annaID), ">ali-kultur</textarea>")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_handler WHERE eservice_id = $1`, id); n != 2 {
		t.Errorf("%d handlers, want 2", n)
	}

	// Refused: someone who is no caseworker of the municipality.
	var erikID string
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM staff WHERE employee_id = 'ali-1003'`).Scan(&erikID)
	resp, body = erik.post(page, url.Values{"caseworkers": {erikID}, "groups": {"ali-ny-grupp"}})
	bsRefused(t, "refused handlers", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "refused handlers", body, `href="#caseworkers"`, "Välj bara bland kommunens aktiva handläggare.", ">ali-ny-grupp</textarea>")
	if n := bsChanges(t, p, id, "eservice_handlers_changed"); n != 2 {
		t.Errorf("%d changes recorded, want 2", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_handler WHERE eservice_id = $1 AND group_name = 'ali-ny-grupp'`, id); n != 0 {
		t.Error("a refused group was stored")
	}
}

// Notice texts: stored by kind and language, shown again; a too long text is refused.
func TestBuilderSettingsNotices(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	page := "/personal/etjanster/" + id + "/aviseringar"

	assertContains(t, "notices page", erik.page(page), "Aviseringar", "Ärendet har kommit in", "Nytt meddelande", "Ny status",
		"Komplettering behövs", "Ärendet är avslutat", `name="notice_case_submitted_sv"`, `name="notice_case_closed_en"`)
	resp, body := erik.post(page, url.Values{"notice_case_submitted_sv": {"Handläggningstiden är normalt fyra veckor."},
		"notice_case_submitted_en": {"It usually takes four weeks."}, "notice_new_message_sv": {" "}})
	bsRedirect(t, "valid texts", resp, body, page+"?klart=notices")
	assertContains(t, "saved texts", erik.page(page+"?klart=notices"), "Texterna i aviseringarna är sparade.",
		"Handläggningstiden är normalt fyra veckor.</textarea>", "It usually takes four weeks.</textarea>")
	var stored string
	p.Pool.QueryRow(context.Background(), `SELECT notice_texts::text FROM eservice WHERE id = $1`, id).Scan(&stored)
	if stored != `{"case_submitted": {"en": "It usually takes four weeks.", "sv": "Handläggningstiden är normalt fyra veckor."}}` {
		t.Errorf("stored %s", stored)
	}

	resp, body = erik.post(page, url.Values{"notice_case_closed_sv": {strings.Repeat("Tack! ", 100)}, "notice_case_submitted_sv": {"Ändrad text"}})
	bsRefused(t, "too long", resp, body, http.StatusUnprocessableEntity)
	assertContains(t, "too long", body, `href="#notice_case_closed_sv"`, "Texten får vara högst 500 tecken.", "Ändrad text</textarea>")
	if n := bsChanges(t, p, id, "eservice_notice_texts_changed"); n != 1 {
		t.Errorf("%d changes recorded, want 1", n)
	}
}

// Only an e-service admin gets the pages, and only for the e-services of their municipality.
func TestBuilderSettingsAccess(t *testing.T) {
	p := webtest.Start(t)
	id := bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	motala := bsEService(t, p, "motala", "felanmalan-vatten-och-avlopp")
	pages := []string{"installningar", "statusar", "mallar", "handlaggare", "aviseringar"}
	var sid, tid string
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice_status WHERE eservice_id = $1 AND key = 'inkommen'`, id).Scan(&sid)
	p.Pool.QueryRow(context.Background(), `SELECT id::text FROM eservice_message_template WHERE eservice_id = $1 LIMIT 1`, id).Scan(&tid)
	posts := append(slices.Clone(pages), "statusar/"+sid, "statusar/"+sid+"/flytta", "statusar/"+sid+"/ta-bort", "mallar/"+tid, "mallar/"+tid+"/ta-bort")

	anna := staffBrowser(t, p, "caseworker-alingsas")
	for _, pg := range pages {
		if resp, _ := anna.get("/personal/etjanster/" + id + "/" + pg); resp.StatusCode != http.StatusForbidden {
			t.Errorf("caseworker at %s: %d", pg, resp.StatusCode)
		}
	}
	for _, pg := range posts {
		if resp, _ := anna.post("/personal/etjanster/"+id+"/"+pg, url.Values{"riktning": {"ner"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("caseworker posting %s: %d", pg, resp.StatusCode)
		}
	}

	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	for _, pg := range pages {
		resp, body := erik.get("/personal/etjanster/" + motala + "/" + pg)
		assertNotFound(t, "Motala's "+pg, resp, body)
		resp, body = erik.post("/personal/etjanster/"+motala+"/"+pg, url.Values{"title_sv": {"Kapad"}})
		assertNotFound(t, "posting Motala's "+pg, resp, body)
	}
	resp, body := erik.get("/personal/etjanster/inte-ett-id/installningar")
	assertNotFound(t, "no id", resp, body)
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE eservice_id IN ($1, $2)`, id, motala); n != 0 {
		t.Errorf("%d changes recorded", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_status WHERE eservice_id = $1`, id); n != 4 {
		t.Errorf("%d statuses", n)
	}
}

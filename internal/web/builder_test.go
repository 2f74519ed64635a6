package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// staffActor is a test staff member as the author of builder changes made through the domain.
func staffActor(t testing.TB, p *webtest.Portal, employeeID string) audit.Actor {
	t.Helper()
	var a audit.Actor
	if err := p.Pool.QueryRow(t.Context(), `SELECT id, tenant_id, name FROM staff WHERE employee_id = $1`, employeeID).
		Scan(&a.StaffID, &a.TenantID, &a.Name); err != nil {
		t.Fatalf("staff %s: %v", employeeID, err)
	}
	return a
}

// editForm changes an e-service's draft version through the domain, as the editor does.
func editForm(t testing.TB, p *webtest.Portal, actor audit.Actor, id string, edit func(*form.Definition)) {
	t.Helper()
	_, err := eservice.NewStore(p.Pool).EditDraft(t.Context(), actor, uuid.MustParse(id), "form_field_changed", "", func(d *form.Definition) error {
		edit(d)
		return nil
	})
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
}

var builderIDPath = strings.NewReplacer("/personal/etjanster/", "", "/formular?klart=created", "")

// An admin creates an e-service, builds and publishes it; a citizen starts a draft; the admin
// changes a label and publishes a new version; the first draft still submits on its own version,
// the next draft starts on the new one.
func TestBuilderVersions(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	actor := staffActor(t, p, "ali-1003")
	assertContains(t, "list", erik.page("/personal/etjanster"), "E-tjänster", "Anmälan till kulturskola", "Skapa en ny e-tjänst")

	resp, body := erik.post("/personal/etjanster", url.Values{"title": {""}, "slug": {"Fel adress!"}, "category": {"culture"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty title: %d", resp.StatusCode)
	}
	assertContains(t, "refused create", body, "Skriv ett namn på e-tjänsten.", `value="Fel adress!"`)
	if resp, body := erik.post("/personal/etjanster", url.Values{"title": {"Anmälan till kulturskola"}, "category": {"culture"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "används redan") {
		t.Errorf("a taken address: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_created'`); n != 0 {
		t.Errorf("refused creates recorded %d changes", n)
	}
	resp, _ = erik.post("/personal/etjanster", url.Values{"title": {"Lån av lokal"}, "category": {"culture"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	id := builderIDPath.Replace(resp.Header.Get("Location"))
	overview := "/personal/etjanster/" + id
	assertContains(t, "new e-service", erik.page(overview), "Lån av lokal", "Utkast", "E-tjänsten har inget formulär ännu.")

	// An empty step is kept while building, but not published.
	editForm(t, p, actor, id, func(d *form.Definition) {
		d.Steps = append(d.Steps, form.Step{Key: "lokal", Title: form.Text{"sv": "Lokal"}, Fields: []form.Field{}})
	})
	resp, body = erik.post(overview+"/publicera", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publishing an empty step: %d", resp.StatusCode)
	}
	assertContains(t, "refused publish", body, "Lägg till minst ett fält i steget.", overview+"/formular/steg/lokal")
	editForm(t, p, actor, id, func(d *form.Definition) {
		d.Steps[0].Fields = []form.Field{{Key: "lokal_namn", Type: form.ShortText, Label: form.Text{"sv": "Vilken lokal?"}, Required: true}}
	})
	completePrivacy(t, p, id)
	if resp, body := erik.post(overview+"/publicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d: %s", resp.StatusCode, errorText(body))
	}
	assertContains(t, "published", erik.page(overview), "Version 1 är publicerad", "/e-tjanster/lan-av-lokal", "Publicerade version 1")
	assertContains(t, "catalogue", newBrowser(t, p).page("/e-tjanster"), "Lån av lokal")

	citizen := loggedIn(t, p, "adult")
	firstDraft, loc := citizen.start("lan-av-lokal")
	assertContains(t, "version 1 step", citizen.page(loc), "Vilken lokal?")

	// Editing the published e-service makes a draft version; citizens still get version 1.
	editForm(t, p, actor, id, func(d *form.Definition) { d.Steps[0].Fields[0].Label = form.Text{"sv": "Vilken lokal vill du låna?"} })
	assertContains(t, "draft of version 2", erik.page(overview), "ett utkast till en ny version finns", "Publicera")
	_, loc2 := citizen.start("lan-av-lokal")
	assertContains(t, "still version 1", citizen.page(loc2), "Vilken lokal?")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1 AND published_at IS NOT NULL AND definition::text LIKE '%låna%'`, id); n != 0 {
		t.Error("the published version changed")
	}
	if resp, _ := erik.post(overview+"/publicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish version 2: %d", resp.StatusCode)
	}
	_, loc3 := citizen.start("lan-av-lokal")
	assertContains(t, "version 2 step", citizen.page(loc3), "Vilken lokal vill du låna?")

	// The first draft goes on with version 1 and its case keeps it.
	review := citizen.walk(loc, map[string]url.Values{"lokal": {"lokal_namn": {"Stora salen"}}})
	assertContains(t, "review on version 1", citizen.page(review), "Vilken lokal?")
	caseID := citizen.submit(firstDraft, nil)
	if n := dbInt(t, p, `SELECT v.number FROM cases c JOIN eservice_version v ON v.id = c.version_id WHERE c.id = $1`, caseID); n != 1 {
		t.Errorf("the case is on version %d, want 1", n)
	}
	assertContains(t, "the case shows the old label", citizen.page("/arenden/"+caseID), "Vilken lokal?")
	assertContains(t, "history", erik.page(overview), "Publicerade version 2", "Erik Förvaltare")

	// Discard, unpublish, publish again, the period, copy and archive.
	editForm(t, p, actor, id, func(d *form.Definition) { d.Steps[0].Title = form.Text{"sv": "Ändrad"} })
	if resp, _ := erik.post(overview+"/kasta-utkast", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("discard: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1 AND published_at IS NULL`, id); n != 0 {
		t.Error("the discarded draft version is still there")
	}
	if resp, _ := erik.post(overview+"/avpublicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("unpublish: %d", resp.StatusCode)
	}
	assertLacks(t, "catalogue after unpublish", newBrowser(t, p).page("/e-tjanster"), "Lån av lokal")
	if resp, _ := citizen.post("/e-tjanster/lan-av-lokal/starta", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("starting an unpublished e-service: %d", resp.StatusCode)
	}
	if resp, _ := erik.post(overview+"/avpublicera", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("unpublishing twice: %d", resp.StatusCode)
	}
	if resp, _ := erik.post(overview+"/aterpublicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("publish again: %d", resp.StatusCode)
	}
	resp, body = erik.post(overview+"/period", url.Values{"available_from": {"2099-01-01T08:00"}, "available_until": {"2098-01-01T08:00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Avpubliceringen måste komma efter publiceringen.") || !strings.Contains(body, `value="2098-01-01T08:00"`) {
		t.Errorf("a period ending before it starts: %d", resp.StatusCode)
	}
	if resp, _ := erik.post(overview+"/period", url.Values{"available_from": {"2099-01-01T08:00"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("period: %d", resp.StatusCode)
	}
	assertLacks(t, "catalogue before the publish date", newBrowser(t, p).page("/e-tjanster"), "Lån av lokal")
	if resp, _ := erik.post(overview+"/period", url.Values{"available_from": {""}, "available_until": {""}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("clearing the period: %d", resp.StatusCode)
	}
	assertContains(t, "catalogue without a period", newBrowser(t, p).page("/e-tjanster"), "Lån av lokal")

	// A copy is one commit in 11 round trips (18 before): the session, the staff member, the
	// e-service's export in one batch, begin, a free address (two tries here), the copy's row,
	// one batch of the rest of it, the commit, and the copy read again.
	resp, n := p.Measure(t, erik.c, "POST", overview+"/kopiera", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || n.Commits() != 1 || n.RoundTrips() > 11 {
		t.Fatalf("copy: status %d, %d commits, %d round trips, want 1 in at most 11:\n%s",
			resp.StatusCode, n.Commits(), n.RoundTrips(), strings.Join(n.Statements(), "\n"))
	}
	copyPage := erik.page(strings.TrimSuffix(resp.Header.Get("Location"), "?klart=copied"))
	assertContains(t, "copy", copyPage, "Kopia av Lån av lokal", "Utkast", "ett utkast till en ny version finns")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice e JOIN eservice_version v ON v.eservice_id = e.id
		WHERE e.slug = 'lan-av-lokal-kopia' AND e.state = 'draft' AND v.published_at IS NULL AND v.definition::text LIKE '%Vilken lokal vill du låna?%'`); n != 1 {
		t.Error("the copy is not a draft with the form as published")
	}
	if resp, _ := erik.post(overview+"/arkivera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("archive: %d", resp.StatusCode)
	}
	assertLacks(t, "list after archive", erik.page("/personal/etjanster"), ">Lån av lokal<")
	if resp, _ := erik.get(overview); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an archived e-service's page: %d", resp.StatusCode)
	}
	assertContains(t, "the case of an archived e-service", citizen.page("/arenden/"+caseID), "Vilken lokal?")

	// An e-service in another system has no form: it is published as it is, and the catalogue links out.
	resp, _ = erik.post("/personal/etjanster", url.Values{"title": {"Bokning av båtplats"}, "category": {"culture"}})
	external := builderIDPath.Replace(resp.Header.Get("Location"))
	if _, err := p.Pool.Exec(t.Context(), `UPDATE eservice SET external_url = 'https://batplats.example.se/boka' WHERE id = $1`, external); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "external e-service", erik.page("/personal/etjanster/"+external), "E-tjänsten finns i ett annat system", "/aterpublicera")
	if resp, _ := erik.post("/personal/etjanster/"+external+"/aterpublicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("publishing an external e-service: %d", resp.StatusCode)
	}
	assertContains(t, "catalogue with the external e-service", newBrowser(t, p).page("/e-tjanster"), "https://batplats.example.se/boka")
	resp, _ = erik.post("/personal/etjanster", url.Values{"title": {"Tom e-tjänst"}, "category": {"culture"}})
	empty := builderIDPath.Replace(resp.Header.Get("Location"))
	if resp, _ := erik.post("/personal/etjanster/"+empty+"/aterpublicera", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("publishing an e-service without a form: %d", resp.StatusCode)
	}

	// Only e-service admins, and only of their own municipality.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	for _, path := range []string{"/personal/etjanster", "/personal/etjanster/" + id} {
		if resp, _ := anna.get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("caseworker at %s: %d", path, resp.StatusCode)
		}
	}
	var motala string
	p.Pool.QueryRow(t.Context(), `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'motala' LIMIT 1`).Scan(&motala)
	if resp, _ := erik.get("/personal/etjanster/" + motala); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another municipality's e-service: %d", resp.StatusCode)
	}
	if resp, _ := erik.post("/personal/etjanster/"+motala+"/arkivera", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("archiving another municipality's e-service: %d", resp.StatusCode)
	}
}

package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Export and import of e-services between municipalities: a JSON document with the settings,
// statuses, message templates and form, checked in full before anything is stored.

// exportDocument downloads an e-service's document and decodes it.
func exportDocument(t *testing.T, b *esBrowser, id string) (eservice.Document, string) {
	t.Helper()
	resp, body := b.get("/personal/etjanster/" + id + "/export")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export %s: status %d: %s", id, resp.StatusCode, errorText(body))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("export: Content-Type %q", ct)
	}
	var d eservice.Document
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	return d, body
}

var importedPath = regexp.MustCompile(`^/personal/etjanster/([0-9a-f-]{36})\?klart=imported$`)

// importDocument posts a document and returns the new e-service's id.
func importDocument(t *testing.T, resp *http.Response, body string) string {
	t.Helper()
	m := importedPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("import: status %d, location %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	return m[1]
}

func TestBuilderExchangeRoundTrip(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	src := eserviceID(t, p, "alingsas", "ansokan-om-bygglov")
	// Settings and statuses beyond the defaults, so that all of them travel.
	for _, q := range []string{
		`UPDATE eservice SET retention_months = 120, notice_texts = '{"case_submitted": {"sv": "Handläggningstiden är fyra veckor.", "en": "It takes four weeks."}}' WHERE id = $1`,
		`UPDATE eservice_status SET handling_days = 7, label = '{"sv": "Inkommen ansökan", "en": "Application received"}' WHERE eservice_id = $1 AND key = 'inkommen'`,
		`INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position)
			SELECT tenant_id, id, 'remiss', '{"sv": "På remiss"}', 'in_progress', 30, 3 FROM eservice WHERE id = $1`,
		`UPDATE eservice_status SET position = position + 1 WHERE eservice_id = $1 AND key IN ('vantar_komplettering', 'avslutat')`,
		// the signing rule: the applicant signs, the days; associations checked by a caseworker
		`UPDATE eservice SET association_check = true WHERE id = $1`,
		`INSERT INTO eservice_signing (eservice_id, tenant_id, applicant, cosigners, remind_days, deadline_days)
			SELECT id, tenant_id, true, 'none', 5, 21 FROM eservice WHERE id = $1`,
	} {
		if _, err := p.Pool.Exec(t.Context(), q, src); err != nil {
			t.Fatal(err)
		}
	}

	want, raw := exportDocument(t, erik, src)
	resp, _ := erik.get("/personal/etjanster/" + src + "/export")
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="ansokan-om-bygglov.json"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if want.Format != "minasidor.eservice" || want.FormatVersion != 1 || want.Settings.Slug != "ansokan-om-bygglov" ||
		*want.Settings.RetentionMonths != 120 || len(want.Statuses) != 5 || want.Statuses[2].Key != "remiss" ||
		len(want.MessageTemplates) != 2 || len(want.Definition.Steps) != 7 ||
		want.Signing == nil || *want.Signing != (eservice.DocumentSigning{Applicant: true, CoSigners: "none", RemindDays: 5, DeadlineDays: 21, AssociationCheck: true}) {
		t.Errorf("exported document: %+v", want)
	}
	tenant := dbString(t, p, `SELECT tenant_id::text FROM eservice WHERE id = $1`, src)
	assertLacks(t, "exported document", raw, src, tenant, "Erik", "tenant", "handler")

	events := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_imported'`)
	resp, body := erik.multipart("/personal/etjanster/import", nil, upload{"document", "bygglov.json", []byte(raw)})
	id := importDocument(t, resp, body)
	assertContains(t, "imported e-service", erik.page("/personal/etjanster/"+id+"?klart=imported"), sv("builder.done.imported"), "Ansökan om bygglov")

	// A draft of this municipality, under a free address, with its form as a draft version.
	var state, slug string
	var current *string
	var sameTenant bool
	err := p.Pool.QueryRow(t.Context(), `SELECT state, slug, current_version_id::text, tenant_id = (SELECT tenant_id FROM eservice WHERE id = $2)
		FROM eservice WHERE id = $1`, id, src).Scan(&state, &slug, &current, &sameTenant)
	if err != nil {
		t.Fatal(err)
	}
	if state != "draft" || slug != "ansokan-om-bygglov-kopia" || current != nil || !sameTenant {
		t.Errorf("imported: state %s, slug %s, current version %v, same municipality %v", state, slug, current, sameTenant)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1 AND published_at IS NULL AND number = 1`, id); n != 1 ||
		dbInt(t, p, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1`, id) != 1 {
		t.Errorf("imported: want one draft version")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_imported' AND eservice_id = $1 AND target = $2`, id, slug); n != 1 {
		t.Errorf("%d change records of the import, want 1", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_imported'`); n != events+1 {
		t.Errorf("%d import records, want %d", n, events+1)
	}

	// Everything else equal: settings, statuses in order, templates and form.
	got, _ := exportDocument(t, erik, id)
	got.Settings.Slug = want.Settings.Slug
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("imported e-service differs (-exported +imported):\n%s", diff)
	}
	if rule := dbString(t, p, `SELECT s.cosigners || ':' || s.remind_days || ':' || s.deadline_days || ':' || e.association_check
		FROM eservice_signing s JOIN eservice e ON e.id = s.eservice_id WHERE e.id = $1`, id); rule != "none:5:21:true" {
		t.Errorf("imported signing rule %s", rule)
	}

	// Pasted as text, the same document makes another copy; citizens see neither.
	resp, body = erik.post("/personal/etjanster/import", url.Values{"json": {raw}})
	second := importDocument(t, resp, body)
	if s := dbString(t, p, `SELECT slug FROM eservice WHERE id = $1`, second); s != "ansokan-om-bygglov-kopia-2" {
		t.Errorf("second import's slug %q", s)
	}
	visitor := newBrowser(t, p)
	resp, body = visitor.get("/e-tjanster/ansokan-om-bygglov-kopia")
	assertNotFound(t, "imported e-service in the catalogue", resp, body)

	// A document with a free address keeps it; the preview works on the imported form.
	want.Settings.Slug = "bygglov-fran-motala"
	b, err := want.JSON()
	if err != nil {
		t.Fatal(err)
	}
	resp, body = erik.post("/personal/etjanster/import", url.Values{"json": {string(b)}})
	third := importDocument(t, resp, body)
	if s := dbString(t, p, `SELECT slug FROM eservice WHERE id = $1`, third); s != "bygglov-fran-motala" {
		t.Errorf("third import's slug %q", s)
	}
	resp, _ = erik.get("/personal/etjanster/" + third + "/forhandsgranska")
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/forhandsgranska/steg/property") {
		t.Errorf("preview of the imported e-service: %d %q", resp.StatusCode, loc)
	}

	// Another municipality's e-service is not exported.
	resp, body = erik.get("/personal/etjanster/" + eserviceID(t, p, "motala", "felanmalan-vatten-och-avlopp") + "/export")
	assertNotFound(t, "export of another municipality's e-service", resp, body)
}

// A document with problems is refused with all of them, in Swedish, and nothing is stored.
func TestBuilderExchangeImportRefused(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	_, raw := exportDocument(t, erik, eserviceID(t, p, "alingsas", "ansokan-om-bygglov"))
	assertContains(t, "import page", erik.page("/personal/etjanster/import"), sv("exchange.import.heading"),
		`enctype="multipart/form-data"`, `type="file"`, `name="document"`, `<textarea id="json" name="json"`)

	// A form with a duplicate key and a condition on a later field.
	var d eservice.Document
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	d.Definition.Steps[2].Fields[2].Key = "current_use"                                // "Ny användning" of step "Åtgärden"
	d.Definition.Steps[0].Fields[3].ShowIf.Field = "measure_type"                      // "Fastighetsägarens medgivande" of step "Fastigheten"
	d.Statuses = append(d.Statuses, eservice.DocumentStatus{Key: "x", Type: "paused"}) // and a status without a name, of no known type
	badForm, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}

	eservices := dbInt(t, p, `SELECT count(*) FROM eservice`)
	events := dbInt(t, p, `SELECT count(*) FROM admin_event`)
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"nothing", "", []string{sv("error.exchange.empty")}},
		{"not JSON", "Ansökan om bygglov, version 3", []string{sv("error.exchange.json", 1)}},
		{"an unknown property", strings.Replace(raw, `"category":`, `"color": "red", "category":`, 1), []string{sv("error.exchange.unknown", "color")}},
		{"a wrong format marker", strings.Replace(raw, `"minasidor.eservice"`, `"kommun.etjanst"`, 1), []string{sv("error.exchange.format", "minasidor.eservice")}},
		{"a bad category", strings.Replace(raw, `"category": "building"`, `"category": "boats"`, 1),
			[]string{sv("error.exchange.category", "boats", strings.Join(eservice.Categories, ", "))}},
		{"a broken form", string(badForm), []string{
			sv("exchange.problem.field", "Fastigheten", "Fastighetsägarens medgivande", sv("error.form.def.condition.order", "measure_type")),
			sv("exchange.problem.field", "Åtgärden", "Ny användning", sv("error.form.def.field.keyDuplicate", "current_use")),
			sv("error.exchange.status.label", 5),
			sv("error.exchange.status.type", 5, "paused", strings.Join(eservice.StatusTypes, ", ")),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := erik.post("/personal/etjanster/import", url.Values{"json": {tt.doc}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(body))
			}
			assertContains(t, "refused import", body, append(tt.want, sv("exchange.import.problems"), sv("exchange.import.problems.text"))...)
		})
	}
	// The same, as a file.
	resp, body := erik.multipart("/personal/etjanster/import", nil, upload{"document", "bygglov.json", badForm})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("refused file: status %d", resp.StatusCode)
	}
	assertContains(t, "refused file", body, sv("error.form.def.field.keyDuplicate", "current_use"))

	if n := dbInt(t, p, `SELECT count(*) FROM eservice`); n != eservices {
		t.Errorf("%d e-services after refused imports, want %d", n, eservices)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event`); n != events {
		t.Errorf("%d change records after refused imports, want %d", n, events)
	}
}

// Only e-service admins export, import and preview: a caseworker is forbidden every route.
func TestBuilderExchangeAndPreviewForbidCaseworkers(t *testing.T) {
	p := webtest.Start(t)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	id := eserviceID(t, p, "alingsas", "ansokan-om-bygglov")
	base := "/personal/etjanster/" + id
	routes := []struct{ method, path string }{
		{"GET", "/personal/etjanster/import"},
		{"POST", "/personal/etjanster/import"},
		{"GET", base + "/export"},
		{"GET", base + "/forhandsgranska"},
		{"GET", base + "/forhandsgranska/steg/property"},
		{"POST", base + "/forhandsgranska/steg/property"},
		{"GET", base + "/forhandsgranska/granska"},
		{"POST", base + "/forhandsgranska/rensa"},
	}
	for _, r := range routes {
		var resp *http.Response
		if r.method == "GET" {
			resp, _ = anna.get(r.path)
		} else {
			resp, _ = anna.post(r.path, url.Values{"json": {"{}"}, "property_designation": {"Sörhaga 1:23"}})
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("caseworker %s %s: status %d, want 403", r.method, r.path, resp.StatusCode)
		}
	}
	resp, _ := anna.multipart(base+"/forhandsgranska/steg/documents", url.Values{"action": {"next"}}, upload{"drawings", "plan.pdf", pdfDocument("Plan")})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker's upload in the preview: status %d, want 403", resp.StatusCode)
	}
	// A visitor is sent to the staff login.
	resp, _ = newBrowser(t, p).post(base+"/forhandsgranska/steg/property", url.Values{"action": {"next"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login") {
		t.Errorf("visitor's preview post: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'eservice_imported'`); n != 0 {
		t.Errorf("%d imports by a caseworker", n)
	}
}

// dbString runs a query that returns one text.
func dbString(t testing.TB, p *webtest.Portal, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := p.Pool.QueryRow(t.Context(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The preview of an e-service's form: the admin walks the citizen's steps and review with the
// same conditions, checks and messages, and nothing is stored outside the admin's session.

// sv is a Swedish text of the catalogue, as a page shows it.
func sv(key string, args ...any) string { return i18n.MustLoad().Printer(i18n.Swedish).T(key, args...) }

// eserviceID is the id of a municipality's e-service.
func eserviceID(t testing.TB, p *webtest.Portal, municipality, slug string) string {
	t.Helper()
	var id string
	err := p.Pool.QueryRow(t.Context(), `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE t.slug = $1 AND e.slug = $2`, municipality, slug).Scan(&id)
	if err != nil {
		t.Fatalf("e-service %s/%s: %v", municipality, slug, err)
	}
	return id
}

// stored counts what a citizen's journey would have stored.
func stored(t testing.TB, p *webtest.Portal) [3]int {
	return [3]int{dbInt(t, p, `SELECT count(*) FROM draft`), dbInt(t, p, `SELECT count(*) FROM cases`), dbInt(t, p, `SELECT count(*) FROM upload`)}
}

var removeFileButton = regexp.MustCompile(`name="remove_file" value="([^"]+)"`)

func TestBuilderPreviewWalksTheForm(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	base := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-bygglov") + "/forhandsgranska"
	before := stored(t, p)
	banner := sv("preview.banner.text", "Ansökan om bygglov")

	// step posts a step and expects a redirect to the next page.
	step := func(key string, answers url.Values, action, want string) {
		t.Helper()
		resp, body := erik.step(base+"/steg/"+key, answers, action)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Fatalf("step %s %s: status %d, location %q, want %q: %s", key, action, resp.StatusCode, resp.Header.Get("Location"), want, errorText(body))
		}
	}
	// refused posts a step that must be shown again with the messages.
	refused := func(key string, answers url.Values, wants ...string) string {
		t.Helper()
		resp, body := erik.step(base+"/steg/"+key, answers, "next")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("step %s: status %d, want 422", key, resp.StatusCode)
		}
		assertContains(t, "refused step "+key, body, append(wants, banner)...)
		return body
	}

	resp, body := erik.get(base)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"/steg/property" {
		t.Fatalf("preview start: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}

	// The citizen's step page, with the banner, without saving for later or deleting.
	body = erik.page(base + "/steg/property")
	assertContains(t, "first step", body, banner, sv("preview.editor"), "Fastighetsbeteckning", "Steg 1 av 5",
		`action="`+base+`/steg/property"`, `data-show-if-field="owner"`, "Fastighetsägarens medgivande")
	assertLacks(t, "first step", body, `value="save"`, sv("step.delete"), "/utkast/")

	// The citizen's checks and messages, the e-service's own pattern message among them.
	refused("property", url.Values{"property_designation": {"Sörhaga"}},
		"Skriv fastighetsbeteckningen som namn och nummer, till exempel Sörhaga 1:23.", sv("error.field.required.choice"))
	step("property", url.Values{"property_designation": {"Sörhaga 1:23"}, "owner": {"no"}}, "next", base+"/steg/applicant")
	step("applicant", buildingPermitSteps("")["applicant"], "next", base+"/steg/measure")

	// A condition in the same step: the fields are on the page for the browser to show or hide,
	// and required when the answer calls for them.
	assertContains(t, "measure step", erik.page(base+"/steg/measure"), `data-show-if-field="measure_type"`, "Nuvarande användning")
	measure := url.Values{"measure_type": {"andrad_anvandning"}, "description": {"Garaget blir ett gästrum med fönster mot trädgården."}}
	refused("measure", measure, "Nuvarande användning: "+sv("error.field.required"))
	measure.Set("current_use", "Garage")
	measure.Set("new_use", "Gästrum")
	// A condition on an earlier step: a change of use has no size step and no demolition step.
	step("measure", measure, "next", base+"/steg/documents")
	body = erik.page(base + "/steg/documents")
	assertContains(t, "documents step", body, "Steg 4 av 5", `enctype="multipart/form-data"`)
	assertLacks(t, "documents step", body, "Byggnadens storlek")
	// Back, and a new building brings the size step in.
	step("documents", nil, "back", base+"/steg/measure")
	measure.Set("measure_type", "nybyggnad")
	step("measure", measure, "next", base+"/steg/size")
	assertContains(t, "size step", erik.page(base+"/steg/size"), "Byggnadens storlek", "Steg 4 av 6")
	refused("size", url.Values{"building_area": {"0"}}, "Byggnadsarea (m²)")
	step("size", url.Values{"building_area": {"36"}}, "next", base+"/steg/documents")

	// Files are checked as a citizen's are, and only their names kept.
	files := func(fields url.Values, up ...upload) (*http.Response, string) {
		t.Helper()
		return erik.multipart(base+"/steg/documents", fields, up...)
	}
	resp, body = files(url.Values{"action": {"next"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("documents without drawings: %d", resp.StatusCode)
	}
	assertContains(t, "documents without drawings", body, sv("error.field.required.file"))
	resp, body = files(url.Values{"action": {"next"}}, upload{"drawings", "foto.png", pngImage(t)})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a picture as drawings: %d", resp.StatusCode)
	}
	assertContains(t, "a picture as drawings", body, sv("error.file.type"))
	resp, body = files(url.Values{"action": {"stay"}}, upload{"drawings", "situationsplan.pdf", pdfDocument("Plan")},
		upload{"drawings", "fasad.pdf", pdfDocument("Fasad")})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("two drawings: %d: %s", resp.StatusCode, errorText(body))
	}
	body = erik.page(base + "/steg/documents")
	assertContains(t, "documents with files", body, "situationsplan.pdf", "fasad.pdf", sv("form.file.remove"))
	assertLacks(t, "documents with files", body, "/filer/")
	m := removeFileButton.FindAllStringSubmatch(body, -1)
	if len(m) != 2 {
		t.Fatalf("%d remove buttons, want 2", len(m))
	}
	resp, _ = files(url.Values{"remove_file": {m[1][1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove a file: %d", resp.StatusCode)
	}
	body = erik.page(base + "/steg/documents")
	assertContains(t, "documents after removing", body, "situationsplan.pdf")
	assertLacks(t, "documents after removing", body, "fasad.pdf")
	step("documents", nil, "next", base+"/steg/confirm")
	refused("confirm", nil, sv("error.field.required.consent"))
	step("confirm", url.Values{"correct": {"yes"}}, "next", base+"/granska")

	// The review: every answer with its change link, and no submit button.
	body = erik.page(base + "/granska")
	assertContains(t, "review", body, banner, sv("review.heading"), sv("preview.review.noCase"), "Sörhaga 1:23", "Garaget blir ett gästrum",
		"situationsplan.pdf", `href="`+base+`/steg/property#property_designation"`, `action="`+base+`/rensa"`,
		`href="/personal/etjanster/`)
	// A hidden field's answer is not part of it.
	assertLacks(t, "review", body, "/skicka", ">"+sv("review.submit")+"<", "fasad.pdf", "Gästrum")

	if after := stored(t, p); after != before {
		t.Errorf("drafts, cases and files: %v before the preview, %v after", before, after)
	}

	// Starting over forgets the answers; a review of nothing leads to the first step's problems.
	resp, _ = erik.post(base+"/rensa", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Fatalf("start over: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	assertLacks(t, "first step after starting over", erik.page(base+"/steg/property"), `value="Sörhaga 1:23"`)
	resp, _ = erik.get(base + "/granska")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"/steg/property?kontrollera=1" {
		t.Errorf("review of nothing: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	assertContains(t, "step after the review of nothing", erik.page(base+"/steg/property?kontrollera=1"), sv("form.errors.heading"))

	// A step the answers hide is not found.
	resp, body = erik.get(base + "/steg/demolition")
	assertNotFound(t, "hidden step", resp, body)
}

// An e-service without a form has nothing to preview; another municipality's is not found.
func TestBuilderPreviewEmptyAndForeign(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	resp, body := erik.post("/personal/etjanster", url.Values{"title": {"Ansökan om torgplats"}, "category": {"business"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d: %s", resp.StatusCode, errorText(body))
	}
	base := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-torgplats") + "/forhandsgranska"
	body = erik.page(base)
	assertContains(t, "empty preview", body, sv("preview.empty"), `href="/personal/etjanster/`, `/formular"`, sv("preview.empty.build"))
	resp, body = erik.get(base + "/steg/start")
	assertNotFound(t, "step of an empty form", resp, body)

	foreign := "/personal/etjanster/" + eserviceID(t, p, "motala", "felanmalan-vatten-och-avlopp") + "/forhandsgranska"
	for _, path := range []string{foreign, foreign + "/granska"} {
		resp, body := erik.get(path)
		assertNotFound(t, path, resp, body)
	}
	resp, body = erik.post(foreign+"/rensa", nil)
	assertNotFound(t, "reset of another municipality's preview", resp, body)
}

// The preview keeps its answers per e-service, in the admin's own session.
func TestBuilderPreviewAnswersAreTheSessions(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	other := staffBrowser(t, p, "eservice-admin-alingsas")
	base := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "felanmalan-gatubelysning") + "/forhandsgranska"
	answers := streetLightingSteps()["fault"]
	resp, body := erik.step(base+"/steg/fault", answers, "next")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/steg/feedback") {
		t.Fatalf("fault step: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	assertContains(t, "own session", erik.page(base+"/steg/fault"), `value="Kungsgatan 12"`)
	assertLacks(t, "another session", other.page(base+"/steg/fault"), `value="Kungsgatan 12"`)
	bygglov := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-bygglov") + "/forhandsgranska"
	assertLacks(t, "another e-service", erik.page(bygglov+"/steg/property"), `value="Kungsgatan 12"`)
}

// The preview takes text that is not valid UTF-8 as the citizen's step does (see
// TestStepRefusesUnreadableText): refused at its field whatever the button, and not kept.
func TestBuilderPreviewRefusesUnreadableText(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	base := "/personal/etjanster/" + eserviceID(t, p, "alingsas", "ansokan-om-bygglov") + "/forhandsgranska"
	for _, action := range []string{"next", "back"} {
		t.Run(action, func(t *testing.T) {
			resp, body := erik.step(base+"/steg/property", url.Values{"property_designation": {"S\xf6rhaga 1:23"}, "owner": {"no"}}, action)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", resp.StatusCode, errorText(body))
			}
			assertContains(t, "the step", body, sv("error.field.encoding"), `href="#property_designation"`, `value="no" checked`)
			assertLacks(t, "the step", body, "\uFFFD", "S\xf6rhaga")
		})
	}
	// What the preview kept is the rest of the answers.
	body := erik.page(base + "/steg/property")
	assertLacks(t, "the step again", body, "S\xf6rhaga", "\uFFFD", sv("error.field.encoding"))
}

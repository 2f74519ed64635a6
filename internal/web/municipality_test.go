package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// muSettingsForm is the settings form with every field filled in.
func muSettingsForm() url.Values {
	return url.Values{
		"name":             {"Alingsås kommun"},
		"code":             {"ALI"},
		"contact_phone":    {"0322-12 34 56"},
		"contact_email":    {"hjalp@alingsas.example"},
		"contact_address":  {"Alingsås kommun\r\nKontaktcenter\r\n441 81 Alingsås"},
		"contact_hours":    {"Vardagar 8–16"},
		"dpo_name":         {"Dana Dataskydd"},
		"dpo_email":        {"dana@alingsas.example"},
		"dpo_phone":        {"0322-11 11 11"},
		"accessibility_sv": {"Vår egen redogörelse: vi följer WCAG 2.1 nivå AA.\r\n\r\nAndra stycket om kända brister."},
		"accessibility_en": {"Our own statement about WCAG 2.1."},
	}
}

func muEvents(t *testing.T, p *webtest.Portal, action string) int {
	t.Helper()
	return dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = $1`, action)
}

// A municipality admin changes the settings; the layout, the footer, the accessibility statement
// and the e-services' privacy notices show them; each change is recorded, a refused one is not.
func TestMunicipalitySettings(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	page := maria.page("/personal/admin/kommun")
	assertContains(t, "settings page", page, "<h1>Kommunens inställningar</h1>", `value="ALI"`, "0322-61 60 00", "Dataskyddsombudet",
		`href="/personal/admin/kommun" aria-current="page"`, `href="/personal/admin/driftmeddelanden"`, `href="/personal/admin/personal"`)

	// The demo settings are in the layout already.
	visitor := newBrowser(t, p)
	assertContains(t, "start page with the demo settings", visitor.page("/"), "0322-61 60 00", `href="tel:+46322616000"`, "kontaktcenter@alingsas.example")

	resp, _ := maria.post("/personal/admin/kommun", muSettingsForm())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal/admin/kommun?klart=saved" {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	assertContains(t, "settings after saving", maria.page("/personal/admin/kommun?klart=saved"), "Inställningarna är sparade.", `value="0322-12 34 56"`, "Dana Dataskydd")
	if n := muEvents(t, p, "municipality_settings_changed"); n != 1 {
		t.Errorf("%d settings changes recorded, want 1", n)
	}

	home := visitor.page("/")
	assertContains(t, "footer", home, "Kontakta kommunen", "0322-12 34 56", `href="tel:+46322123456"`, `href="mailto:hjalp@alingsas.example"`,
		"Kontaktcenter", "Vardagar 8–16", `href="/tillganglighet"`)
	assertLacks(t, "footer", home, "0322-61 60 00")
	a11y := visitor.page("/tillganglighet")
	assertContains(t, "accessibility statement", a11y, "Vår egen redogörelse: vi följer WCAG 2.1 nivå AA.", "<p class=\"lines\">Andra stycket om kända brister.</p>", "Digg", "hjalp@alingsas.example")
	assertLacks(t, "accessibility statement", a11y, "Varje sida testas automatiskt med verktyget axe")
	english := newBrowser(t, p)
	english.post("/sprak", url.Values{"lang": {"en"}, "return": {"/tillganglighet"}})
	assertContains(t, "English accessibility statement", english.page("/tillganglighet"), "Our own statement about WCAG 2.1.")
	assertContains(t, "privacy notice", visitor.page("/e-tjanster/felanmalan-gatubelysning"),
		"<dt>Dataskyddsombud</dt>", "Dana Dataskydd", `href="mailto:dana@alingsas.example"`, "0322-11 11 11")

	// A refused form comes back with what was typed, and nothing is saved or recorded.
	bad := muSettingsForm()
	bad.Set("name", "")
	bad.Set("code", "A1")
	bad.Set("contact_email", "hjalp@")
	bad.Set("accessibility_sv", "")
	resp, body := maria.post("/personal/admin/kommun", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	assertContains(t, "refused form", body, "Det finns fel i formuläret", "Skriv kommunens namn.", "Skriv koden med 2–6 versaler",
		"Skriv e-postadressen i formatet", "Skriv redogörelsen på svenska också", `value="A1"`, `value="hjalp@"`, `href="#code"`, `aria-invalid="true"`, "Dana Dataskydd")
	taken := muSettingsForm()
	taken.Set("code", "mot")
	resp, body = maria.post("/personal/admin/kommun", taken)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Koden används redan av en annan kommun") {
		t.Errorf("Motala's code: %d: %s", resp.StatusCode, errorText(body))
	}
	if n := muEvents(t, p, "municipality_settings_changed"); n != 1 {
		t.Errorf("refused forms recorded changes: %d", n)
	}

	// A new code is used by new cases; existing ones keep their reference numbers.
	karin := loggedIn(t, p, "adult")
	before := csSubmitStreetLighting(karin, nil, nil)
	recoded := muSettingsForm()
	recoded.Set("code", "alx")
	if resp, body := maria.post("/personal/admin/kommun", recoded); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new code: %d: %s", resp.StatusCode, errorText(body))
	}
	after := csSubmitStreetLighting(karin, nil, nil)
	refOf := func(id string) string {
		var ref string
		if err := p.Pool.QueryRow(t.Context(), `SELECT reference FROM cases WHERE id = $1`, id).Scan(&ref); err != nil {
			t.Fatal(err)
		}
		return ref
	}
	if old, new := refOf(before), refOf(after); !strings.HasPrefix(old, "ALI-") || !strings.HasPrefix(new, "ALX-") {
		t.Errorf("references %s (before) and %s (after the new code)", old, new)
	}
	if n := muEvents(t, p, "municipality_settings_changed"); n != 2 {
		t.Errorf("%d settings changes recorded, want 2", n)
	}
}

var muLogoSrc = regexp.MustCompile(`<img class="brand-logo" src="(/logotyp\?v=[0-9a-z]+)" alt="Alingsås kommun">`)

// The logo: a real picture is shown in the header and served with cache headers; anything else is
// refused; it can be removed.
func TestMunicipalityLogo(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	visitor := newBrowser(t, p)
	assertLacks(t, "header without a logo", visitor.page("/"), "brand-logo")
	if resp, _ := visitor.get("/logotyp"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("logo before any: %d", resp.StatusCode)
	}

	photo := pngImage(t)
	resp, body := maria.multipart("/personal/admin/kommun/logotyp", nil, upload{"logo", "logga.png", photo})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal/admin/kommun?klart=logo" {
		t.Fatalf("upload: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
	m := muLogoSrc.FindStringSubmatch(visitor.page("/e-tjanster"))
	if m == nil {
		t.Fatal("the header has no logo")
	}
	resp, body = visitor.get(m[1])
	h := resp.Header
	if resp.StatusCode != http.StatusOK || body != string(photo) || h.Get("Content-Type") != "image/png" {
		t.Fatalf("logo: %d %q, %d bytes", resp.StatusCode, h.Get("Content-Type"), len(body))
	}
	if !strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("ETag") == "" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") ||
		h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("logo headers: %v", h)
	}
	if resp, _ := visitor.get("/logotyp"); !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=300") {
		t.Errorf("logo without its version: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest("GET", p.URL+m[1], nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if resp, err := visitor.c.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("logo with its ETag: %v, %v", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
	if n := muEvents(t, p, "municipality_logo_changed"); n != 1 {
		t.Errorf("%d logo changes recorded", n)
	}

	// Not pictures, or pictures with something active in them, are refused on the settings page.
	for _, f := range []upload{
		{"logo", "logga.png", []byte("This is not a picture at all.")},
		{"logo", "logga.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>`)},
		{"logo", "logga.html", []byte(`<!DOCTYPE html><html><body><script>alert(1)</script></body></html>`)},
	} {
		resp, body := maria.multipart("/personal/admin/kommun/logotyp", nil, f)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", f.Name, resp.StatusCode)
		}
		assertContains(t, f.Name+" refused", body, "Filen är inte en bild av rätt slag", `href="#logo"`, `value="ALI"`)
	}
	resp, body = maria.multipart("/personal/admin/kommun/logotyp", nil)
	assertContains(t, "no file", body, "Välj en bildfil att ladda upp.")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", resp.StatusCode)
	}
	if _, body := visitor.get("/logotyp"); body != string(photo) {
		t.Error("a refused file replaced the logo")
	}
	if n := muEvents(t, p, "municipality_logo_changed"); n != 1 {
		t.Errorf("refused files recorded changes: %d", n)
	}

	// A plain SVG is served as an image that runs nothing.
	svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#00507a"/></svg>`
	if resp, body := maria.multipart("/personal/admin/kommun/logotyp", nil, upload{"logo", "logga.svg", []byte(svg)}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("svg upload: %d: %s", resp.StatusCode, errorText(body))
	}
	resp, body = visitor.get("/logotyp")
	if body != svg || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("svg logo: %q %q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
	if m2 := muLogoSrc.FindStringSubmatch(visitor.page("/")); m2 == nil || m2[1] == m[1] {
		t.Error("the new logo has the old address")
	}

	if resp, _ := maria.post("/personal/admin/kommun/logotyp/ta-bort", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	assertLacks(t, "header after removal", visitor.page("/"), "brand-logo")
	if resp, _ := visitor.get("/logotyp"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("logo after removal: %d", resp.StatusCode)
	}
	if n := muEvents(t, p, "municipality_logo_removed"); n != 1 {
		t.Errorf("%d logo removals recorded", n)
	}
}

// Only a municipality admin of the municipality reaches its settings.
func TestMunicipalitySettingsAccess(t *testing.T) {
	p := webtest.Start(t)
	paths := []struct{ method, path string }{
		{"GET", "/personal/admin/kommun"},
		{"POST", "/personal/admin/kommun"},
		{"POST", "/personal/admin/kommun/logotyp/ta-bort"},
		{"GET", "/personal/admin/driftmeddelanden"},
		{"POST", "/personal/admin/driftmeddelanden"},
	}
	form := muSettingsForm()
	form.Set("name", "Kapad kommun")
	for _, key := range []string{"caseworker-alingsas", "eservice-admin-alingsas"} {
		b := staffBrowser(t, p, key)
		for _, r := range paths {
			resp, _ := smDo(b, "", r.method, r.path, form)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s %s: %d, want 403", key, r.method, r.path, resp.StatusCode)
			}
		}
	}
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	menu := erik.page("/personal")
	assertContains(t, "e-service admin's menu", menu, `href="/personal/etjanster"`)
	assertLacks(t, "e-service admin's menu", menu, `href="/personal/admin/kommun"`, `href="/personal/admin/driftmeddelanden"`)
	anna := staffBrowser(t, p, "caseworker-alingsas")
	assertLacks(t, "caseworker's menu", anna.page("/personal"), `href="/personal/etjanster"`, `href="/personal/admin/kommun"`)

	visitor := newBrowser(t, p)
	for _, r := range paths {
		resp, _ := smDo(visitor, "", r.method, r.path, form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login?return=") {
			t.Errorf("visitor: %s %s: %d %q", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}

	// Motala's admin changes Motala, and cannot reach Alingsås's settings with the same session.
	if _, err := p.Pool.Exec(t.Context(), `INSERT INTO staff_role (staff_id, role) SELECT id, 'municipality_admin' FROM staff WHERE employee_id = 'mot-2001'`); err != nil {
		t.Fatal(err)
	}
	mikael := newBrowser(t, p)
	smStaffHostLogin(mikael, csMotalaHost, "caseworker-motala")
	_, page := csHostDo(mikael, csMotalaHost, "GET", "/personal/admin/kommun", nil)
	assertContains(t, "Motala's settings", page, `value="Motala kommun"`, `value="MOT"`)
	motala := url.Values{"name": {"Motala kommun"}, "code": {"MOT"}, "contact_phone": {"0141-99 99 99"}}
	if resp, body := csHostDo(mikael, csMotalaHost, "POST", "/personal/admin/kommun", motala); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("Motala's admin saving Motala: %d: %s", resp.StatusCode, errorText(body))
	}
	for _, r := range paths {
		resp, _ := smDo(mikael, "", r.method, r.path, form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login?return=") {
			t.Errorf("Motala's admin on Alingsås: %s %s: %d %q", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := dbInt(t, p, `SELECT count(*) FROM tenant WHERE name = 'Kapad kommun'`); n != 0 {
		t.Error("a refused request changed a municipality's name")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM tenant WHERE slug = 'alingsas' AND contact ->> 'phone' = '0322-61 60 00'`); n != 1 {
		t.Error("Alingsås's settings changed")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM tenant WHERE slug = 'motala' AND contact ->> 'phone' = '0141-99 99 99'`); n != 1 {
		t.Error("Motala's admin could not change Motala")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action LIKE 'municipality%'`); n != 1 {
		t.Errorf("%d changes recorded, want Motala's one", n)
	}
}

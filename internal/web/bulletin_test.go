package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/bulletin"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// btForm is the form of a new operating message shown from start to end.
func btForm(sv string, start, end time.Time) url.Values {
	return url.Values{"text_sv": {sv}, "starts_at": {bulletin.FormatLocal(start)}, "ends_at": {bulletin.FormatLocal(end)}}
}

// btAdd adds an operating message as the admin.
func btAdd(t *testing.T, admin *esBrowser, form url.Values) {
	t.Helper()
	resp, body := admin.post("/personal/admin/driftmeddelanden", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal/admin/driftmeddelanden?klart=added" {
		t.Fatalf("add %q: %d %q: %s", form.Get("text_sv"), resp.StatusCode, resp.Header.Get("Location"), errorText(body))
	}
}

func btID(t *testing.T, p *webtest.Portal, text string) string {
	t.Helper()
	var id string
	if err := p.Pool.QueryRow(t.Context(), `SELECT id::text FROM operating_message WHERE text ->> 'sv' = $1`, text).Scan(&id); err != nil {
		t.Fatalf("message %q: %v", text, err)
	}
	return id
}

func btEService(t *testing.T, p *webtest.Portal, slug string) string {
	t.Helper()
	var id string
	if err := p.Pool.QueryRow(t.Context(), `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Site-wide messages show on every page of the municipality between their start and end; an
// e-service's only on that e-service's pages; a refused form keeps what was typed.
func TestBulletinShownWhenAndWhere(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	now := time.Now()
	page := maria.page("/personal/admin/driftmeddelanden")
	assertContains(t, "admin page", page, "<h1>Driftmeddelanden</h1>", "Inga meddelanden visas just nu.", `type="datetime-local"`,
		"Hela webbplatsen", "Felanmälan gatubelysning", `href="/personal/admin/driftmeddelanden" aria-current="page"`)

	form := btForm("Underhåll i kväll klockan 22–23.", now.Add(-time.Hour), now.Add(time.Hour))
	form.Set("text_en", "Maintenance tonight 22–23.")
	btAdd(t, maria, form)
	btAdd(t, maria, btForm("Planerat underhåll nästa vecka.", now.Add(2*time.Hour), now.Add(3*time.Hour)))
	lighting := btEService(t, p, "felanmalan-gatubelysning")
	es := btForm("Felanmälan av gatubelysning besvaras senare än vanligt.", now.Add(-time.Hour), now.Add(time.Hour))
	es.Set("eservice", lighting)
	btAdd(t, maria, es)
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'operating_message_added'`); n != 3 {
		t.Errorf("%d additions recorded", n)
	}
	assertContains(t, "admin list", maria.page("/personal/admin/driftmeddelanden?klart=added"), "Driftmeddelandet är tillagt.",
		"Visas nu", "Underhåll i kväll", "Kommande", "Planerat underhåll nästa vecka.")

	visitor := newBrowser(t, p)
	for _, path := range []string{"/", "/e-tjanster", "/tillganglighet", "/e-tjanster/anmalan-till-kulturskola"} {
		body := visitor.page(path)
		assertContains(t, path, body, `<section class="bulletins" aria-labelledby="bulletins-heading">`, "Driftinformation", "Underhåll i kväll klockan 22–23.")
		assertLacks(t, path, body, "Planerat underhåll nästa vecka.", "besvaras senare än vanligt")
	}
	assertContains(t, "staff page", maria.page("/personal"), "Underhåll i kväll")
	english := newBrowser(t, p)
	english.post("/sprak", url.Values{"lang": {"en"}, "return": {"/"}})
	assertContains(t, "in English", english.page("/"), "Maintenance tonight 22–23.")
	_, motala := csHostDo(visitor, csMotalaHost, "GET", "/", nil)
	assertLacks(t, "Motala", motala, "Driftinformation", "Underhåll i kväll")

	// The e-service's message: on its page, its steps and its review, and nowhere else.
	assertContains(t, "e-service page", visitor.page("/e-tjanster/felanmalan-gatubelysning"), "Underhåll i kväll", "besvaras senare än vanligt")
	draftID, loc := visitor.start("felanmalan-gatubelysning")
	assertContains(t, "step", visitor.page(loc), "besvaras senare än vanligt")
	review := visitor.walk(loc, streetLightingSteps())
	assertContains(t, "review", visitor.page(review), "besvaras senare än vanligt", "Underhåll i kväll")
	assertContains(t, "e-service page", visitor.page("/e-tjanster/felanmalan-gatubelysning"), `action="/e-tjanster/felanmalan-gatubelysning/starta"`)

	// Shown from the start and up to the end only: two and a half hours on, on the server's clock.
	p.Clock.Advance(150 * time.Minute)
	home := visitor.page("/")
	assertContains(t, "after the times moved", home, "Planerat underhåll nästa vecka.")
	assertLacks(t, "after the times moved", home, "Underhåll i kväll")
	p.Clock.Advance(-150 * time.Minute)
	visitor.submit(draftID, nil)

	// A refused message keeps what was typed.
	bad := url.Values{"text_sv": {""}, "text_en": {"Only English"}, "closes": {"yes"}, "starts_at": {"imorgon"}, "ends_at": {bulletin.FormatLocal(now.Add(-time.Hour))}}
	resp, body := maria.post("/personal/admin/driftmeddelanden", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad message: %d", resp.StatusCode)
	}
	assertContains(t, "refused message", body, "Det finns fel i formuläret", "Skriv meddelandet på svenska.",
		"Skriv när meddelandet ska börja visas", "Bara ett meddelande för en e-tjänst kan stänga den", "Only English", `value="imorgon"`,
		`href="#text_sv"`, `id="closes" name="closes" value="yes" checked`)
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'operating_message_added'`); n != 3 {
		t.Errorf("a refused message was recorded: %d additions", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM operating_message`); n != 3 {
		t.Errorf("%d messages stored", n)
	}
}

// A message that closes an e-service stops new drafts and submissions while it is shown, and keeps
// the drafts there are; ending it opens the e-service again.
func TestBulletinClosesEService(t *testing.T) {
	p := webtest.Start(t)
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	citizen := loggedIn(t, p, "adult")
	draftID, loc := citizen.start("felanmalan-gatubelysning")
	if at := citizen.walk(loc, streetLightingSteps()); at != "/utkast/"+draftID+"/granska" {
		t.Fatalf("the journey ends at %s", at)
	}

	now := time.Now()
	form := btForm("Felanmälan av gatubelysning är stängd under byte av system.", now.Add(-time.Minute), now.Add(2*time.Hour))
	form.Set("eservice", btEService(t, p, "felanmalan-gatubelysning"))
	form.Set("closes", "yes")
	btAdd(t, maria, form)
	assertContains(t, "admin list", maria.page("/personal/admin/driftmeddelanden"), "Stänger e-tjänsten för nya ärenden.")

	page := citizen.page("/e-tjanster/felanmalan-gatubelysning")
	assertContains(t, "closed e-service", page, "är stängd under byte av system", "E-tjänsten tar inte emot nya ärenden just nu.")
	assertLacks(t, "closed e-service", page, `action="/e-tjanster/felanmalan-gatubelysning/starta"`)
	assertContains(t, "another e-service", citizen.page("/e-tjanster/ansokan-om-skolskjuts"), `action="/e-tjanster/ansokan-om-skolskjuts/starta"`)
	if n := strings.Count(citizen.page("/e-tjanster"), "E-tjänsten tar inte emot nya ärenden just nu."); n != 1 {
		t.Errorf("the catalogue marks %d e-services closed, want 1", n)
	}

	drafts := dbInt(t, p, `SELECT count(*) FROM draft`)
	resp, body := citizen.post("/e-tjanster/felanmalan-gatubelysning/starta", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("start of a closed e-service: %d", resp.StatusCode)
	}
	assertContains(t, "refused start", body, "E-tjänsten tar inte emot nya ärenden just nu.")
	if n := dbInt(t, p, `SELECT count(*) FROM draft`); n != drafts {
		t.Errorf("a refused start made a draft: %d drafts, were %d", n, drafts)
	}

	review := citizen.page("/utkast/" + draftID + "/granska")
	assertContains(t, "review of the closed e-service", review, "är stängd under byte av system", "Du kan skicka in när e-tjänsten är öppen igen.")
	assertLacks(t, "review of the closed e-service", review, `action="/utkast/`+draftID+`/skicka"`)
	resp, body = citizen.post("/utkast/"+draftID+"/skicka", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("submit to a closed e-service: %d", resp.StatusCode)
	}
	assertContains(t, "refused submit", body, "så ärendet kunde inte skickas in. Det du har fyllt i finns kvar.", "Kungsgatan 12")
	if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE id = $1 AND answers::text LIKE '%Kungsgatan 12%'`, draftID); n != 1 {
		t.Error("the draft or its answers are gone")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM cases WHERE source_draft_id = $1`, draftID); n != 0 {
		t.Error("a case was made while the e-service was closed")
	}

	// Ending the message opens the e-service again: the draft is submitted.
	id := btID(t, p, form.Get("text_sv"))
	resp, _ = maria.post("/personal/admin/driftmeddelanden/"+id+"/avsluta", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/personal/admin/driftmeddelanden?klart=ended" {
		t.Fatalf("end: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	list := maria.page("/personal/admin/driftmeddelanden?klart=ended")
	assertContains(t, "admin list after ending", list, "Driftmeddelandet är avslutat.", "Inga meddelanden visas just nu.", "Avslutade de senaste 30 dagarna", "är stängd under byte av system")
	if resp, _ := maria.post("/personal/admin/driftmeddelanden/"+id+"/avsluta", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("ending it again: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'operating_message_ended' AND target = $1`, id); n != 1 {
		t.Errorf("%d endings recorded", n)
	}
	page = citizen.page("/e-tjanster/felanmalan-gatubelysning")
	assertLacks(t, "open again", page, "är stängd under byte av system")
	assertContains(t, "open again", page, `action="/e-tjanster/felanmalan-gatubelysning/starta"`)
	citizen.submit(draftID, nil)
}

// Only the municipality's admin manages its operating messages.
func TestBulletinAccess(t *testing.T) {
	p := webtest.Start(t)
	var motalaMessage string
	err := p.Pool.QueryRow(t.Context(), `
		INSERT INTO operating_message (tenant_id, text, starts_at, ends_at)
		SELECT id, '{"sv": "Motalas meddelande"}', now() - interval '1 hour', now() + interval '1 hour' FROM tenant WHERE slug = 'motala'
		RETURNING id::text`).Scan(&motalaMessage)
	if err != nil {
		t.Fatal(err)
	}
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	resp, body := maria.post("/personal/admin/driftmeddelanden/"+motalaMessage+"/avsluta", nil)
	assertNotFound(t, "ending Motala's message", resp, body)
	if resp, _ := maria.post("/personal/admin/driftmeddelanden/inte-ett-id/avsluta", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a bad id: %d", resp.StatusCode)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, _ := anna.post("/personal/admin/driftmeddelanden/"+motalaMessage+"/avsluta", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker ending a message: %d", resp.StatusCode)
	}
	visitor := newBrowser(t, p)
	if resp, _ := visitor.get("/personal/admin/driftmeddelanden"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("visitor: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM operating_message WHERE ends_at > now()`); n != 1 {
		t.Error("Motala's message was ended")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event`); n != 0 {
		t.Errorf("%d changes recorded", n)
	}
	_, motala := csHostDo(visitor, csMotalaHost, "GET", "/e-tjanster", nil)
	assertContains(t, "Motala's catalogue", motala, "Motalas meddelande")
	assertLacks(t, "Alingsås's catalogue", visitor.page("/e-tjanster"), "Motalas meddelande")
}

package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Retention as people meet it: a closed case says when it leaves Mina sidor, and is gone from
// there once the job has run past that day; the municipality admin sees the deletion and sets
// the municipality's own retention; the e-service admin chooses what becomes of a case.
func TestRetentionPages(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()

	// The e-service admin sets twelve months, kept for the municipality.
	admin := staffBrowser(t, p, "eservice-admin-alingsas")
	id := eserviceID(t, p, "alingsas", "felanmalan-gatubelysning")
	f := bsSettingsForm(t, p, id)
	assertContains(t, "the settings page", html.UnescapeString(admin.page("/personal/etjanster/"+id+"/installningar")),
		`name="retention_disposal"`, "exporterats till kommunens diarium", `name="privacy_sources_sv"`, `name="privacy_consent"`)
	f.Set("retention_months", "12")
	f.Set("retention_disposal", "bogus")
	if resp, body := admin.post("/personal/etjanster/"+id+"/installningar", f); resp.StatusCode != http.StatusUnprocessableEntity ||
		!containsText(body, "Välj vad som ska hända med ärendet när gallringstiden har gått.") {
		t.Fatalf("a bad disposal: %d", resp.StatusCode)
	}
	f.Set("retention_disposal", retention.Keep)
	f.Set("privacy_sources_sv", "Namn och adress från folkbokföringen.")
	if resp, body := admin.post("/personal/etjanster/"+id+"/installningar", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d: %s", resp.StatusCode, errorText(body))
	}

	// Karin's report is closed; its page says when it leaves Mina sidor, and its receipt shows
	// the privacy notice with what is fetched from other registers.
	b := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(b, nil, nil)
	_, receipt := b.receipt(caseID)
	assertContains(t, "the receipt", html.UnescapeString(receipt), "Så behandlar vi dina personuppgifter", "Uppgifter från andra register",
		"Namn och adress från folkbokföringen.", "Personuppgiftsansvarig")
	sc := staffBrowser(t, p, "caseworker-alingsas")
	if resp, _ := sc.post("/personal/arenden/"+caseID+"/avsluta", url.Values{"text": {"Lampan är lagad."}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	var closed time.Time
	if err := p.Pool.QueryRow(ctx, `SELECT closed_at FROM cases WHERE id = $1`, caseID).Scan(&closed); err != nil {
		t.Fatal(err)
	}
	leaves := closed.AddDate(0, 12, 0).In(i18n.Stockholm).Format("2006-01-02") // the date in Sweden, as the page shows it
	assertContains(t, "the closed case", b.page("/arenden/"+caseID), "Försvinner från Mina sidor", leaves)

	// Thirteen months later the job has run: the case is gone from Mina sidor, not from the portal.
	svc := retention.New(p.Pool, retention.Config{}, nil)
	svc.Bind(p.Notices)
	if r, err := runRetention(ctx, svc.WithClock(func() time.Time { return closed.AddDate(0, 13, 0) })); err != nil || r.CasesRemoved != 1 {
		t.Fatalf("retention run: %+v, %v", r, err)
	}
	for _, path := range []string{"/arenden/" + caseID, "/arenden/" + caseID + "/kvitto", "/arenden/" + caseID + "/kvitto.pdf"} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s after the case left Mina sidor: %d", path, resp.StatusCode)
		}
	}
	if list := csListPage(t, b, "/mina-sidor/arenden?visa=avslutade"); len(list.Rows) != 0 {
		t.Errorf("closed cases listed: %v", list.refs())
	}
	if resp, _ := sc.get("/personal/arenden/" + caseID); resp.StatusCode != http.StatusOK {
		t.Errorf("the caseworker's page of the kept case: %d", resp.StatusCode)
	}

	// The municipality admin sees the deletion, and sets the municipality's retention.
	muni := staffBrowser(t, p, "municipality-admin-alingsas")
	page := html.UnescapeString(muni.page("/personal/admin/gallring"))
	ref := csLoad(t, p, caseID).Reference
	assertContains(t, "the retention page", page, "Ärende borttaget från Mina sidor", ref, "Felanmälan gatubelysning",
		"E-tjänstens gallringstid (12 månader)", `value="90"`, `value="24"`)
	resp, body := muni.post("/personal/admin/gallring", url.Values{"draft_days": {"3"}, "audit_months": {"24"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !containsText(body, "Ange ett antal dagar mellan 8 och 3 650.") || !containsText(body, `value="3"`) {
		t.Errorf("too few days: %d", resp.StatusCode)
	}
	if resp, _ := muni.post("/personal/admin/gallring", url.Values{"draft_days": {"60"}, "audit_months": {"36"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM tenant WHERE slug = 'alingsas' AND draft_retention_days = 60 AND audit_retention_months = 36`); n != 1 {
		t.Error("the settings were not saved")
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'retention_settings_changed'`); n != 1 {
		t.Errorf("%d changes recorded", n)
	}
	assertContains(t, "the privacy page", b.page("/personuppgifter"), "60 dagar", "36 månader")
	if resp, _ := sc.get("/personal/admin/gallring"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a caseworker on the retention page: %d", resp.StatusCode)
	}
}

func containsText(body, s string) bool { return strings.Contains(html.UnescapeString(body), s) }

// runRetention runs the retention job once it is its turn: the portal's own periodic run (which
// starts with the server, at the real time) may hold the installation's lock for a moment, and a
// run that finds it held does nothing. Two minutes is far longer than any run here takes.
func runRetention(ctx context.Context, svc *retention.Service) (retention.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		r, err := svc.Run(ctx)
		if err != nil || !r.Skipped {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// completePrivacy gives a test's e-service a complete privacy notice, which publishing needs.
func completePrivacy(t testing.TB, p *webtest.Portal, id string) {
	t.Helper()
	var notice eservice.Privacy
	for _, part := range eservice.PrivacyParts {
		*notice.Part(part) = form.Text{"sv": "Om " + part}
	}
	b, err := json.Marshal(notice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Pool.Exec(context.Background(), `UPDATE eservice SET privacy = $2 WHERE id = $1`, id, b); err != nil {
		t.Fatal(err)
	}
}

// An e-service cannot go live with an empty or partial privacy notice: the overview lists each
// missing part with a link to its input, publishing is refused, and once the settings have every
// part it publishes. Republishing an unpublished e-service checks it too.
func TestPublishNeedsCompletePrivacyNotice(t *testing.T) {
	p := webtest.Start(t)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	resp, _ := erik.post("/personal/etjanster", url.Values{"title": {"Lån av båtplats"}, "category": {"culture"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	id := bsEService(t, p, "alingsas", "lan-av-batplats")
	overview := "/personal/etjanster/" + id
	actor := staffActor(t, p, "ali-1003")
	editForm(t, p, actor, id, func(d *form.Definition) {
		d.Steps = append(d.Steps, form.Step{Key: "plats", Title: form.Text{"sv": "Plats"},
			Fields: []form.Field{{Key: "langd", Type: form.Number, Label: form.Text{"sv": "Båtens längd"}}}})
	})

	page := erik.page(overview)
	assertContains(t, "the overview", page, "Information om personuppgifter: ”Vilka personuppgifter” saknas.",
		`href="`+overview+`/installningar#privacy_legal_basis_sv"`)
	assertLacks(t, "the overview", page, `action="`+overview+`/publicera"`)
	resp, body := erik.post(overview+"/publicera", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publishing without a privacy notice: status %d, want 422", resp.StatusCode)
	}
	assertContains(t, "the refusal", body, "”Rättslig grund” saknas.")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice WHERE id = $1 AND state = 'published'`, id); n != 0 {
		t.Fatal("the e-service was published without a privacy notice")
	}

	// The settings page takes every part; then it publishes.
	f := bsSettingsForm(t, p, id)
	f.Set("retention_months", "24")
	for _, part := range eservice.PrivacyParts {
		f.Set("privacy_"+part+"_sv", "Om "+part)
	}
	resp, body = erik.post(overview+"/installningar", f)
	bsRedirect(t, "the settings", resp, body, overview+"/installningar?klart=settings")
	assertLacks(t, "the overview", erik.page(overview), "saknas. Fyll i den under Inställningar.")
	if resp, body := erik.post(overview+"/publicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d: %s", resp.StatusCode, errorText(body))
	}

	// A notice emptied behind the settings' back (an older e-service) blocks republishing.
	if resp, _ := erik.post(overview+"/avpublicera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", resp.StatusCode)
	}
	if _, err := p.Pool.Exec(context.Background(), `UPDATE eservice SET privacy = privacy - 'retention' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if resp, _ := erik.post(overview+"/aterpublicera", nil); resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("republishing without retention: status %d, want a refusal", resp.StatusCode)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM eservice WHERE id = $1 AND state = 'published'`, id); n != 0 {
		t.Error("republished without a complete privacy notice")
	}
}

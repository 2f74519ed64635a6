package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Each kind of request under the data protection regulation, end to end: filed from Mina
// uppgifter, a case of the municipality's data protection e-service in its caseworkers' queue,
// answered and decided there, and the answer and decision back on Mina sidor.
func TestRightsRequestsEndToEnd(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	b := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(b, nil, nil)
	ref, _ := b.receipt(caseID)

	// The form offers every kind and her cases; a bad request comes back with what she typed.
	form := b.page("/mina-sidor/uppgifter/begaran?typ=rectification&arende=" + ref)
	assertContains(t, "the request form", html.UnescapeString(form), "Rättelse: något om mig är fel", "Återkalla ett samtycke", ref+" Felanmälan gatubelysning",
		`value="rectification" checked`, "dataskyddsfunktionen i Alingsås kommun")
	resp, body := b.post("/mina-sidor/uppgifter/begaran", url.Values{"request_kind": {"nonsense"}, "details": {"Hej"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad request: %d", resp.StatusCode)
	}
	assertContains(t, "the refused request", html.UnescapeString(body), "Välj vad du begär.", "Beskriv din begäran med 5 till 4 000 tecken.", ">Hej</textarea>", `class="error-summary"`)

	sc := p.Client(t)
	p.LoginAt(t, sc, p.URL, "/personal", "caseworker-alingsas", "/personal")
	for i, kind := range rights.Kinds {
		details := "Begäran nummer " + string(rune('1'+i)) + ": " + kind
		resp, body := b.post("/mina-sidor/uppgifter/begaran", url.Values{"request_kind": {kind}, "case_reference": {ref}, "details": {details}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/kvitto") {
			t.Fatalf("%s: %d %q: %s", kind, resp.StatusCode, loc, errorText(body))
		}
		id := strings.TrimSuffix(strings.TrimPrefix(loc, "/arenden/"), "/kvitto")
		reqRef, receipt := b.receipt(id)
		assertContains(t, kind+" receipt", html.UnescapeString(receipt), "Begäran enligt dataskyddsförordningen", details, "Kommunstyrelsen")
		var builtin, answered string
		if err := p.Pool.QueryRow(ctx, `SELECT e.builtin, c.answers -> 'request_kind' ->> 0 FROM cases c JOIN eservice e ON e.id = c.eservice_id WHERE c.id = $1`, id).
			Scan(&builtin, &answered); err != nil || builtin != rights.Builtin || answered != kind {
			t.Fatalf("%s: the case is of %q with kind %q: %v", kind, builtin, answered, err)
		}

		// The data protection function (here the municipality's caseworkers) finds it in the queue.
		queue := webtest.ReadBody(t, p.Do(t, sc, "GET", "/personal/arenden?flik=unassigned", nil))
		if !strings.Contains(queue, reqRef) {
			t.Fatalf("%s: %s is not in the caseworker's queue", kind, reqRef)
		}
		staffPage := html.UnescapeString(webtest.ReadBody(t, p.Do(t, sc, "GET", "/personal/arenden/"+id, nil)))
		assertContains(t, kind+" for the caseworker", staffPage, details, ref)
		answer := "Vi har tittat på din begäran (" + kind + ")."
		if resp := p.Do(t, sc, "POST", "/personal/arenden/"+id+"/meddelande", url.Values{"text": {answer}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: the caseworker's answer: %d", kind, resp.StatusCode)
		}
		decision := "Beslut om " + kind + ": beviljas."
		if resp := p.Do(t, sc, "POST", "/personal/arenden/"+id+"/avsluta", url.Values{"text": {decision}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: close: %d", kind, resp.StatusCode)
		}

		// The answer and the decision are on Mina sidor.
		page := html.UnescapeString(b.page("/arenden/" + id))
		assertContains(t, kind+" on Mina sidor", page, answer, decision, "Avslutad")
	}
	profile := html.UnescapeString(b.page("/mina-sidor/uppgifter"))
	for _, kind := range []string{"Rättelse", "Radering", "Begränsning", "Invändning", "Återkallat samtycke"} {
		assertContains(t, "the requests on Mina uppgifter", profile, "<td>"+kind+"</td>")
	}
	// They are not in the catalogue.
	assertLacks(t, "the catalogue", b.page("/e-tjanster"), "Begäran enligt dataskyddsförordningen")
}

// What the portal may erase on its own goes at once; the account stays while a case needs it,
// and goes when none does, with the citizen logged out. Each erasure is recorded.
func TestSelfServiceErasure(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	b := loggedIn(t, p, "adult")
	rtConfirmEmail(b, "karin@example.se")
	b.start("ansokan-om-skolskjuts")
	b.start("anmalan-till-kulturskola")
	csSubmitStreetLighting(b, nil, nil)

	page := html.UnescapeString(b.page("/mina-sidor/uppgifter/radera"))
	assertContains(t, "the erase page", page, "allmänna handlingar", "arkivlagen", "Mina sparade utkast (2)",
		"portalen har 1 ärenden från dig", `id="erase-account" name="erase" value="account" disabled`)
	if resp, body := b.post("/mina-sidor/uppgifter/radera", url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Välj vad du vill radera.") {
		t.Errorf("nothing chosen: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/mina-sidor/uppgifter/radera", url.Values{"erase": {"account"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("erasing an account a case needs: %d", resp.StatusCode)
	}
	if n := csCount(t, p, `SELECT count(*) FROM account WHERE personal_number = '198504129829' AND email IS NOT NULL`); n != 1 {
		t.Error("the refused erasure erased something")
	}
	resp, _ := b.post("/mina-sidor/uppgifter/radera", url.Values{"erase": {"contact", "drafts"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase contact and drafts: %d", resp.StatusCode)
	}
	assertContains(t, "after erasing", b.page(resp.Header.Get("Location")), "Uppgifterna är raderade.")
	if n := csCount(t, p, `SELECT count(*) FROM account WHERE personal_number = '198504129829' AND email IS NULL AND phone IS NULL
		AND preferred_channel IS NULL AND email_verified_at IS NULL`); n != 1 {
		t.Error("the contact data is still there")
	}
	if n := csCount(t, p, `SELECT count(*) FROM draft d JOIN account a ON a.id = d.account_id WHERE a.personal_number = '198504129829'`); n != 0 {
		t.Errorf("%d drafts left", n)
	}
	if n := csCount(t, p, `SELECT count(*) FROM cases c JOIN account a ON a.id = c.account_id WHERE a.personal_number = '198504129829'`); n != 1 {
		t.Error("the case went with the erasure")
	}
	if n := csCount(t, p, `SELECT count(*) FROM deletion_record WHERE rule = 'self_service' AND kind IN ('drafts_erased', 'contact_erased')
		AND (kind <> 'drafts_erased' OR count = 2)`); n != 2 {
		t.Errorf("%d records of the erasure", n)
	}

	// A person without cases erases her account, with a past booking and a draft.
	a := loggedIn(t, p, "noaddress")
	a.start("ansokan-om-skolskjuts")
	if _, err := p.Pool.Exec(ctx, `
		WITH r AS (INSERT INTO booking_resource (tenant_id, slug, name, slot_minutes, capacity) SELECT id, 'rt-gammal', '{"sv": "Gammal"}', 60, 1 FROM tenant WHERE slug = 'alingsas' RETURNING id, tenant_id),
		s AS (INSERT INTO booking_slot (tenant_id, resource_id, starts_at, ends_at, capacity, booked) SELECT tenant_id, id, now() - interval '2 days', now() - interval '47 hours', 1, 1 FROM r RETURNING id, tenant_id, resource_id)
		INSERT INTO booking (tenant_id, resource_id, slot_id, account_id, booked_at) SELECT s.tenant_id, s.resource_id, s.id, a.id, now() - interval '3 days'
		FROM s, account a WHERE a.personal_number = '199501179833'`); err != nil {
		t.Fatal(err)
	}
	assertContains(t, "her erase page", a.page("/mina-sidor/uppgifter/radera"), "Du loggas ut.")
	resp, _ = a.post("/mina-sidor/uppgifter/radera", url.Values{"erase": {"account"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/konto-raderat" {
		t.Fatalf("erase the account: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	assertContains(t, "the erased page", a.page("/konto-raderat"), "Ditt konto är raderat")
	if n := csCount(t, p, `SELECT count(*) FROM account WHERE personal_number = '199501179833'`); n != 0 {
		t.Error("the account is still there")
	}
	if n := csCount(t, p, `SELECT count(*) FROM booking_slot s JOIN booking_resource r ON r.id = s.resource_id WHERE r.slug = 'rt-gammal' AND s.booked = 0`); n != 1 {
		t.Error("the slot still counts the erased booking")
	}
	if resp, _ := a.get("/mina-sidor/uppgifter"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("still logged in after erasing the account: %d", resp.StatusCode)
	}
	if n := csCount(t, p, `SELECT count(*) FROM deletion_record WHERE kind = 'account_erased' AND tenant_id IS NULL AND detail = '{}'`); n != 1 {
		t.Error("the account's erasure is not recorded")
	}
}

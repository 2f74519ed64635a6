package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Lars Eriksson acts for Exempel Bygg AB, whose authorised signatory the companies register says
// he is: an e-service for companies asks him to choose it first, then fills in its name and
// number; the case is the company's, with who acted, on "Företagets ärenden" and the caseworker's
// page. Nobody else may act for it or see its cases. An association is declared, and checked by
// nobody. Two signatories of Exempel Fastigheter AB sign jointly.
func TestOrganisations(t *testing.T) {
	p := webtest.Start(t)
	lars := loggedIn(t, p, "signatory")
	karin := loggedIn(t, p, "adult")

	resp, _ := lars.post("/e-tjanster/ansokan-om-gravtillstand/starta", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/mina-sidor/organisationer?etjanst=") {
		t.Fatalf("start without a company: status %d to %s", resp.StatusCode, loc)
	}
	choose := lars.page(resp.Header.Get("Location"))
	assertContains(t, "choose", choose, "Ansökan om grävtillstånd är för företag och föreningar", "Exempel Bygg AB", "559900-0121",
		"Exempel Fastigheter AB", "firman tecknas av 2 firmatecknare i förening")
	if resp, _ := karin.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"company"}, "number": {"5599000121"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Karin acting for Exempel Bygg AB: status %d, want 403", resp.StatusCode)
	}
	resp, _ = lars.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"company"}, "number": {"5599000121"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("act: status %d", resp.StatusCode)
	}
	assertContains(t, "Mina sidor", lars.page("/mina-sidor"), "Du företräder Exempel Bygg AB", "Företagets ärenden")

	draftID, loc := lars.start("ansokan-om-gravtillstand")
	assertContains(t, "company step", lars.page(loc), `value="Exempel Bygg AB"`, `value="559900-0121"`)
	lars.walk(loc, map[string]url.Values{
		"company": {"organisation_name": {"Exempel Bygg AB"}, "org_number": {"559900-0121"}, "contact.name": {"Lars Eriksson"},
			"contact.email": {"lars@exempelbygg.se"}, "contact.phone": {"070-111 22 33"}},
		"work": {"place.street": {"Kungsgatan 1"}, "place.postal_code": {"441 30"}, "place.city": {"Alingsås"},
			"description": {"Fiberkabel under trottoaren."}, "start": {time.Now().AddDate(0, 0, 14).Format("2006-01-02")}, "days": {"3"}},
	})
	caseID := lars.submit(draftID, nil)
	ref, _ := lars.receipt(caseID)
	if got := dbString(t, p, `SELECT org_kind || ' ' || org_number || ' ' || org_name FROM cases WHERE id = $1`, caseID); got != "company 5599000121 Exempel Bygg AB" {
		t.Errorf("the case's organisation: %q", got)
	}
	cases := lars.page("/mina-sidor/organisationer/company/5599000121")
	assertContains(t, "the company's cases", cases, "Företagets ärenden: Exempel Bygg AB", ref, "Lars Eriksson", "Ansökan om grävtillstånd")
	if resp, _ := karin.get("/mina-sidor/organisationer/company/5599000121"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Karin reading the company's cases: status %d, want 403", resp.StatusCode)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	assertContains(t, "caseworker's page", anna.page("/personal/arenden/"+caseID), "Exempel Bygg AB (559900-0121), företag", "Lars Eriksson")

	// An association is declared, with its problems shown next to what was typed.
	resp, body := karin.post("/mina-sidor/organisationer/forening", url.Values{"org_number": {"802500-0013"}, "org_name": {"Mjörns båtklubb"}, "role": {""}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad declaration: status %d", resp.StatusCode)
	}
	assertContains(t, "bad declaration", body, "Skriv organisationsnumret med 10 siffror", "Skriv din roll", `value="Mjörns båtklubb"`)
	if resp, _ := karin.post("/mina-sidor/organisationer/forening", url.Values{"org_number": {"802500-0012"}, "org_name": {"Mjörns båtklubb"}, "role": {"ordförande"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("declare: status %d", resp.StatusCode)
	}
	if resp, _ := karin.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("acting for the association: status %d", resp.StatusCode)
	}
	if resp, _ := lars.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"association"}, "number": {"8025000012"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Lars acting for Karin's association: status %d, want 403", resp.StatusCode)
	}
	// A company e-service is not for an association.
	if resp, _ := karin.post("/e-tjanster/ansokan-om-gravtillstand/starta", nil); !strings.HasPrefix(resp.Header.Get("Location"), "/mina-sidor/organisationer") {
		t.Errorf("an association starting a company's e-service: to %s", resp.Header.Get("Location"))
	}

	// Firmatecknare i förening: Lars and Karin sign for Exempel Fastigheter AB together.
	lars.post("/mina-sidor/organisationer/foretrad", url.Values{"kind": {"company"}, "number": {"5599000139"}})
	karin.post("/mina-sidor/organisationer/sluta", nil)
	draftID, loc = lars.start("ansokan-om-serveringstillstand")
	lars.walk(loc, map[string]url.Values{
		"company": {"organisation_name": {"Exempel Fastigheter AB"}, "org_number": {"559900-0139"}, "contact.name": {"Lars Eriksson"},
			"contact.email": {"lars@exempelfastigheter.se"}, "contact.phone": {"070-111 22 33"}},
		"premises": {"premises_name": {"Gården"}, "premises_address.street": {"Stora torget 1"}, "premises_address.postal_code": {"441 30"},
			"premises_address.city": {"Alingsås"}, "licence": {"allmanheten"}},
	})
	assertContains(t, "review", lars.page("/utkast/"+draftID+"/granska"), "Karin Lindqvist", "firmatecknare")
	larsAt := &hostBrowser{t: t, p: p, c: lars.c, host: p.URL}
	resp, _ = larsAt.post("/utkast/"+draftID+"/signera", nil)
	acs, msg := larsAt.atIdP(resp, "signatory", nil)
	assertContains(t, "Lars's sign message", msg, "Lars Eriksson", "Ansökan om serveringstillstånd")
	larsAt.signedTo(acs)
	karinAt := &hostBrowser{t: t, p: p, c: karin.c, host: p.URL}
	party := karinAt.partyLink()
	resp, _ = karinAt.post(party, nil)
	acs, msg = karinAt.atIdP(resp, "adult", nil)
	assertContains(t, "Karin's sign message", msg, "Karin Lindqvist", "firmatecknare", "Exempel Fastigheter AB", "Lars Eriksson")
	_, body = karinAt.signedTo(acs)
	assertContains(t, "submitted", body, "Alla har signerat")
	if n := countRows(t, p, `SELECT count(*) FROM cases WHERE org_number = '5599000139'`); n != 1 {
		t.Errorf("%d cases of Exempel Fastigheter AB", n)
	}
}

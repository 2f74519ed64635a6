package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/ledongthuc/pdf"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A caseworker asks for a supplement; the citizen changes an answer and resubmits; the case keeps
// both revisions, and what changed can be listed.
func TestSupplement(t *testing.T) {
	p := webtest.Start(t)
	b := loggedIn(t, p, "adult")
	draftID, loc := b.start("felanmalan-gatubelysning")
	b.walk(loc, streetLightingSteps())
	caseID := b.submit(draftID, nil)
	ctx := context.Background()
	cases := casework.NewStore(p.Pool, p.Notices)
	// The answers are stored once, on the case, which is its revision 1 until a supplement.
	stored := func() (n int) {
		if err := p.Pool.QueryRow(ctx, `SELECT count(*) FROM case_revision WHERE case_id = $1`, caseID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if revs, err := cases.Revisions(ctx, uuid.MustParse(caseID)); err != nil || len(revs) != 1 || revs[0].Number != 1 || stored() != 0 {
		t.Fatalf("a submitted case: %d revisions (%v), %d stored", len(revs), err, stored())
	}

	page := b.page("/arenden/" + caseID)
	if strings.Contains(page, "Komplettera ärendet") {
		t.Fatal("a case nobody asked to supplement offers a supplement")
	}
	if resp, _ := b.post("/arenden/"+caseID+"/komplettera", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("supplement without a request: status %d", resp.StatusCode)
	}

	if err := cases.RequestSupplement(ctx, p.StaffMember(t, "ali-1001"), uuid.MustParse(caseID), "Ange närmaste husnummer."); err != nil {
		t.Fatal(err)
	}
	page = b.page("/arenden/" + caseID)
	assertContains(t, "case page", page, "Väntar på komplettering", "Ange närmaste husnummer.", "Komplettera ärendet")

	resp, _ := b.post("/arenden/"+caseID+"/komplettera", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start supplement: %d", resp.StatusCode)
	}
	step := resp.Header.Get("Location")
	assertContains(t, "supplement step", b.page(step), "Du kompletterar ärende", `value="Kungsgatan 12"`)
	// Starting again finds the same draft.
	if again, _ := b.post("/arenden/"+caseID+"/komplettera", nil); again.Header.Get("Location") != step {
		t.Errorf("a second start made another draft: %q", again.Header.Get("Location"))
	}
	steps := streetLightingSteps()
	steps["fault"].Set("location", "Kungsgatan 14")
	review := b.walk(step, steps)
	assertContains(t, "review", b.page(review), "Skicka kompletteringen", "Kungsgatan 14")

	draft := strings.Split(strings.TrimPrefix(review, "/utkast/"), "/")[0]
	resp, _ = b.post("/utkast/"+draft+"/skicka", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/arenden/"+caseID) {
		t.Fatalf("submit supplement: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The same post again (a double click) leads to the case, and makes no third revision.
	if again, _ := b.post("/utkast/"+draft+"/skicka", nil); again.StatusCode != http.StatusSeeOther {
		t.Errorf("second submit of the supplement: %d", again.StatusCode)
	}
	page = b.page("/arenden/" + caseID + "?kompletterat=1")
	assertContains(t, "case after supplement", page, "Din komplettering är inskickad", "Under handläggning", "Kungsgatan 14", "Du kompletterade ärendet")
	assertLacks(t, "case after supplement", page, "Komplettera ärendet")

	revs, err := cases.Revisions(ctx, uuid.MustParse(caseID))
	if err != nil || len(revs) != 2 || stored() != 2 {
		t.Fatalf("revisions %d, %v, %d stored", len(revs), err, stored())
	}
	c, _ := cases.Get(ctx, uuid.MustParse(caseID))
	version, err := eservice.NewStore(p.Pool).Version(ctx, c.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	changes := casework.Changes(version.Definition, revs[0].Answers, revs[1].Answers, "sv", nil)
	if len(changes) != 1 || changes[0].Before[0] != "Kungsgatan 12" || changes[0].After[0] != "Kungsgatan 14" {
		t.Errorf("changes %+v", changes)
	}
}

// The receipt downloads as a PDF whose text holds the case.
func TestReceiptPDF(t *testing.T) {
	p := webtest.Start(t)
	b := loggedIn(t, p, "adult")
	draftID, loc := b.start("felanmalan-gatubelysning")
	b.walk(loc, streetLightingSteps())
	caseID := b.submit(draftID, nil)
	ref, receipt := b.receipt(caseID)
	assertContains(t, "receipt", receipt, "Ladda ner kvittot som PDF")

	resp, body := b.get("/arenden/" + caseID + "/kvitto.pdf")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r, err := pdf.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	text, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(text)
	assertContains(t, "pdf text", buf.String(), ref, "Alingsås kommun", "Felanmälan gatubelysning", "Kungsgatan 12", "Lyktan vid busshållplatsen")

	// Another citizen gets not found.
	other := loggedIn(t, p, "guardian1")
	if resp, _ := other.get("/arenden/" + caseID + "/kvitto.pdf"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen: %d", resp.StatusCode)
	}
}

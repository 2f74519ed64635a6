package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A status change and its message are one use case: a message that cannot be sent leaves the
// status, the history and the notices as they were.
func TestStatusChangeWithMessageIsOne(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	citizen := loggedIn(t, p, "adult")
	caseID := uuid.MustParse(csSubmitStreetLighting(citizen, nil, nil))
	cases := casework.NewStore(p.Pool, p.Notices)
	anna := p.StaffMember(t, "ali-1001")
	state := func() string {
		var s string
		if err := p.Pool.QueryRow(ctx, `
			SELECT c.status_key || '/' || (SELECT count(*) FROM case_event e WHERE e.case_id = c.id) || '/' ||
				(SELECT count(*) FROM notice n WHERE n.case_id = c.id) || '/' || (SELECT count(*) FROM message m WHERE m.case_id = c.id)
			FROM cases c WHERE c.id = $1`, caseID).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	before := state()
	err := cases.SetStatus(ctx, anna, caseID, "under_handlaggning", strings.Repeat("a", message.MaxBody+1))
	if !errors.Is(err, &apperr.Error{Kind: apperr.Invalid}) {
		t.Fatalf("a too long message: %v, want a refusal", err)
	}
	if after := state(); after != before {
		t.Errorf("a refused message changed the case: %s → %s", before, after)
	}

	// Over HTTP the refusal shows on the case page, with the message kept, and nothing changed.
	b := staffBrowser(t, p, "caseworker-alingsas")
	resp, body := b.post("/personal/arenden/"+caseID.String()+"/status", url.Values{"status": {"under_handlaggning"}, "text": {strings.Repeat("å", message.MaxBody+1)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, strings.Repeat("å", 50)) {
		t.Errorf("a too long message over HTTP: %d", resp.StatusCode)
	}
	if after := state(); after != before {
		t.Errorf("a refused message over HTTP changed the case: %s → %s", before, after)
	}

	if err := cases.SetStatus(ctx, anna, caseID, "under_handlaggning", "Vi tittar på det."); err != nil {
		t.Fatal(err)
	}
	if after := state(); after == before || !strings.HasPrefix(after, "under_handlaggning/") {
		t.Errorf("status with a message: %s → %s", before, after)
	}
	// A caseworker of another municipality cannot change it, and learns nothing.
	if err := cases.SetStatus(ctx, p.StaffMember(t, "mot-2001"), caseID, "inkommen", ""); !errors.Is(err, casework.ErrNotFound) {
		t.Errorf("another municipality's caseworker: %v", err)
	}
}

// A case closed while it waits for a supplement no longer asks for one: the request is
// withdrawn, the citizen is not offered to supplement, and the supplement draft goes.
func TestClosingWithdrawsTheSupplementRequest(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	citizen := loggedIn(t, p, "adult")
	caseID := uuid.MustParse(csSubmitStreetLighting(citizen, nil, nil))
	cases := casework.NewStore(p.Pool, p.Notices)
	anna := p.StaffMember(t, "ali-1001")
	if err := cases.RequestSupplement(ctx, anna, caseID, "Ange stolpens nummer."); err != nil {
		t.Fatal(err)
	}
	// A case that waits already is not asked again.
	if err := cases.RequestSupplement(ctx, anna, caseID, "Och lyktans färg."); !errors.Is(err, casework.ErrAlreadyWaiting) {
		t.Errorf("asked again while waiting: %v", err)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM supplement_request WHERE case_id = $1`, caseID); n != 1 {
		t.Errorf("%d supplement requests, want 1", n)
	}
	page := "/arenden/" + caseID.String()
	assertContains(t, "waiting", citizen.page(page), "Komplettera ärendet")
	if resp, _ := citizen.post(page+"/komplettera", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start the supplement: %d", resp.StatusCode)
	}
	if err := cases.Close(ctx, anna, caseID, "Lyktan är lagad."); err != nil {
		t.Fatal(err)
	}
	body := citizen.page(page)
	assertContains(t, "closed", body, "Lyktan är lagad.")
	assertLacks(t, "closed", body, "Komplettera ärendet")
	if r, err := cases.OpenRequest(ctx, caseID); err != nil || r != nil {
		t.Errorf("open request after closing: %+v, %v", r, err)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM draft WHERE case_id = $1`, caseID); n != 0 {
		t.Errorf("%d supplement drafts left of a closed case", n)
	}
	if err := cases.SetStatus(ctx, anna, caseID, "under_handlaggning", ""); !errors.Is(err, casework.ErrClosed) {
		t.Errorf("a status of a closed case: %v", err)
	}
}

// Every staff page that reads a case or cases writes exactly one audit record, in the read's
// own transaction; a refused action's page, which shows the case again, too.
func TestEveryStaffReadIsAudited(t *testing.T) {
	p := webtest.Start(t)
	citizen := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(citizen, pngImage(t), nil)
	var fileID string
	if err := p.Pool.QueryRow(context.Background(), `SELECT id::text FROM upload WHERE case_id = $1 LIMIT 1`, caseID).Scan(&fileID); err != nil {
		t.Fatal(err)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	count := func() int { return dbInt(t, p, `SELECT count(*) FROM audit_record`) }
	base := "/personal/arenden/" + caseID
	for _, tt := range []struct {
		name   string
		do     func() *http.Response
		status int
	}{
		{"queue", func() *http.Response { r, _ := anna.get("/personal/arenden"); return r }, http.StatusOK},
		{"queue tab", func() *http.Response { r, _ := anna.get("/personal/arenden?flik=active"); return r }, http.StatusOK},
		{"search", func() *http.Response { r, _ := anna.get("/personal/arenden?sok=lykta"); return r }, http.StatusOK},
		{"case", func() *http.Response { r, _ := anna.get(base); return r }, http.StatusOK},
		{"file", func() *http.Response { r, _ := anna.get(base + "/filer/" + fileID); return r }, http.StatusOK},
		{"refused note", func() *http.Response { r, _ := anna.post(base+"/anteckning", url.Values{"text": {" "}}); return r }, http.StatusUnprocessableEntity},
	} {
		before := count()
		if resp := tt.do(); resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if n := count() - before; n != 1 {
			t.Errorf("%s wrote %d audit records, want 1", tt.name, n)
		}
	}
	// An action that succeeds reads nothing: the page it returns to is the read.
	before := count()
	if resp, _ := anna.post(base+"/anteckning", url.Values{"text": {"Ring elbolaget."}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("note: %d", resp.StatusCode)
	}
	if n := count() - before; n != 0 {
		t.Errorf("a note wrote %d audit records", n)
	}
}

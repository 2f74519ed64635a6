package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The citizen's data rights through the real server and PostgreSQL: the register extract of a
// person with something of everything, checked field by field against the database; each kind of
// request under the data protection regulation, from Mina uppgifter to the caseworker's decision
// and back; and the erasure the citizen may do on their own.

var rtExtractPath = regexp.MustCompile(`^/mina-sidor/uppgifter/utdrag/([0-9a-f-]{36})$`)

// rtConfirmEmail saves and confirms the citizen's e-mail address, as notice_test does.
func rtConfirmEmail(b *esBrowser, email string) {
	b.t.Helper()
	b.post("/mina-sidor/uppgifter", url.Values{"email": {email}, "preferred_channel": {"email"}})
	b.post("/mina-sidor/uppgifter/kod", url.Values{"channel": {"email"}})
	m := codeRE.FindStringSubmatch(b.page("/dev/brevlada"))
	if m == nil {
		b.t.Fatal("no code in the mailbox")
	}
	if resp, _ := b.post("/mina-sidor/uppgifter/bekrafta", url.Values{"channel": {"email"}, "code": {m[1] + m[2]}}); resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("confirm: %d", resp.StatusCode)
	}
}

// rtAskExtract asks for the citizen's extract and waits until the job has built it; it returns
// the extract's address and its page.
func rtAskExtract(b *esBrowser) (string, string) {
	b.t.Helper()
	resp, body := b.post("/mina-sidor/uppgifter/utdrag", nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !rtExtractPath.MatchString(loc) {
		b.t.Fatalf("ask for the extract: %d %q: %s", resp.StatusCode, loc, errorText(body))
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		page := b.page(loc)
		if strings.Contains(page, "Hämta utdraget") {
			return loc, page
		}
		if !strings.Contains(page, "<progress") {
			b.t.Fatalf("the extract is neither being built nor ready: %s", errorText(page))
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the extract was not built in two minutes")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestRegisterExtractOfARichPerson(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	b := loggedIn(t, p, "adult")
	rtConfirmEmail(b, "karin@example.se")
	// The street lighting report's legal basis is consent in this test, so that it is listed as one.
	if _, err := p.Pool.Exec(ctx, `UPDATE eservice SET privacy = privacy || '{"consent": true, "sources": {"sv": "Namn och adress från folkbokföringen."}}' WHERE slug = 'felanmalan-gatubelysning'`); err != nil {
		t.Fatal(err)
	}

	// A case with a photo, a message each way with files, a staff member's read.
	caseID := csSubmitStreetLighting(b, pngImage(t), nil)
	ref, _ := b.receipt(caseID)
	msgs := message.NewStore(p.Pool, p.Notices)
	pdf := pdfDocument("Svar")
	if _, err := msgs.Send(ctx, uuid.MustParse(caseID), message.Caseworker, "Anna Handläggare", "Vi byter lampan.\nTack!", []message.File{{Name: "svar.pdf", Data: pdf}}); err != nil {
		t.Fatal(err)
	}
	if _, err := msgs.Send(ctx, uuid.MustParse(caseID), message.Citizen, "Karin Lindqvist", "Tack själv.", nil); err != nil {
		t.Fatal(err)
	}
	sc := p.Client(t)
	p.LoginAt(t, sc, p.URL, "/personal", "caseworker-alingsas", "/personal")
	if resp := p.Do(t, sc, "GET", "/personal/arenden/"+caseID, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the caseworker's read: %d", resp.StatusCode)
	}
	// A draft, a booking, a request that withdraws the consent, and a security event of hers.
	draftID, _ := b.start("ansokan-om-skolskjuts")
	resource := bkResource(t, p, "rt-radgivning", 30, 2, 30, 0, 0)
	start := time.Now().In(time.UTC).Truncate(24*time.Hour).AddDate(0, 0, 3)
	start = bkAt(start.Year(), start.Month(), start.Day(), 10, 0)
	bookingID := bkBook(t, p, b.c, resource, start)
	resp, body := b.post("/mina-sidor/uppgifter/begaran", url.Values{"request_kind": {"withdraw_consent"}, "case_reference": {ref},
		"details": {"Jag tar tillbaka mitt samtycke."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw consent: %d: %s", resp.StatusCode, errorText(body))
	}
	requestID := strings.TrimSuffix(strings.TrimPrefix(resp.Header.Get("Location"), "/arenden/"), "/kvitto")
	var karin uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM account WHERE personal_number = '198504129829'`).Scan(&karin); err != nil {
		t.Fatal(err)
	}
	if err := security.New(p.Pool, nil).Record(ctx, security.Event{Kind: security.CodeLockout, Reason: "too_many_wrong_codes", AccountID: karin}); err != nil {
		t.Fatal(err)
	}
	// The report was signed by her with e-ID (as package signing stores it).
	if _, err := p.Pool.Exec(ctx, `
		WITH g AS (INSERT INTO signing (tenant_id, eservice_id, case_id, account_id, state, content_hash)
			SELECT tenant_id, eservice_id, id, account_id, 'submitted', '\xabcd' FROM cases WHERE id = $1 RETURNING id, tenant_id),
		p AS (INSERT INTO signing_party (signing_id, tenant_id, role, position, personal_number, name)
			SELECT id, tenant_id, 'applicant', 1, '198504129829', 'Karin Lindqvist' FROM g RETURNING id, tenant_id)
		INSERT INTO signature (party_id, tenant_id, signed_at, personal_number, name, content_hash, sign_message, response, issuer, certificate, loa, assertion_id)
		SELECT id, tenant_id, now(), '198504129829', 'Karin Lindqvist', '\xabcd', 'Jag skriver under', '\x00', 'idp', '\x00', 'loa3', 'a-1' FROM p`, caseID); err != nil {
		t.Fatal(err)
	}

	loc, page := rtAskExtract(b)
	extractID := rtExtractPath.FindStringSubmatch(loc)[1]
	page = html.UnescapeString(page)
	assertContains(t, "the extract's page", page, "Karin Lindqvist", "19850412-9829", ref, "Vi byter lampan.", "Anna Handläggare",
		"karin@example.se", "Ansökan om skolskjuts", "Testresurs rt-radgivning", "Samtycken", "Namn och adress från folkbokföringen.",
		"utdrag.pdf", "utdrag.json", "utdrag.zip")

	// The JSON document, field by field against the database.
	resp = p.Do(t, b.c, "GET", loc+"/utdrag.json", nil)
	raw := []byte(webtest.ReadBody(t, resp))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("utdrag.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var d extract.Document
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	rtCheckDocument(t, p, karin, d, rtExpect{caseID: caseID, ref: ref, draftID: draftID, bookingID: bookingID, requestID: requestID})

	// The ZIP: the same document, and every file with its checksum.
	resp = p.Do(t, b.c, "GET", loc+"/utdrag.zip", nil)
	zipped := []byte(webtest.ReadBody(t, resp))
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatalf("utdrag.zip: %v", err)
	}
	inZip := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		inZip[f.Name] = buf.Bytes()
	}
	if !bytes.Equal(inZip[extract.DocumentName], raw) {
		t.Error("the ZIP's document differs from the JSON download")
	}
	files := d.AllFiles()
	if len(files) != 2 { // the photo, and the caseworker's attachment
		t.Errorf("%d files in the extract, want the photo and the caseworker's attachment: %+v", len(files), files)
	}
	for _, f := range files {
		data, ok := inZip[f.Path]
		sum := sha256.Sum256(data)
		if !ok || hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
			t.Errorf("file %s: in the ZIP %v, its checksum or size differs", f.Path, ok)
		}
	}

	// The PDF.
	resp = p.Do(t, b.c, "GET", loc+"/utdrag.pdf", nil)
	if body := webtest.ReadBody(t, resp); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("utdrag.pdf: %d %.20q", resp.StatusCode, body)
	}

	// Reading the extract writes nothing; no one else reaches it, and a visitor is sent to log in.
	_, counts := p.Measure(t, b.c, "GET", loc, nil)
	if counts.Writes() != 0 {
		t.Errorf("the extract's page wrote %d times", counts.Writes())
	}
	other := loggedIn(t, p, "guardian1")
	for _, path := range []string{loc, loc + "/utdrag.json", loc + "/utdrag.zip", loc + "/utdrag.pdf"} {
		if resp, _ := other.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another person's GET %s: %d", path, resp.StatusCode)
		}
		if resp := p.Do(t, p.Client(t), "GET", path, nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a visitor's GET %s: %d", path, resp.StatusCode)
		}
	}
	// Asking again at once (a double click) gives the same extract, not a second one.
	if resp, _ := b.post("/mina-sidor/uppgifter/utdrag", nil); resp.Header.Get("Location") != loc {
		t.Errorf("asking again led to %q, want %q", resp.Header.Get("Location"), loc)
	}
	// She was told it is ready; the request is recorded and listed on Mina uppgifter.
	waitForMail(t, b, 1, "Ditt registerutdrag är klart")
	assertContains(t, "Mina uppgifter", b.page("/mina-sidor/uppgifter"), loc, "Klart")

	// After its time the retention job removes it; the request stays as its record.
	if _, err := p.Pool.Exec(ctx, `UPDATE extract_request SET expires_at = now() - interval '1 minute' WHERE id = $1`, extractID); err != nil {
		t.Fatal(err)
	}
	if resp, _ := b.get(loc + "/utdrag.zip"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an expired extract's ZIP: %d", resp.StatusCode)
	}
	assertContains(t, "an expired extract", b.page(loc), "Begär ett nytt utdrag")
}

type rtExpect struct {
	caseID, ref, draftID, bookingID, requestID string
}

// rtCheckDocument compares the extract with what the database holds about the account.
func rtCheckDocument(t *testing.T, p *webtest.Portal, account uuid.UUID, d extract.Document, x rtExpect) {
	t.Helper()
	ctx := context.Background()
	q := func(sql string, dest ...any) {
		t.Helper()
		if err := p.Pool.QueryRow(ctx, sql, account).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	diff := func(what string, want, got any) {
		t.Helper()
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-database +extract):\n%s", what, d)
		}
	}
	if d.Format != "minasidor.extract" || d.Version != 1 || d.Language != "sv" {
		t.Errorf("format %s %d %s", d.Format, d.Version, d.Language)
	}

	var person extract.Person
	var street, postal, city string
	q(`SELECT id, personal_number, given_name, surname, display_name, protected_identity, street, postal_code, city,
		address_fetched_at, language, created_at, last_login_at, previous_login_at FROM account WHERE id = $1`,
		&person.AccountID, &person.PersonalNumber, &person.GivenName, &person.Surname, &person.DisplayName, &person.ProtectedIdentity,
		&street, &postal, &city, &person.AddressFetchedAt, &person.Language, &person.CreatedAt, &person.LastLoginAt, &person.PreviousLoginAt)
	person.Address = &extract.Address{Street: street, PostalCode: postal, City: city}
	diff("person", rtTimes(person), rtTimes(d.Person))

	var contact extract.Contact
	q(`SELECT email, email_verified_at, coalesce(phone, ''), phone_verified_at, preferred_channel FROM account WHERE id = $1`,
		&contact.Email, &contact.EmailConfirmedAt, &contact.Phone, &contact.PhoneConfirmedAt, &contact.PreferredChannel)
	diff("contact", rtTimes(contact), rtTimes(d.Contact))
	if contact.EmailConfirmedAt == nil {
		t.Error("the e-mail address is not confirmed in the database")
	}

	// Drafts: the school transport draft only (submitting the others removed them).
	if len(d.Drafts) != 1 || d.Drafts[0].ID.String() != x.draftID || d.Drafts[0].EService.Slug != "ansokan-om-skolskjuts" {
		t.Fatalf("drafts: %+v", d.Drafts)
	}
	var draftAnswers map[string][]string
	var created, updated time.Time
	q(`SELECT answers, created_at, updated_at FROM draft WHERE account_id = $1`, &draftAnswers, &created, &updated)
	diff("the draft's answers", draftAnswers, d.Drafts[0].Answers.Values)
	diff("the draft's times", rtTimes([]time.Time{created, updated}), rtTimes([]time.Time{d.Drafts[0].CreatedAt, d.Drafts[0].UpdatedAt}))

	// Cases: the report and the request, newest first.
	var refs []string
	for _, c := range d.Cases {
		refs = append(refs, c.Reference)
	}
	var wantRefs []string
	rows, _ := p.Pool.Query(ctx, `SELECT reference FROM cases WHERE account_id = $1 ORDER BY submitted_at DESC, id`, account)
	for rows.Next() {
		var r string
		rows.Scan(&r)
		wantRefs = append(wantRefs, r)
	}
	diff("the cases", wantRefs, refs)
	i := slices.IndexFunc(d.Cases, func(c extract.Case) bool { return c.ID.String() == x.caseID })
	if i < 0 {
		t.Fatalf("the report %s is not in the extract", x.ref)
	}
	c := d.Cases[i]
	var answers map[string][]string
	var status string
	var submitted time.Time
	if err := p.Pool.QueryRow(ctx, `SELECT answers, status, submitted_at FROM cases WHERE id = $1`, x.caseID).Scan(&answers, &status, &submitted); err != nil {
		t.Fatal(err)
	}
	diff("the case's answers", answers, c.Answers.Values)
	if c.Status != status || !c.SubmittedAt.Equal(submitted) || c.Reference != x.ref || c.EService.Municipality != "Alingsås kommun" {
		t.Errorf("the case: %+v", c)
	}
	if pv := c.EService.Privacy; pv.Controller == "" || pv.LegalBasis == "" || pv.Sources != "Namn och adress från folkbokföringen." || !pv.Consent {
		t.Errorf("the case's privacy notice: %+v", pv)
	}
	if len(c.Signatures) != 1 || c.Signatures[0].Name != "Karin Lindqvist" || c.Signatures[0].Role != "applicant" || c.Signatures[0].ContentHash != "abcd" {
		t.Errorf("the case's signatures: %+v", c.Signatures)
	}
	if len(d.Signed) != 1 || d.Signed[0].Reference != x.ref || d.Signed[0].ContentHash != "abcd" {
		t.Errorf("her signatures: %+v", d.Signed)
	}
	if len(c.Answers.Shown) == 0 || len(c.Revisions) != 1 {
		t.Errorf("the case's shown answers or revisions: %+v %+v", c.Answers.Shown, c.Revisions)
	}
	type file struct {
		ID          uuid.UUID
		Name, Type  string
		Size        int64
		SHA, Parent string
	}
	var wantFiles []file
	rows, _ = p.Pool.Query(ctx, `SELECT id, filename, content_type, size, encode(sha256, 'hex'), CASE WHEN message_id IS NULL THEN 'form' ELSE 'message' END
		FROM upload WHERE case_id = $1 ORDER BY created_at, id`, x.caseID)
	for rows.Next() {
		var f file
		rows.Scan(&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA, &f.Parent)
		wantFiles = append(wantFiles, f)
	}
	var gotFiles []file
	for _, f := range c.Files {
		gotFiles = append(gotFiles, file{f.ID, f.Name, f.ContentType, f.Size, f.SHA256, "form"})
	}
	for _, m := range c.Messages {
		for _, f := range m.Files {
			gotFiles = append(gotFiles, file{f.ID, f.Name, f.ContentType, f.Size, f.SHA256, "message"})
		}
	}
	diff("the case's files", wantFiles, gotFiles)
	type msg struct{ From, Author, Body string }
	var wantMsgs []msg
	rows, _ = p.Pool.Query(ctx, `SELECT sender, author_name, body FROM message WHERE case_id = $1 ORDER BY created_at, id`, x.caseID)
	for rows.Next() {
		var m msg
		rows.Scan(&m.From, &m.Author, &m.Body)
		wantMsgs = append(wantMsgs, m)
	}
	var gotMsgs []msg
	for _, m := range c.Messages {
		gotMsgs = append(gotMsgs, msg{m.From, m.Author, m.Body})
	}
	diff("the case's messages", wantMsgs, gotMsgs)
	type read struct{ Name, Unit, Role, What string }
	var wantReads []read
	rows, _ = p.Pool.Query(ctx, `SELECT staff_name, staff_unit, role, what FROM audit_record WHERE case_id = $1 ORDER BY at, id`, x.caseID)
	for rows.Next() {
		var r read
		rows.Scan(&r.Name, &r.Unit, &r.Role, &r.What)
		wantReads = append(wantReads, r)
	}
	var gotReads []read
	for _, r := range c.ReadBy {
		gotReads = append(gotReads, read{r.Name, r.Unit, r.Role, r.What})
	}
	diff("who read the case", wantReads, gotReads)
	if len(wantReads) == 0 {
		t.Error("the caseworker's read is not in the audit log")
	}
	var events int
	q(`SELECT count(*) FROM case_event e JOIN cases c ON c.id = e.case_id WHERE c.account_id = $1 AND c.id = '`+x.caseID+`'`, &events)
	if len(c.Events) != events {
		t.Errorf("%d events, the database has %d", len(c.Events), events)
	}

	// The consent given with the report, withdrawn by the request.
	reqRef := ""
	if err := p.Pool.QueryRow(ctx, `SELECT reference FROM cases WHERE id = $1`, x.requestID).Scan(&reqRef); err != nil {
		t.Fatal(err)
	}
	if len(d.Consents) != 1 || d.Consents[0].Reference != x.ref || d.Consents[0].WithdrawnWith != reqRef || d.Consents[0].WithdrawnAt == nil {
		t.Errorf("consents: %+v", d.Consents)
	}

	// The booking, the notices, the security event, the requests for extracts.
	var bk extract.Booking
	q(`SELECT b.id, b.state, b.booked_at, s.starts_at, s.ends_at FROM booking b JOIN booking_slot s ON s.id = b.slot_id WHERE b.account_id = $1`,
		&bk.ID, &bk.State, &bk.BookedAt, &bk.StartsAt, &bk.EndsAt)
	if len(d.Bookings) != 1 || d.Bookings[0].ID.String() != x.bookingID || d.Bookings[0].State != bk.State ||
		!d.Bookings[0].StartsAt.Equal(bk.StartsAt) || !d.Bookings[0].EndsAt.Equal(bk.EndsAt) || d.Bookings[0].Resource != "Testresurs rt-radgivning" {
		t.Errorf("bookings: %+v, want %+v", d.Bookings, bk)
	}
	var notices int
	q(`SELECT count(*) FROM notice WHERE account_id = $1 AND kind <> 'extract_ready'`, &notices) // that one follows the extract
	if len(d.Notices) != notices || notices < 3 {
		t.Errorf("%d notices, the database has %d", len(d.Notices), notices)
	}
	kinds := map[string]bool{}
	for _, n := range d.Notices {
		kinds[n.Kind] = true
	}
	for _, k := range []string{"case_submitted", "new_message", "booking_confirmed"} {
		if !kinds[k] {
			t.Errorf("no notice of kind %s in %+v", k, d.Notices)
		}
	}
	if len(d.Security) != 1 || d.Security[0].Kind != security.CodeLockout || d.Security[0].Reason != "too_many_wrong_codes" {
		t.Errorf("security events: %+v", d.Security)
	}
	if len(d.Requests) != 1 || d.Requests[0].State != "building" {
		t.Errorf("extract requests (this one, while it was built): %+v", d.Requests)
	}
}

// rtTimes is v with its times in UTC at microseconds, as the database and JSON round them.
func rtTimes(v any) string {
	b, _ := json.Marshal(v)
	var m any
	json.Unmarshal(b, &m)
	var walk func(any) any
	walk = func(x any) any {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				x[k] = walk(v)
			}
		case []any:
			for i, v := range x {
				x[i] = walk(v)
			}
		case string:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
			}
		}
		return x
	}
	out, _ := json.MarshalIndent(walk(m), "", " ")
	return string(out)
}

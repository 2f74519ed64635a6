package disclosure_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ledongthuc/pdf"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/staff"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is the demo data with a building permit case of Karin's, with a message from her.
type fixture struct {
	t         *testing.T
	pool      *pgxpool.Pool
	store     *disclosure.Store
	ruth      staff.Member // registrar
	rolf      staff.Member // a second registrar
	anna      staff.Member // caseworker
	maria     staff.Member // municipality admin
	tenantID  uuid.UUID
	caseID    uuid.UUID
	reference string
}

// The applicant's identifying answers, each as it may be written anywhere.
var karinsSecrets = []string{"19850412-9829", "198504129829", "Kungsgatan 12", "441 30", "Min granne Sven Hemlig"}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, pool: pool, store: disclosure.NewStore(pool, nil)}
	f.ruth, f.rolf, f.anna, f.maria = f.member("ali-1005"), f.member("ali-1006"), f.member("ali-1001"), f.member("ali-1004")
	f.tenantID = f.ruth.TenantID
	f.caseID, f.reference = f.addCase(false, "ALI-2026-000901")
	return f
}

func (f *fixture) member(employee string) staff.Member {
	f.t.Helper()
	var id uuid.UUID
	if err := f.pool.QueryRow(context.Background(), `SELECT id FROM staff WHERE employee_id = $1`, employee).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	m, err := staff.NewStore(f.pool).ByID(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

// addCase adds a building permit case (of a protected identity when protected) with a message
// from the applicant.
func (f *fixture) addCase(protected bool, ref string) (uuid.UUID, string) {
	f.t.Helper()
	pnr := "198504129829"
	if protected {
		pnr = "199007239842"
	}
	f.exec(`INSERT INTO account (personal_number, given_name, surname, display_name, protected_identity)
		VALUES ($1, 'Karin', 'Lindqvist', 'Karin Lindqvist', $2) ON CONFLICT DO NOTHING`, pnr, protected)
	var id uuid.UUID
	err := f.pool.QueryRow(context.Background(), `
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id, submitted_at)
		SELECT e.tenant_id, e.id, e.current_version_id, $1, (SELECT id FROM account WHERE personal_number = $2), $3, gen_random_uuid(), now()
		FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'alingsas' AND e.slug = 'ansokan-om-bygglov'
		RETURNING id`, ref, pnr, `{"property_designation": ["Sörhaga 1:23"], "owner": ["yes"],
		"applicant_contact.name": ["Karin Lindqvist"], "applicant_contact.email": ["karin.lindqvist@example.se"],
		"applicant_personal_number": ["19850412-9829"],
		"applicant_address.street": ["Kungsgatan 12"], "applicant_address.postal_code": ["441 30"], "applicant_address.city": ["Alingsås"],
		"measure_type": ["nybyggnad"], "description": ["Ett fristående garage i trä med sadeltak."],
		"building_area": ["36"], "correct": ["yes"]}`).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	f.exec(`INSERT INTO message (tenant_id, case_id, sender, author_name, body) VALUES ($1, $2, 'citizen', 'Karin Lindqvist', 'Min granne Sven Hemlig vet om bygget.')`, f.tenantID, id)
	return id, ref
}

// request makes a request for the reference, to be answered through the secret link.
func (f *fixture) request(refs string) disclosure.Asked {
	f.t.Helper()
	a, err := f.store.Create(context.Background(), disclosure.Ask{TenantID: f.tenantID, Lang: "sv", References: refs, Delivery: disclosure.DeliveryLink})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) link(reqID, caseID uuid.UUID) {
	f.t.Helper()
	if err := f.store.Link(context.Background(), f.ruth, reqID, caseID); err != nil {
		f.t.Fatal(err)
	}
}

// pdfText reads the text layer of a PDF.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("read PDF: %v", err)
	}
	rd, err := r.GetPlainText()
	if err != nil {
		t.Fatalf("PDF text: %v", err)
	}
	text, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

var streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// inflated is the PDF's bytes with every compressed stream inflated: what any tool could read
// out of the file.
func inflated(t *testing.T, b []byte) []byte {
	t.Helper()
	out := bytes.Clone(b)
	for _, m := range streamRE.FindAllSubmatch(b, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed
		}
		data, _ := io.ReadAll(zr)
		out = append(out, data...)
	}
	return out
}

// assertAbsent checks that no secret is anywhere in the PDF: in its bytes, its inflated streams
// (in UTF-8 or UTF-16, as PDF strings may be), or its text layer.
func assertAbsent(t *testing.T, b []byte, secrets ...string) {
	t.Helper()
	all, text := inflated(t, b), pdfText(t, b)
	for _, s := range secrets {
		if bytes.Contains(all, []byte(s)) || bytes.Contains(all, utf16be(s)) {
			t.Errorf("the PDF's bytes hold %q", s)
		}
		if strings.Contains(text, s) {
			t.Errorf("the PDF's text holds %q", s)
		}
	}
}

func utf16be(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}

func assertText(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// The test the issue asks for: a release with masked fields has the masked text nowhere in the
// PDF, neither in its bytes nor in its text layer; the same case released unmasked does have it,
// so the check can fail.
func TestReleaseLeavesMaskedTextOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	// The control: released as it is, the PDF has the applicant's number and address.
	control := f.request(f.reference)
	f.link(control.ID, f.caseID)
	if state, err := f.store.Decide(ctx, f.ruth, control.ID, disclosure.Ruling{}); err != nil || state != disclosure.StateDecided {
		t.Fatalf("decide the control: %q, %v", state, err)
	}
	_, plain, err := f.store.AnswerPDF(ctx, disclosure.Requester{TenantID: f.tenantID, Key: control.Key})
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, "the unmasked release", pdfText(t, plain), "19850412-9829", "Kungsgatan 12", "441 30 Alingsås", "Min granne Sven Hemlig")

	// The request: the registrar masks the number and the address and withholds the message.
	asked := f.request(strings.ToLower(f.reference))
	f.link(asked.ID, f.caseID)
	doc, err := f.store.ReadDocument(ctx, f.ruth, asked.ID, f.caseID, "sv")
	if err != nil {
		t.Fatal(err)
	}
	var messageID string
	for _, p := range doc.Parts {
		if p.Kind == disclosure.PartMessage {
			messageID = p.ID()
		}
		if p.Decision != disclosure.Release {
			t.Errorf("the part %s of an ordinary applicant is %s by default", p.ID(), p.Decision)
		}
	}
	err = f.store.DecideParts(ctx, f.ruth, asked.ID, f.caseID, disclosure.Decide{
		"answer:applicant_personal_number": {Decision: disclosure.Mask, Ground: "OSL 21:3"},
		"answer:applicant_address":         {Decision: disclosure.Mask, Ground: "OSL 21:3"},
		messageID:                          {Decision: disclosure.Withhold, Ground: "OSL 26:1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	preview, err := f.store.Preview(ctx, f.ruth, asked.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertAbsent(t, preview, karinsSecrets...)
	assertText(t, "the preview", pdfText(t, preview), "FÖRHANDSGRANSKNING")

	if _, err := f.store.Decide(ctx, f.ruth, asked.ID, disclosure.Ruling{Reasoning: "Uppgifterna kan röja var sökanden bor."}); err != nil {
		t.Fatal(err)
	}
	ref, released, err := f.store.AnswerPDF(ctx, disclosure.Requester{TenantID: f.tenantID, Key: asked.Key})
	if err != nil || ref == "" {
		t.Fatalf("the requester's answer: %q, %v", ref, err)
	}
	assertAbsent(t, released, karinsSecrets...)
	text := pdfText(t, released)
	assertText(t, "the release", text,
		f.reference, "Ansökan om bygglov", "Sörhaga 1:23", "Karin Lindqvist", "Ett fristående garage",
		"Personnummer", "Postadress", "Maskerat enligt OSL 21:3 (Skyddad identitet och adress)",
		"Ett meddelande lämnas inte ut enligt OSL 26:1 (Socialtjänst)",
		"Beslut", "avslås i de delarna", "Uppgifterna kan röja var sökanden bor.", "kammarrätten", "tre veckor",
		"Ruth Registrator")
	if strings.Contains(text, "FÖRHANDSGRANSKNING") {
		t.Error("the release says it is a preview")
	}

	// Every masking and the release are in the log.
	var kinds []string
	rows, err := f.pool.Query(ctx, `SELECT kind FROM disclosure_event WHERE request_id = $1 ORDER BY at, id`, asked.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		kinds = append(kinds, k)
	}
	log := strings.Join(kinds, " ")
	for _, want := range []string{"received", "linked", "part_decided", "masked", "withheld", "decided", "released"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log %q lacks %s", log, want)
		}
	}
	// The reads were recorded as the registrar's.
	if n := count(t, f.pool, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND role = 'registrar'`, f.caseID); n < 2 {
		t.Errorf("%d registrar reads of the case recorded, want the review and the preview", n)
	}
	// Answered, nothing changes any more.
	if err := f.store.DecideParts(ctx, f.ruth, asked.ID, f.caseID, disclosure.Decide{"answer:owner": {Decision: disclosure.Release}}); !errors.Is(err, disclosure.ErrClosed) {
		t.Errorf("a change after the answer: %v", err)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A protected identity's identifying answers, messages and files are masked by default.
func TestProtectedIdentityMaskedByDefault(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	caseID, ref := f.addCase(true, "ALI-2026-000902")
	asked := f.request(ref)
	f.link(asked.ID, caseID)
	doc, err := f.store.ReadDocument(ctx, f.ruth, asked.ID, caseID, "sv")
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Protected {
		t.Error("the document does not say the applicant is protected")
	}
	want := map[string]string{
		"answer:applicant_personal_number": disclosure.Mask, "answer:applicant_address": disclosure.Mask,
		"answer:applicant_contact": disclosure.Mask, "answer:property_designation": disclosure.Release,
		"answer:description": disclosure.Release,
	}
	for _, p := range doc.Parts {
		if w, ok := want[p.ID()]; ok && (p.Decision != w || (w == disclosure.Mask && p.Ground != "OSL 21:3")) {
			t.Errorf("%s: %s %q by default, want %s", p.ID(), p.Decision, p.Ground, w)
		}
		if p.Kind == disclosure.PartMessage && p.Decision != disclosure.Mask {
			t.Errorf("the applicant's message is %s by default", p.Decision)
		}
	}
	if _, err := f.store.Decide(ctx, f.ruth, asked.ID, disclosure.Ruling{}); err != nil {
		t.Fatal(err)
	}
	_, b, err := f.store.AnswerPDF(ctx, disclosure.Requester{TenantID: f.tenantID, Key: asked.Key})
	if err != nil {
		t.Fatal(err)
	}
	assertAbsent(t, b, append(karinsSecrets, "Karin Lindqvist", "karin.lindqvist@example.se")...)
	assertText(t, "the release", pdfText(t, b), "Sörhaga 1:23")
}

// Drafts are never public documents: no search finds one, and none can be linked.
func TestDraftsAreUnreachable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var draftID uuid.UUID
	err := f.pool.QueryRow(ctx, `
		INSERT INTO draft (tenant_id, eservice_id, version_id, account_id, answers)
		SELECT e.tenant_id, e.id, e.current_version_id, (SELECT id FROM account WHERE personal_number = '198504129829'),
			'{"description": ["Hemligt utkast om vinterträdgården"]}'
		FROM eservice e WHERE e.slug = 'ansokan-om-bygglov' RETURNING id`).Scan(&draftID)
	if err != nil {
		t.Fatal(err)
	}
	asked := f.request(f.reference)
	found, err := f.store.SearchCases(ctx, f.ruth, asked.ID, disclosure.Search{Words: "vinterträdgården"}, 0)
	if err != nil || len(found.Cases) != 0 {
		t.Errorf("a search for the draft's words: %v, %v", found.Cases, err)
	}
	found, err = f.store.SearchCases(ctx, f.ruth, asked.ID, disclosure.Search{Words: "garage"}, 0)
	if err != nil || len(found.Cases) != 1 || found.Cases[0].Reference != f.reference {
		t.Errorf("a search for the case's words: %v, %v", found.Cases, err)
	}
	if err := f.store.Link(ctx, f.ruth, asked.ID, draftID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("linking a draft: %v", err)
	}
	if n := count(t, f.pool, `SELECT count(*) FROM audit_record WHERE what = 'search' AND role = 'registrar'`); n != 2 {
		t.Errorf("%d searches recorded, want 2", n)
	}
}

// Only registrars handle requests; a second registrar approves when the municipality wants one;
// a whole refusal is a written decision.
func TestApprovalAndRefusal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	asked := f.request(f.reference)

	if _, err := f.store.Queue(ctx, f.anna, disclosure.TabOpen, "", 0); !errors.Is(err, disclosure.ErrNotRegistrar) {
		t.Errorf("a caseworker's queue: %v", err)
	}
	if err := f.store.Link(ctx, f.anna, asked.ID, f.caseID); !errors.Is(err, disclosure.ErrNotRegistrar) {
		t.Errorf("a caseworker links: %v", err)
	}
	if err := f.store.SaveSettings(ctx, f.ruth, disclosure.Settings{SecondRegistrar: true, Grounds: disclosure.DefaultGrounds}); err == nil {
		t.Error("a registrar changed the settings")
	}
	if err := f.store.SaveSettings(ctx, f.maria, disclosure.Settings{SecondRegistrar: true, Grounds: disclosure.DefaultGrounds}); err != nil {
		t.Fatal(err)
	}

	// Refused as a whole: the written decision, waiting for a second registrar.
	if _, err := f.store.Decide(ctx, f.ruth, asked.ID, disclosure.Ruling{RefuseAll: true}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a refusal without a ground: %v", err)
	}
	state, err := f.store.Decide(ctx, f.ruth, asked.ID, disclosure.Ruling{RefuseAll: true, Ground: "OSL 26:1"})
	if err != nil || state != disclosure.StateProposed {
		t.Fatalf("decide: %q, %v", state, err)
	}
	requester := disclosure.Requester{TenantID: f.tenantID, Key: asked.Key}
	if _, _, err := f.store.AnswerPDF(ctx, requester); !errors.Is(err, disclosure.ErrNotFound) {
		t.Errorf("the requester gets a proposal: %v", err)
	}
	if err := f.store.Approve(ctx, f.ruth, asked.ID); !errors.Is(err, disclosure.ErrSameRegistrar) {
		t.Errorf("approved by the one who decided: %v", err)
	}
	if err := f.store.Return(ctx, f.rolf, asked.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Approve(ctx, f.rolf, asked.ID); !errors.Is(err, disclosure.ErrNotProposed) {
		t.Errorf("approving a returned answer: %v", err)
	}
	if _, err := f.store.Decide(ctx, f.ruth, asked.ID, disclosure.Ruling{RefuseAll: true, Ground: "OSL 26:1"}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Approve(ctx, f.rolf, asked.ID); err != nil {
		t.Fatal(err)
	}
	st, err := f.store.ForRequester(ctx, requester)
	if err != nil || st.State != disclosure.StateDecided || st.Outcome != disclosure.OutcomeRefused {
		t.Fatalf("the requester's view: %+v, %v", st.Request, err)
	}
	_, b, err := f.store.AnswerPDF(ctx, requester)
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, "the refusal", pdfText(t, b), "Beslut om allmänna handlingar", "avslår begäran", "OSL 26:1 (Socialtjänst)",
		"Så överklagar du", "kammarrätten", asked.Reference)

	log, err := f.store.Log(ctx, f.maria, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range log.Events {
		kinds = append(kinds, e.Kind)
	}
	for _, want := range []string{"received", "decided", "proposed", "returned", "approved", "released"} {
		if !strings.Contains(strings.Join(kinds, " "), want) {
			t.Errorf("the municipality's log %v lacks %s", kinds, want)
		}
	}
	if _, err := f.store.Log(ctx, f.ruth, "", 0); err == nil {
		t.Error("a registrar read the municipality's log")
	}
}

// A request needs what is asked for and a way of delivery, and nothing else.
func TestAskChecks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for name, c := range map[string]struct {
		ask   disclosure.Ask
		field string
	}{
		"nothing asked":          {disclosure.Ask{Delivery: disclosure.DeliveryLink}, "references"},
		"not a reference":        {disclosure.Ask{References: "bygglovet", Delivery: disclosure.DeliveryLink}, "references"},
		"no delivery":            {disclosure.Ask{Subject: "Protokoll"}, "delivery"},
		"Mina sidor, logged out": {disclosure.Ask{Subject: "Protokoll", Delivery: disclosure.DeliveryMyPages}, "delivery"},
		"e-mail without one":     {disclosure.Ask{Subject: "Protokoll", Delivery: disclosure.DeliveryEmail, Email: "nej"}, "email"},
		"post without address":   {disclosure.Ask{Subject: "Protokoll", Delivery: disclosure.DeliveryPost}, "postal_address"},
		"period backwards":       {disclosure.Ask{Subject: "Protokoll", From: "2026-03-01", To: "2026-02-01", Delivery: disclosure.DeliveryLink}, "to"},
		"another e-service":      {disclosure.Ask{EServiceID: uuid.NewString(), Delivery: disclosure.DeliveryLink}, "eservice"},
	} {
		c.ask.TenantID = f.tenantID
		_, err := f.store.Create(ctx, c.ask)
		var fe apperr.FieldErrors
		if !errors.As(err, &fe) || fe.For(c.field) == "" {
			t.Errorf("%s: %v, want an error at %s", name, err, c.field)
		}
	}
	a, err := f.store.Create(ctx, disclosure.Ask{TenantID: f.tenantID, Subject: "Protokoll från mars", From: "2026-03-01",
		Delivery: disclosure.DeliveryEmail, Email: "anonym@example.se", Lang: "en"})
	if err != nil || !regexp.MustCompile(`^ALI-\d{4}-\d{6}$`).MatchString(a.Reference) || len(a.Key) < 20 {
		t.Fatalf("a request by description: %+v, %v", a, err)
	}
	st, err := f.store.ForRequester(ctx, disclosure.Requester{TenantID: f.tenantID, Key: a.Key})
	if err != nil || st.Email != "anonym@example.se" || st.AccountID != nil || st.Lang != "en" {
		t.Errorf("the request read back: %+v, %v", st.Request, err)
	}
	if _, err := f.store.ForRequester(ctx, disclosure.Requester{TenantID: f.tenantID, Key: a.Key + "x"}); !errors.Is(err, disclosure.ErrNotFound) {
		t.Errorf("a wrong key: %v", err)
	}
	var hash []byte
	f.pool.QueryRow(ctx, `SELECT link_hash FROM disclosure_request WHERE id = $1`, a.ID).Scan(&hash)
	if bytes.Contains(hash, []byte(a.Key)) || len(hash) != 32 {
		t.Error("the link's key is stored, not its hash")
	}
}

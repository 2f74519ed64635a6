package draft_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
)

// env is a migrated database with two municipalities, an e-service of each and two accounts,
// and a draft store on it.
type env struct {
	t          *testing.T
	pool       *pgxpool.Pool
	store      *draft.Store
	ali, ler   service // an e-service of Alingsås and one of Lerum
	karin, per uuid.UUID
}

// service is an e-service with its published version.
type service struct{ tenant, eservice, version uuid.UUID }

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := dbtest.New(t)
	e := &env{t: t, pool: pool, store: draft.NewStore(pool)}
	e.ali = e.service("alingsas", "Alingsås kommun", "ALI", "Ansökan om bygglov")
	e.ler = e.service("lerum", "Lerums kommun", "LER", "Felanmälan")
	e.karin, e.per = e.account(), e.account()
	return e
}

// id runs a statement that returns an id.
func (e *env) id(sql string, args ...any) uuid.UUID {
	e.t.Helper()
	var id uuid.UUID
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) service(slug, name, code, title string) service {
	e.t.Helper()
	var s service
	s.tenant = e.id(`INSERT INTO tenant (slug, name, code) VALUES ($1, $2, $3) RETURNING id`, slug, name, code)
	s.eservice = e.id(`
		INSERT INTO eservice (tenant_id, slug, title, category, audience, login_rule)
		VALUES ($1, 'tjanst', jsonb_build_object('sv', $2::text), 'building', ARRAY['private'], 'optional') RETURNING id`,
		s.tenant, title)
	s.version = e.id(`INSERT INTO eservice_version (tenant_id, eservice_id, number, definition) VALUES ($1, $2, 1, '{}') RETURNING id`,
		s.tenant, s.eservice)
	return s
}

func (e *env) account() uuid.UUID {
	e.t.Helper()
	return e.id(`INSERT INTO account (personal_number) VALUES ($1) RETURNING id`, fmt.Sprintf("19%010d", rand.Int64N(1e10)))
}

func (e *env) create(s service, owner draft.Owner, step string) draft.Draft {
	e.t.Helper()
	d, err := e.store.Create(context.Background(), s.tenant, s.eservice, s.version, owner, step)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// A draft is its owner's alone: an account's, or a visitor's session key's. Anyone else gets
// not found, for reading, saving and deleting alike.
func TestDraftBelongsToItsOwner(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	karin, per := draft.Owner{AccountID: e.karin}, draft.Owner{AccountID: e.per}
	visitor, stranger := draft.Owner{SessionKey: []byte("besokare-1")}, draft.Owner{SessionKey: []byte("besokare-2")}

	d := e.create(e.ali, karin, "sokande")
	if !d.Saved() || *d.AccountID != e.karin || d.CaseID != nil || d.CurrentStep != "sokande" || len(d.Answers) != 0 || d.Answers == nil {
		t.Errorf("new draft %+v", d)
	}
	got, err := e.store.Get(ctx, d.ID, karin)
	if err != nil || got.ID != d.ID || got.TenantID != e.ali.tenant || got.EServiceID != e.ali.eservice || got.VersionID != e.ali.version {
		t.Errorf("Get by its owner: %+v, %v", got, err)
	}
	for name, other := range map[string]draft.Owner{"another account": per, "a visitor": visitor, "nobody": {}} {
		if _, err := e.store.Get(ctx, d.ID, other); !errors.Is(err, draft.ErrNotFound) {
			t.Errorf("Get by %s: %v", name, err)
		}
		if _, err := e.store.Save(ctx, d.ID, other, form.Answers{"namn": {"Per"}}, "x"); !errors.Is(err, draft.ErrNotFound) {
			t.Errorf("Save by %s: %v", name, err)
		}
		if err := e.store.Delete(ctx, d.ID, other); !errors.Is(err, draft.ErrNotFound) {
			t.Errorf("Delete by %s: %v", name, err)
		}
	}
	if _, err := e.store.Get(ctx, uuid.New(), karin); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("Get of no draft: %v", err)
	}

	// A visitor's draft is found by its session key only, and not saved for an account.
	v := e.create(e.ali, visitor, "sokande")
	if v.Saved() || v.AccountID != nil {
		t.Errorf("a visitor's draft is saved: %+v", v)
	}
	if _, err := e.store.Get(ctx, v.ID, visitor); err != nil {
		t.Errorf("Get by its visitor: %v", err)
	}
	if _, err := e.store.Get(ctx, v.ID, stranger); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("Get by another visitor: %v", err)
	}

	// Logged in, the account is the owner and the session key is not kept.
	both := e.create(e.ali, draft.Owner{AccountID: e.karin, SessionKey: []byte("besokare-1")}, "sokande")
	if _, err := e.store.Get(ctx, both.ID, visitor); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("an account's draft is found by the session key: %v", err)
	}
	if _, err := e.store.Create(ctx, e.ali.tenant, e.ali.eservice, e.ali.version, draft.Owner{}, "sokande"); err == nil {
		t.Error("a draft without an owner was created")
	}
}

// Save keeps the answers and the step; the answers come back as they were saved.
func TestSave(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := draft.Owner{AccountID: e.karin}
	d := e.create(e.ali, owner, "sokande")
	answers := form.Answers{"namn": {"Karin Ek"}, "adress.gata": {"Storgatan 1"}, "val": {"a", "b"}}
	saved, err := e.store.Save(ctx, d.ID, owner, answers, "byggnad")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(answers, saved.Answers); diff != "" || saved.CurrentStep != "byggnad" || saved.UpdatedAt.Before(d.UpdatedAt) {
		t.Errorf("saved %+v (-want +got answers):\n%s", saved, diff)
	}
	got, err := e.store.Get(ctx, d.ID, owner)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(saved, got); diff != "" {
		t.Errorf("read back (-saved +read):\n%s", diff)
	}
}

// A visitor who logs in keeps their drafts: ClaimSession moves them into the account, where
// they are listed, and the session key no longer finds them.
func TestClaimSession(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := []byte("besokare-1")
	mine := e.create(e.ali, draft.Owner{SessionKey: key}, "sokande")
	theirs := e.create(e.ali, draft.Owner{SessionKey: []byte("besokare-2")}, "sokande")
	if err := e.store.ClaimSession(ctx, key, e.karin); err != nil {
		t.Fatal(err)
	}
	d, err := e.store.Get(ctx, mine.ID, draft.Owner{AccountID: e.karin})
	if err != nil || !d.Saved() {
		t.Errorf("the claimed draft: %+v, %v", d, err)
	}
	if _, err := e.store.Get(ctx, mine.ID, draft.Owner{SessionKey: key}); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("the session key still finds the claimed draft: %v", err)
	}
	if _, err := e.store.Get(ctx, theirs.ID, draft.Owner{SessionKey: []byte("besokare-2")}); err != nil {
		t.Errorf("another visitor's draft was claimed too: %v", err)
	}
	if err := e.store.ClaimSession(ctx, []byte("ingen"), e.karin); err != nil {
		t.Errorf("a session without drafts: %v", err)
	}
}

// ForAccount lists the account's drafts in every municipality, the latest first, with the
// reference of the case a supplement draft belongs to; nobody else's.
func TestForAccount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if list, err := e.store.ForAccount(ctx, e.karin); err != nil || len(list) != 0 {
		t.Fatalf("no drafts: %+v, %v", list, err)
	}
	karin := draft.Owner{AccountID: e.karin}
	older := e.create(e.ali, karin, "sokande")
	newer := e.create(e.ler, karin, "plats")
	e.create(e.ali, draft.Owner{AccountID: e.per}, "sokande")
	e.create(e.ali, draft.Owner{SessionKey: []byte("besokare")}, "sokande")
	caseID := e.newCase(e.ali, e.karin, "ALI-2026-000001", form.Answers{})
	supplement, err := e.store.ForSupplement(ctx, e.ali.tenant, e.ali.eservice, e.ali.version, caseID, e.karin, form.Answers{}, "sokande")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	e.exec(`UPDATE draft SET updated_at = $2 WHERE id = $1`, older.ID, now.Add(-2*time.Hour))
	e.exec(`UPDATE draft SET updated_at = $2 WHERE id = $1`, newer.ID, now.Add(-time.Hour))
	e.exec(`UPDATE draft SET updated_at = $2 WHERE id = $1`, supplement.ID, now)

	list, err := e.store.ForAccount(ctx, e.karin)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, CaseRef, Title, Municipality, Step string }
	var got []row
	for _, l := range list {
		got = append(got, row{l.ID.String(), l.CaseRef, l.Title["sv"], l.Municipality, l.CurrentStep})
	}
	want := []row{
		{supplement.ID.String(), "ALI-2026-000001", "Ansökan om bygglov", "Alingsås kommun", "sokande"},
		{newer.ID.String(), "", "Felanmälan", "Lerums kommun", "plats"},
		{older.ID.String(), "", "Ansökan om bygglov", "Alingsås kommun", "sokande"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("drafts (-want +got):\n%s", diff)
	}
}

// newCase makes a submitted case of the account.
func (e *env) newCase(s service, account uuid.UUID, ref string, answers form.Answers) uuid.UUID {
	e.t.Helper()
	return e.id(`
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id)
		VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid()) RETURNING id`, s.tenant, s.eservice, s.version, ref, account, answers)
}

// A supplement draft starts from the case's answers, once: asked again, the same draft comes
// back as the citizen left it. It shows the files already submitted with the case, which it
// cannot remove, and not the files of the case's messages.
func TestForSupplement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	answers := form.Answers{"namn": {"Karin Ek"}}
	caseID := e.newCase(e.ali, e.karin, "ALI-2026-000001", answers)
	submitted := e.id(`
		INSERT INTO upload (tenant_id, case_id, field_key, filename, content_type, size, sha256, data)
		VALUES ($1, $2, 'bilaga', 'ritning.pdf', 'application/pdf', 4, '\x00', 'PDF!') RETURNING id`, e.ali.tenant, caseID)
	message := e.id(`INSERT INTO message (tenant_id, case_id, sender, body) VALUES ($1, $2, 'citizen', 'Hej') RETURNING id`, e.ali.tenant, caseID)
	e.exec(`
		INSERT INTO upload (tenant_id, case_id, message_id, field_key, filename, content_type, size, sha256, data)
		VALUES ($1, $2, $3, '', 'bild.png', 'image/png', 4, '\x00', 'PNG!')`, e.ali.tenant, caseID, message)

	d, err := e.store.ForSupplement(ctx, e.ali.tenant, e.ali.eservice, e.ali.version, caseID, e.karin, answers, "sokande")
	if err != nil {
		t.Fatal(err)
	}
	if d.CaseID == nil || *d.CaseID != caseID || !d.Saved() || !cmp.Equal(d.Answers, answers) || d.CurrentStep != "sokande" {
		t.Errorf("supplement draft %+v", d)
	}
	owner := draft.Owner{AccountID: e.karin}
	if _, err := e.store.Save(ctx, d.ID, owner, form.Answers{"namn": {"Karin Ekström"}}, "byggnad"); err != nil {
		t.Fatal(err)
	}
	again, err := e.store.ForSupplement(ctx, e.ali.tenant, e.ali.eservice, e.ali.version, caseID, e.karin, answers, "sokande")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != d.ID || again.Answers["namn"][0] != "Karin Ekström" || again.CurrentStep != "byggnad" {
		t.Errorf("asked again: %+v", again)
	}

	files, err := e.store.Files(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].ID != submitted || !files[0].Submitted || files[0].Name != "ritning.pdf" {
		t.Fatalf("files of the supplement draft %+v", files)
	}
	if f, data, err := e.store.FileContent(ctx, d.ID, submitted); err != nil || string(data) != "PDF!" || !f.Submitted {
		t.Errorf("content of a submitted file: %+v %q %v", f, data, err)
	}
	if err := e.store.RemoveFile(ctx, d.ID, submitted); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM upload WHERE id = $1`, submitted); n != 1 {
		t.Error("a supplement draft removed a submitted file")
	}
}

var (
	pdf  = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	text = []byte("bara text")
)

// AddFile checks a file by its content, not its name, and the field's limits; the draft's files
// are listed in the order they came, read back whole, and removed one by one or with the draft.
// Another draft's files are out of reach.
func TestFiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := draft.Owner{AccountID: e.karin}
	d := e.create(e.ali, owner, "bilagor")
	other := e.create(e.ali, draft.Owner{AccountID: e.per}, "bilagor")
	field := form.Field{Key: "bilaga", Type: form.File, Upload: &form.Upload{MaxFiles: 2, MaxBytes: 1024, Types: []string{"application/pdf", "image/png"}}}

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, draft.ErrFileEmpty},
		{"too large", append(bytes.Clone(pdf), bytes.Repeat([]byte(" "), 1024)...), draft.ErrFileSize},
		{"text named .pdf", text, draft.ErrFileType},
	}
	for _, tt := range tests {
		if _, err := e.store.AddFile(ctx, d, field, "fil.pdf", tt.data); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := e.store.AddFile(ctx, d, form.Field{Key: "namn", Type: form.ShortText}, "fil.pdf", pdf); err == nil {
		t.Error("a file was stored for a field that takes none")
	}

	first, err := e.store.AddFile(ctx, d, field, `C:\Users\karin\ritning "ny".pdf`, pdf)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.store.AddFile(ctx, d, field, "bild.pdf", png) // a PNG, whatever its name says
	if err != nil {
		t.Fatal(err)
	}
	if first.Name != "ritning ny.pdf" || first.ContentType != "application/pdf" || first.Size != int64(len(pdf)) || first.Submitted ||
		second.ContentType != "image/png" {
		t.Errorf("stored %+v and %+v", first, second)
	}
	if _, err := e.store.AddFile(ctx, d, field, "tredje.pdf", pdf); !errors.Is(err, draft.ErrFileCount) {
		t.Errorf("a third file: %v", err)
	}
	theirs, err := e.store.AddFile(ctx, other, field, "deras.pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}

	files, err := e.store.Files(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]draft.File{first, second}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if f, data, err := e.store.FileContent(ctx, d.ID, second.ID); err != nil || !bytes.Equal(data, png) || f != second {
		t.Errorf("content: %+v %v", f, err)
	}
	if _, _, err := e.store.FileContent(ctx, d.ID, theirs.ID); !errors.Is(err, draft.ErrFileMissing) {
		t.Errorf("another draft's file: %v", err)
	}
	if err := e.store.RemoveFile(ctx, d.ID, theirs.ID); err != nil {
		t.Fatal(err)
	}
	if files, err := e.store.Files(ctx, other.ID); err != nil || len(files) != 1 {
		t.Errorf("another draft's file was removed: %+v %v", files, err)
	}

	if err := e.store.RemoveFile(ctx, d.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if files, err := e.store.Files(ctx, d.ID); err != nil || len(files) != 1 || files[0].ID != second.ID {
		t.Errorf("after removing the first: %+v %v", files, err)
	}
	// Room again for one more.
	if _, err := e.store.AddFile(ctx, d, field, "ny.pdf", pdf); err != nil {
		t.Errorf("a file after one was removed: %v", err)
	}

	if err := e.store.Delete(ctx, d.ID, owner); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Get(ctx, d.ID, owner); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("a deleted draft: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM upload WHERE draft_id = $1`, d.ID); n != 0 {
		t.Errorf("%d files left of a deleted draft", n)
	}
	if err := e.store.Delete(ctx, d.ID, owner); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
}

// The type of a file is what its bytes say; a Word document is told from other zip files.
func TestSniffType(t *testing.T) {
	docx := []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml word/document.xml")
	zip := []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00bilder/ett.png")
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"pdf":  {pdf, "application/pdf"},
		"png":  {png, "image/png"},
		"text": {text, "text/plain"},
		"docx": {docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		"zip":  {zip, "application/zip"},
	} {
		if got := draft.SniffType(tt.data); got != tt.want {
			t.Errorf("%s: %q, want %q", name, got, tt.want)
		}
	}
}

// CleanName keeps the base name of an upload, without paths, control characters or quotes.
func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"ritning.pdf":                "ritning.pdf",
		`C:\Users\karin\ritning.pdf`: "ritning.pdf",
		"../../etc/passwd":           "passwd",
		"bild\x00\n\".png":           "bild.png",
		"":                           "fil",
		"/":                          "fil",
		".":                          "fil",
		"\x07":                       "fil",
		"mapp/":                      "mapp",
	} {
		if got := draft.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := bytes.Repeat([]byte("x"), 300)
	if got := draft.CleanName(string(long) + ".pdf"); len(got) != 200 || got[len(got)-4:] != ".pdf" {
		t.Errorf("a long name is %d bytes: %q", len(got), got)
	}
}

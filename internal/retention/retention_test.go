package retention_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/security"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is a database with the demo data, an account and a retention service on a clock the
// test moves.
type world struct {
	t       *testing.T
	ctx     context.Context
	pool    *pgxpool.Pool
	now     time.Time
	svc     *retention.Service
	account uuid.UUID
	seq     int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(pool, notify.Config{BaseURL: "http://localhost", Dev: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, pool: pool, now: time.Now()}
	svc := retention.New(pool, retention.Config{}, nil)
	svc.Bind(n)
	w.svc = svc.WithClock(func() time.Time { return w.now })
	w.account = w.uuid(`INSERT INTO account (personal_number, display_name, email, email_verified_at, preferred_channel)
		VALUES ('198504129829', 'Karin Lindqvist', 'karin@example.se', now(), 'email') RETURNING id`)
	return w
}

func (w *world) uuid(sql string, args ...any) uuid.UUID {
	w.t.Helper()
	var id uuid.UUID
	if err := w.pool.QueryRow(w.ctx, sql, args...).Scan(&id); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.pool.Exec(w.ctx, sql, args...); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(w.ctx, sql, args...).Scan(&n); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// rule sets an e-service's retention.
func (w *world) rule(slug string, months int, disposal string) uuid.UUID {
	return w.uuid(`UPDATE eservice SET retention_months = $2, retention_disposal = $3 WHERE slug = $1 RETURNING id`, slug, months, disposal)
}

// closedCase makes a case of the e-service, closed at closedAt (open when zero), with everything
// a case has around it: a revision, events, a message with a file, a form file, a supplement
// request, a flag, a note, a notice and a staff member's read in the audit log.
func (w *world) closedCase(eservice uuid.UUID, closedAt time.Time) (uuid.UUID, string) {
	w.t.Helper()
	w.seq++
	ref := "ALI-2025-9000" + string(rune('0'+w.seq))
	var closed any
	status := "submitted"
	if !closedAt.IsZero() {
		closed, status = closedAt, "closed"
	}
	id := w.uuid(`
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, status, source_draft_id, submitted_at, closed_at, decision)
		SELECT e.tenant_id, e.id, e.current_version_id, $2, $3, '{"location": ["Kungsgatan 1"]}', $5, gen_random_uuid(),
			coalesce($4::timestamptz, now()) - interval '10 days', $4, CASE WHEN $4::timestamptz IS NOT NULL THEN 'Åtgärdat' END
		FROM eservice e WHERE e.id = $1 RETURNING id`, eservice, ref, w.account, closed, status)
	staff := w.uuid(`SELECT id FROM staff WHERE employee_id = 'ali-1001'`)
	for _, sql := range []string{
		`INSERT INTO case_revision (tenant_id, case_id, number, answers) SELECT tenant_id, id, 1, answers FROM cases WHERE id = $1`,
		`INSERT INTO case_event (tenant_id, case_id, kind) SELECT tenant_id, id, 'submitted' FROM cases WHERE id = $1`,
		`WITH m AS (INSERT INTO message (tenant_id, case_id, sender, body) SELECT tenant_id, id, 'citizen', 'Lampan blinkar.' FROM cases WHERE id = $1 RETURNING id, tenant_id, case_id)
		 INSERT INTO upload (tenant_id, case_id, message_id, field_key, filename, content_type, size, sha256, data)
		 SELECT tenant_id, case_id, id, '', 'bild.png', 'image/png', 3, '\x00', '\x010203' FROM m`,
		`INSERT INTO upload (tenant_id, case_id, field_key, filename, content_type, size, sha256, data)
		 SELECT tenant_id, id, 'photos', 'lykta.png', 'image/png', 3, '\x00', '\x010203' FROM cases WHERE id = $1`,
		`INSERT INTO supplement_request (tenant_id, case_id, request, answered_at) SELECT tenant_id, id, 'Skicka en bild.', now() FROM cases WHERE id = $1`,
		`INSERT INTO case_note (tenant_id, case_id, staff_id, staff_name, body) SELECT tenant_id, id, $2, 'Anna', 'Ring elektrikern.' FROM cases WHERE id = $1`,
		`INSERT INTO case_flag (case_id, staff_id) VALUES ($1, $2)`,
		`INSERT INTO notice (tenant_id, account_id, case_id, kind) SELECT tenant_id, account_id, id, 'case_closed' FROM cases WHERE id = $1`,
	} {
		if strings.Contains(sql, "$2") {
			w.exec(sql, id, staff)
		} else {
			w.exec(sql, id)
		}
	}
	tenant := w.uuid(`SELECT tenant_id FROM cases WHERE id = $1`, id)
	if err := audit.Write(w.ctx, w.pool, audit.Record{TenantID: tenant, StaffID: staff, Role: "caseworker", CaseID: id, What: audit.Case}); err != nil {
		w.t.Fatal(err)
	}
	return id, ref
}

// caseRows counts the rows that belong to the case in every table that has a case.
func (w *world) caseRows(id uuid.UUID) map[string]int {
	out := map[string]int{}
	for _, table := range []string{"cases", "case_revision", "case_event", "message", "upload", "supplement_request", "case_note", "case_flag", "notice"} {
		col := "case_id"
		if table == "cases" {
			col = "id"
		}
		out[table] = w.count(`SELECT count(*) FROM `+table+` WHERE `+col+` = $1`, id)
	}
	return out
}

// snapshot is every row of the tables retention may touch, except those of the given cases.
func (w *world) snapshot(except ...uuid.UUID) string {
	w.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM cases x WHERE NOT x.id = ANY ($1)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM message x WHERE NOT x.case_id = ANY ($1)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM upload x WHERE NOT coalesce(x.case_id = ANY ($1), false)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM case_event x WHERE NOT x.case_id = ANY ($1)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM case_revision x WHERE NOT x.case_id = ANY ($1)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM notice x WHERE NOT coalesce(x.case_id = ANY ($1), false)`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM draft x WHERE $1::uuid[] IS NOT NULL`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM audit_record x WHERE $1::uuid[] IS NOT NULL`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM account x WHERE $1::uuid[] IS NOT NULL`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM eservice x WHERE $1::uuid[] IS NOT NULL`,
	} {
		var s string
		if err := w.pool.QueryRow(w.ctx, q, except).Scan(&s); err != nil {
			w.t.Fatalf("%s: %v", q, err)
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}

// archived keeps a package of the case in the archive's record, as the archive export's job
// does; delivered: it has been fetched (by the API or a caseworker's download).
func (w *world) archived(caseID uuid.UUID, delivered bool) uuid.UUID {
	w.t.Helper()
	return w.uuid(`INSERT INTO archive_export (tenant_id, case_id, requested_by, state, done_at, package, delivered_at)
		SELECT tenant_id, id, 'Arkivarie', 'done', now(), '\x504b'::bytea, CASE WHEN $2 THEN now() END
		FROM cases WHERE id = $1 RETURNING id`, caseID, delivered)
}

func (w *world) run() retention.Report {
	w.t.Helper()
	r, err := w.svc.Run(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// A case closed 13 months ago under a 12-month rule is gone, with everything around it, and its
// deletion recorded without personal data; nothing else is touched.
func TestCaseRetention(t *testing.T) {
	w := newWorld(t)
	lighting := w.rule("felanmalan-gatubelysning", 12, retention.Delete)
	closedAt := w.now // the cases close now; the clock then moves 13 months on
	expired, expiredRef := w.closedCase(lighting, closedAt)
	younger, _ := w.closedCase(lighting, closedAt.AddDate(0, 2, 0))
	open, _ := w.closedCase(lighting, time.Time{})
	w.exec(`UPDATE cases SET submitted_at = now() - interval '3 years' WHERE id = $1`, open)

	before := w.snapshot(expired)
	w.now = w.now.AddDate(0, 13, 0)
	r := w.run()
	if r.CasesDeleted != 1 || r.CasesRemoved != 0 {
		t.Errorf("report %+v: want one case deleted and none removed", r)
	}
	for table, n := range w.caseRows(expired) {
		if n != 0 {
			t.Errorf("%s still has %d rows of the deleted case", table, n)
		}
	}
	if after := w.snapshot(expired); after != before {
		t.Errorf("retention touched more than the expired case:\nbefore %s\nafter  %s", before, after)
	}
	if w.count(`SELECT count(*) FROM cases WHERE id IN ($1, $2)`, younger, open) != 2 {
		t.Error("the younger or the open case is gone")
	}
	// The record of who read the deleted case stays: it has its own retention.
	if n := w.count(`SELECT count(*) FROM audit_record WHERE case_id = $1`, expired); n != 1 {
		t.Errorf("audit records of the deleted case: %d, want 1", n)
	}

	page, err := retention.Deletions(w.ctx, w.pool, w.uuid(`SELECT id FROM tenant WHERE slug = 'alingsas'`), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Deletions) != 1 {
		t.Fatalf("deletion records: %+v", page.Deletions)
	}
	d := page.Deletions[0]
	if d.Kind != retention.KindCaseDeleted || d.Reference != expiredRef || d.Rule != "eservice_retention" || d.EService["sv"] != "Felanmälan gatubelysning" || !d.At.Equal(w.now.Truncate(time.Microsecond)) {
		t.Errorf("deletion record %+v", d)
	}
	raw, _ := json.Marshal(d.Detail)
	for _, personal := range []string{"Karin", "198504129829", "Kungsgatan", "Lampan", "karin@"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the deletion record holds personal data %q: %s", personal, raw)
		}
	}
	if d.Detail["months"] != float64(12) || d.Detail["disposal"] != retention.Delete {
		t.Errorf("the record's rule: %s", raw)
	}

	// A second run finds nothing more to do.
	if r := w.run(); r.CasesDeleted+r.CasesRemoved != 0 {
		t.Errorf("second run: %+v", r)
	}
}

// Under "keep", an expired case leaves the citizen's account but stays for the municipality;
// under "after_export", it stays until it has been exported, and then goes.
func TestCaseDisposals(t *testing.T) {
	w := newWorld(t)
	kept := w.rule("ansokan-om-skolskjuts", 12, retention.Keep)
	exported := w.rule("ansokan-om-bygglov", 6, retention.AfterExport)
	keptCase, _ := w.closedCase(kept, w.now)
	notYet, _ := w.closedCase(exported, w.now)
	sent, sentRef := w.closedCase(exported, w.now)
	w.archived(sent, true)

	w.now = w.now.AddDate(0, 7, 0)
	r := w.run()
	if r.CasesDeleted != 1 || r.CasesRemoved != 1 {
		t.Errorf("after 7 months: %+v, want the exported case deleted and the other removed from the account", r)
	}
	if w.count(`SELECT count(*) FROM cases WHERE id = $1`, sent) != 0 {
		t.Errorf("the exported case %s is still there", sentRef)
	}
	if w.count(`SELECT count(*) FROM cases WHERE id = $1 AND citizen_removed_at IS NOT NULL`, notYet) != 1 {
		t.Error("the unexported case did not leave the account")
	}
	if w.count(`SELECT count(*) FROM cases WHERE id = $1 AND citizen_removed_at IS NULL`, keptCase) != 1 {
		t.Error("the kept case left the account before its 12 months")
	}

	w.now = w.now.AddDate(0, 6, 0)
	if r := w.run(); r.CasesDeleted != 0 || r.CasesRemoved != 1 {
		t.Errorf("after 13 months: %+v, want the kept case removed from the account", r)
	}
	if w.count(`SELECT count(*) FROM cases WHERE id = $1 AND citizen_removed_at IS NOT NULL`, keptCase) != 1 {
		t.Error("the kept case is not kept for the municipality, or has not left the account")
	}
	if w.count(`SELECT count(*) FROM message WHERE case_id = $1`, keptCase) != 1 {
		t.Error("the kept case lost its messages")
	}
	kinds := w.count(`SELECT count(*) FROM deletion_record WHERE kind = 'case_removed_from_account' AND rule = 'eservice_retention'`)
	if kinds != 2 {
		t.Errorf("%d records of cases removed from the account, want 2", kinds)
	}
}

// A draft untouched for the municipality's days is deleted a week after its owner is told, with
// its files; a draft touched after the notice starts over; a visitor's old draft goes at once.
func TestDraftRetention(t *testing.T) {
	w := newWorld(t)
	w.exec(`UPDATE tenant SET draft_retention_days = 30 WHERE slug = 'alingsas'`)
	draft := func(owner string) uuid.UUID {
		var acct, key any
		if owner == "account" {
			acct = w.account
		} else {
			key = []byte("visitor-session-key")
		}
		id := w.uuid(`INSERT INTO draft (tenant_id, eservice_id, version_id, account_id, session_key, answers)
			SELECT tenant_id, id, current_version_id, $1, $2, '{"location": ["Storgatan 2"]}' FROM eservice WHERE slug = 'felanmalan-gatubelysning' RETURNING id`, acct, key)
		w.exec(`INSERT INTO upload (tenant_id, draft_id, field_key, filename, content_type, size, sha256, data)
			SELECT tenant_id, id, 'photos', 'lykta.png', 'image/png', 3, '\x00', '\x010203' FROM draft WHERE id = $1`, id)
		return id
	}
	old, touched, visitor := draft("account"), draft("account"), draft("visitor")

	w.now = w.now.Add(22 * 24 * time.Hour) // 8 days before the 30: no notice yet
	if r := w.run(); r.DraftsNoticed != 0 || r.DraftsDeleted != 1 {
		t.Errorf("day 22: %+v, want only the visitor's draft deleted", r)
	}
	if w.count(`SELECT count(*) FROM draft WHERE id = $1`, visitor)+w.count(`SELECT count(*) FROM upload WHERE draft_id = $1`, visitor) != 0 {
		t.Error("the visitor's draft or its file is still there")
	}
	w.now = w.now.Add(2 * 24 * time.Hour) // day 24: within the week before
	if r := w.run(); r.DraftsNoticed != 2 || r.DraftsDeleted != 0 {
		t.Errorf("day 24: %+v, want two notices", r)
	}
	if n := w.count(`SELECT count(*) FROM notice WHERE kind = 'draft_expiring' AND account_id = $1 AND eservice_id IS NOT NULL`, w.account); n != 2 {
		t.Errorf("%d draft notices", n)
	}
	if r := w.run(); r.DraftsNoticed != 0 {
		t.Errorf("a second run noticed again: %+v", r)
	}
	w.exec(`UPDATE draft SET updated_at = $2 WHERE id = $1`, touched, w.now.Add(time.Hour)) // the owner opens it

	w.now = w.now.Add(7*24*time.Hour + time.Minute) // day 31: a week after the notice
	r := w.run()
	if r.DraftsDeleted != 1 {
		t.Errorf("day 31: %+v, want the untouched draft deleted", r)
	}
	if w.count(`SELECT count(*) FROM draft WHERE id = $1`, old)+w.count(`SELECT count(*) FROM upload WHERE draft_id = $1`, old) != 0 {
		t.Error("the expired draft or its file is still there")
	}
	if w.count(`SELECT count(*) FROM draft WHERE id = $1`, touched) != 1 {
		t.Error("the draft touched after its notice was deleted")
	}
	if n := w.count(`SELECT count(*) FROM deletion_record WHERE kind = 'draft_deleted' AND rule = 'draft_retention' AND detail = '{"days": 30}'`); n != 1 {
		t.Errorf("%d records of deleted drafts", n)
	}
}

// Audit records go after the municipality's retention, and the database refuses to delete a
// younger one; client addresses go after the configured time, the records stay.
func TestAuditAndAddressRetention(t *testing.T) {
	w := newWorld(t)
	lighting := w.rule("felanmalan-gatubelysning", 120, retention.Keep)
	c, _ := w.closedCase(lighting, time.Time{})
	tenant := w.uuid(`SELECT tenant_id FROM cases WHERE id = $1`, c)
	staff := w.uuid(`SELECT id FROM staff WHERE employee_id = 'ali-1001'`)
	addr := netip.MustParseAddr("192.0.2.7")
	ctx := audit.WithClientAddr(w.ctx, addr)
	if err := audit.Write(ctx, w.pool, audit.Record{TenantID: tenant, StaffID: staff, Role: "caseworker", CaseID: c, What: audit.File, Detail: "x"}); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM audit_record WHERE client_addr = '192.0.2.7'`); n != 1 {
		t.Fatalf("%d records with the client's address", n)
	}
	// An old record, as if written three years ago.
	w.exec(`ALTER TABLE audit_record DISABLE TRIGGER audit_record_forget_addr_only`)
	w.exec(`UPDATE audit_record SET at = now() - interval '3 years' WHERE what = 'case'`)
	w.exec(`ALTER TABLE audit_record ENABLE TRIGGER audit_record_forget_addr_only`)

	if _, err := w.pool.Exec(w.ctx, `DELETE FROM audit_record WHERE what = 'file'`); err == nil {
		t.Error("the database let a record younger than the retention be deleted")
	}
	if _, err := w.pool.Exec(w.ctx, `UPDATE audit_record SET detail = 'changed'`); err == nil {
		t.Error("the database let a record be changed")
	}
	sec := security.New(w.pool, nil)
	if err := sec.Record(w.ctx, security.Event{Kind: security.ForgedRequest, Addr: addr}); err != nil {
		t.Fatal(err)
	}

	w.now = w.now.Add(29 * 24 * time.Hour)
	if r := w.run(); r.AuditDeleted != 1 || r.AddressesRemoved != 0 {
		t.Errorf("day 29: %+v, want the three-year-old record deleted and the addresses kept", r)
	}
	w.now = w.now.Add(2 * 24 * time.Hour)
	if r := w.run(); r.AddressesRemoved != 2 {
		t.Errorf("day 31: %+v, want two addresses removed", r)
	}
	if n := w.count(`SELECT count(*) FROM audit_record WHERE what = 'file' AND client_addr IS NULL`); n != 1 {
		t.Error("the record lost more than its address, or kept it")
	}
	if n := w.count(`SELECT count(*) FROM security_event WHERE client_addr IS NULL`); n != 1 {
		t.Error("the security event kept its address")
	}
	if n := w.count(`SELECT count(*) FROM deletion_record WHERE kind = 'audit_records_deleted' AND count = 1 AND tenant_id = $1`, tenant); n != 1 {
		t.Error("the audit deletion is not recorded")
	}
}

// Runs are one at a time: a run that finds another under way does nothing.
func TestOneRunAtATime(t *testing.T) {
	w := newWorld(t)
	conn, err := w.pool.Acquire(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(w.ctx, `SELECT pg_try_advisory_lock($1)`, int64(0x6d696e61737201)).Scan(&got); err != nil || !got {
		t.Fatalf("lock: %v %v", got, err)
	}
	if r := w.run(); !r.Skipped {
		t.Errorf("a run went on beside another: %+v", r)
	}
	conn.Exec(w.ctx, `SELECT pg_advisory_unlock($1)`, int64(0x6d696e61737201))
	if r := w.run(); r.Skipped {
		t.Error("a run was skipped with none under way")
	}
}

// A case that an undecided request for public documents names is kept until the request is
// decided; then it goes, and the request keeps its answer without the link.
func TestCaseNamedByAPublicRequest(t *testing.T) {
	w := newWorld(t)
	lighting := w.rule("felanmalan-gatubelysning", 12, retention.Delete)
	c, _ := w.closedCase(lighting, w.now)
	req := w.uuid(`
		INSERT INTO disclosure_request (tenant_id, reference, link_hash, delivery, subject)
		SELECT tenant_id, 'ALI-2026-HANDLING', '\x01', 'link', 'Felanmälan om lyktan' FROM cases WHERE id = $1 RETURNING id`, c)
	w.exec(`INSERT INTO disclosure_document (request_id, case_id, linked_by) SELECT $1, $2, id FROM staff WHERE employee_id = 'ali-1001'`, req, c)

	w.now = w.now.AddDate(0, 13, 0)
	if r := w.run(); r.CasesDeleted != 0 {
		t.Errorf("a case an undecided request names was deleted: %+v", r)
	}
	w.exec(`UPDATE disclosure_request SET state = 'decided', decided_at = now() WHERE id = $1`, req)
	if r := w.run(); r.CasesDeleted != 1 {
		t.Errorf("after the decision: %+v, want the case deleted", r)
	}
	if n := w.count(`SELECT count(*) FROM disclosure_document WHERE request_id = $1`, req); n != 0 {
		t.Errorf("%d links to the deleted case left", n)
	}
	if n := w.count(`SELECT count(*) FROM disclosure_request WHERE id = $1`, req); n != 1 {
		t.Error("the request went with the case")
	}
}

// Under "after_export", a case counts as exported from the archive's own record: a package made
// but not yet fetched keeps it; the first fetch lets it go, and its deletion record says when.
func TestExportedFromArchiveRecord(t *testing.T) {
	w := newWorld(t)
	rule := w.rule("ansokan-om-bygglov", 6, retention.AfterExport)
	c, _ := w.closedCase(rule, w.now)
	export := w.archived(c, false)
	w.exec(`INSERT INTO archive_export (tenant_id, case_id, requested_by, state, delivered_at)
		SELECT tenant_id, id, 'Arkivarie', 'failed', now() FROM cases WHERE id = $1`, c) // a failed one counts for nothing
	w.now = w.now.AddDate(0, 7, 0)
	if r := w.run(); r.CasesDeleted != 0 {
		t.Fatalf("%+v: a case whose package was never fetched was deleted", r)
	}
	if ok := w.count(`SELECT count(*) FROM cases c WHERE c.id = $1 AND `+archive.DeliveredSQL, c); ok != 0 {
		t.Fatal("DeliveredSQL holds for a package never fetched")
	}

	fetched := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	w.exec(`UPDATE archive_export SET delivered_at = $2 WHERE id = $1`, export, fetched)
	if at, ok, err := archive.ExportedAt(w.ctx, w.pool, c); err != nil || !ok || !at.Equal(fetched) {
		t.Fatalf("archive.ExportedAt = %v, %v, %v", at, ok, err)
	}
	if r := w.run(); r.CasesDeleted != 1 {
		t.Fatalf("%+v: the fetched case was not deleted", r)
	}
	var at time.Time
	if err := w.pool.QueryRow(w.ctx, `SELECT (detail->>'exported_at')::timestamptz FROM deletion_record
		WHERE kind = 'case_deleted' ORDER BY at DESC LIMIT 1`).Scan(&at); err != nil || !at.Equal(fetched) {
		t.Errorf("the deletion record's exported_at = %v, %v; want %v", at, err, fetched)
	}
}

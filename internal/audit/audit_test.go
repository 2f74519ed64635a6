package audit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// fixture is a database with two municipalities, a case in the first, and staff in each.
type fixture struct {
	pool                   *pgxpool.Pool
	tenant, otherTenant    uuid.UUID
	caseID, otherCase      uuid.UUID // both of tenant
	foreignCase            uuid.UUID // of otherTenant
	anna, bertil, stranger uuid.UUID // anna and bertil of tenant, stranger of otherTenant
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{pool: dbtest.New(t)}
	q := func(sql string, args ...any) uuid.UUID {
		t.Helper()
		var id uuid.UUID
		if err := f.pool.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	newCase := func(tenant uuid.UUID, ref string) uuid.UUID {
		es := q(`INSERT INTO eservice (tenant_id, slug, title, category, audience, login_rule)
			VALUES ($1, 'felanmalan-'||lower($2), '{"sv": "Felanmälan"}', 'gata', '{private}', 'required') RETURNING id`, tenant, ref)
		v := q(`INSERT INTO eservice_version (tenant_id, eservice_id, number, definition, published_at)
			VALUES ($1, $2, 1, '{"steps": []}', now()) RETURNING id`, tenant, es)
		return q(`INSERT INTO cases (tenant_id, eservice_id, version_id, reference, answers, source_draft_id)
			VALUES ($1, $2, $3, $4, '{}', gen_random_uuid()) RETURNING id`, tenant, es, v, ref)
	}
	f.tenant = q(`INSERT INTO tenant (slug, name, code) VALUES ('alingsas', 'Alingsås kommun', 'ALI') RETURNING id`)
	f.otherTenant = q(`INSERT INTO tenant (slug, name, code) VALUES ('lerum', 'Lerums kommun', 'LER') RETURNING id`)
	f.caseID = newCase(f.tenant, "ALI-2026-000001")
	f.otherCase = newCase(f.tenant, "ALI-2026-000002")
	f.foreignCase = newCase(f.otherTenant, "LER-2026-000001")
	newStaff := func(tenant uuid.UUID, employee, name, unit string) uuid.UUID {
		return q(`INSERT INTO staff (tenant_id, employee_id, name, unit) VALUES ($1, $2, $3, $4) RETURNING id`,
			tenant, employee, name, unit)
	}
	f.anna = newStaff(f.tenant, "e1", "Anna Berg", "Gatuenheten")
	f.bertil = newStaff(f.tenant, "e2", "Bertil Ek", "Kundcenter")
	f.stranger = newStaff(f.otherTenant, "e1", "Cecilia Ström", "Samhällsbyggnad")
	return f
}

// insertAt writes a record at a given time, which Write leaves to the database's clock.
func (f fixture) insertAt(t *testing.T, staff uuid.UUID, name, unit string, caseID uuid.UUID, at time.Time) {
	t.Helper()
	_, err := f.pool.Exec(context.Background(), `
		INSERT INTO audit_record (tenant_id, staff_id, staff_name, staff_unit, role, case_id, what, at)
		VALUES ($1, $2, $3, $4, 'caseworker', $5, 'case', $6)`, f.tenant, staff, name, unit, caseID, at)
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteAndReadBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := time.Now()

	fileID := uuid.New().String()
	writes := []audit.Record{
		{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg", StaffUnit: "Gatuenheten", Role: "caseworker",
			CaseID: f.caseID, What: audit.Case},
		{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg", StaffUnit: "Gatuenheten", Role: "caseworker",
			CaseID: f.caseID, What: audit.File, Detail: fileID},
		{TenantID: f.tenant, StaffID: f.bertil, Role: "municipality_admin", // name and unit from the staff row
			CaseID: f.caseID, What: audit.Messages},
		{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg", Role: "caseworker", What: audit.Queue},
		{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg", Role: "caseworker", CaseID: f.otherCase, What: audit.Case},
	}
	// One in a transaction, as the web layer may write it together with the read.
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Write(ctx, tx, writes[0]); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range writes[1:] {
		time.Sleep(2 * time.Millisecond) // distinct times, so that the order is known
		if err := audit.Write(ctx, f.pool, r); err != nil {
			t.Fatalf("write %+v: %v", r, err)
		}
	}

	got, err := audit.ForCase(ctx, f.pool, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Record{
		{TenantID: f.tenant, StaffID: f.bertil, StaffName: "Bertil Ek", StaffUnit: "Kundcenter", Role: "municipality_admin",
			CaseID: f.caseID, What: audit.Messages},
		writes[1],
		writes[0],
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(audit.Record{}, "ID", "At", "ClientAddr")); diff != "" {
		t.Errorf("records of case (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if r.ID == uuid.Nil || r.At.Before(before.Add(-time.Minute)) || r.At.After(time.Now().Add(time.Minute)) {
			t.Errorf("record id %s at %s", r.ID, r.At)
		}
	}

	var queue int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_record WHERE what = 'queue' AND case_id IS NULL`).Scan(&queue); err != nil {
		t.Fatal(err)
	}
	if queue != 1 {
		t.Errorf("%d queue records, want 1", queue)
	}
}

func TestWriteRefusesInvalidRecords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	valid := audit.Record{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg", Role: "caseworker",
		CaseID: f.caseID, What: audit.Case}
	if err := audit.Write(ctx, f.pool, valid); err != nil {
		t.Fatalf("valid record: %v", err)
	}
	tests := []struct {
		name   string
		change func(*audit.Record)
	}{
		{"unknown what", func(r *audit.Record) { r.What = "everything" }},
		{"empty what", func(r *audit.Record) { r.What = "" }},
		{"what in upper case", func(r *audit.Record) { r.What = "CASE" }},
		{"no tenant", func(r *audit.Record) { r.TenantID = uuid.Nil }},
		{"no staff", func(r *audit.Record) { r.StaffID = uuid.Nil }},
		{"no role", func(r *audit.Record) { r.Role = "" }},
		{"case read without case", func(r *audit.Record) { r.CaseID = uuid.Nil }},
		{"file read without case", func(r *audit.Record) { r.CaseID = uuid.Nil; r.What = audit.File }},
		{"long detail", func(r *audit.Record) { r.Detail = string(make([]byte, 201)) }},
		{"staff of another municipality", func(r *audit.Record) { r.StaffID = f.stranger }},
		{"case of another municipality", func(r *audit.Record) { r.CaseID = f.foreignCase }},
		{"unknown staff", func(r *audit.Record) { r.StaffID = uuid.New() }},
		{"unknown case", func(r *audit.Record) { r.CaseID = uuid.New() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid
			tt.change(&r)
			err := audit.Write(ctx, f.pool, r)
			if !errors.Is(err, audit.ErrInvalidRecord) {
				t.Errorf("Write = %v, want ErrInvalidRecord", err)
			}
			if k := apperr.KindOf(err); k != apperr.Internal {
				t.Errorf("kind %v, want internal (a fault of the calling code)", k)
			}
		})
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_record`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d records, want only the valid one", n)
	}

	// The database refuses an unknown what too, for code that writes past Write.
	_, err := f.pool.Exec(ctx, `INSERT INTO audit_record (tenant_id, staff_id, staff_name, role, case_id, what)
		VALUES ($1, $2, 'Anna Berg', 'caseworker', $3, 'everything')`, f.tenant, f.anna, f.caseID)
	if code := sqlState(err); code != "23514" {
		t.Errorf("insert of an unknown what: %v, want a check violation", err)
	}
}

func TestReadersOfCaseOnePerPersonAndDay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sthlm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sthlm)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// Anna on 10 March: three reads; the last at 23:30 in Stockholm, 22:30 UTC.
	f.insertAt(t, f.anna, "Anna Berg", "Gatuenheten", f.caseID, at("2026-03-10 08:00"))
	f.insertAt(t, f.anna, "Anna Berg", "Gatuenheten", f.caseID, at("2026-03-10 15:00"))
	f.insertAt(t, f.anna, "Anna Berg", "Gatuenheten", f.caseID, at("2026-03-10 23:30"))
	// Anna on 11 March at 00:30 in Stockholm: still 10 March in UTC, yet another day in Sweden.
	f.insertAt(t, f.anna, "Anna Berg", "Gatuenheten", f.caseID, at("2026-03-11 00:30"))
	// Bertil once on 10 March, and once on 12 March after moving to another unit.
	f.insertAt(t, f.bertil, "Bertil Ek", "Kundcenter", f.caseID, at("2026-03-10 12:00"))
	f.insertAt(t, f.bertil, "Bertil Ek", "Bygglov", f.caseID, at("2026-03-12 09:15"))
	// Reads of another case do not count.
	f.insertAt(t, f.anna, "Anna Berg", "Gatuenheten", f.otherCase, at("2026-03-13 10:00"))

	got, err := audit.ReadersOfCase(ctx, f.pool, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Reader{
		{Name: "Bertil Ek", Unit: "Bygglov", At: at("2026-03-12 09:15")},
		{Name: "Anna Berg", Unit: "Gatuenheten", At: at("2026-03-11 00:30")},
		{Name: "Anna Berg", Unit: "Gatuenheten", At: at("2026-03-10 23:30")},
		{Name: "Bertil Ek", Unit: "Kundcenter", At: at("2026-03-10 12:00")},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("readers (-want +got):\n%s", diff)
	}

	none, err := audit.ReadersOfCase(ctx, f.pool, f.foreignCase)
	if err != nil || len(none) != 0 {
		t.Errorf("readers of an unread case: %v, %v", none, err)
	}
}

func TestAppendOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := audit.Write(ctx, f.pool, audit.Record{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg",
		Role: "caseworker", CaseID: f.caseID, What: audit.Case}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE audit_record SET staff_name = 'Någon annan'`,
		`UPDATE audit_record SET client_addr = '192.0.2.1'`, // an address may only be removed
		`UPDATE audit_record SET client_addr = NULL, detail = 'x'`,
		`DELETE FROM audit_record`, // younger than the municipality's audit retention

		`DELETE FROM audit_record WHERE what = 'case'`,
		`TRUNCATE audit_record`,
		`TRUNCATE cases, audit_record CASCADE`,
		`TRUNCATE tenant CASCADE`,
	} {
		_, err := f.pool.Exec(ctx, sql)
		if err == nil {
			t.Errorf("%s: no error", sql)
			continue
		}
		// The test connects as a superuser, who bypasses privileges: here the trigger refuses.
		// As the application's own (non-superuser) role, either line refuses.
		if code := sqlState(err); code != "23000" && code != "42501" {
			t.Errorf("%s: %v, want the append-only trigger or a missing privilege", sql, err)
		}
	}
	var n int
	var name string
	if err := f.pool.QueryRow(ctx, `SELECT count(*), max(staff_name) FROM audit_record`).Scan(&n, &name); err != nil {
		t.Fatal(err)
	}
	if n != 1 || name != "Anna Berg" {
		t.Errorf("after the refused changes: %d records, name %q", n, name)
	}
}

// TestPrivilegesRevoked checks the second line: the migrations took UPDATE and TRUNCATE out of
// the table's ACL, for its owner (the role the application connects as) and for PUBLIC, and gave
// the owner back only DELETE (for the retention job, which the row trigger holds to expired
// records) and UPDATE of the client address (which the job removes).
func TestPrivilegesRevoked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	rows, err := f.pool.Query(ctx, `
		SELECT coalesce(r.rolname, 'PUBLIC'), a.privilege_type
		FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
		WHERE c.oid = 'audit_record'::regclass
		ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	type grant struct{ Role, Privilege string }
	grants, err := pgx.CollectRows(rows, pgx.RowToStructByPos[grant])
	if err != nil {
		t.Fatal(err)
	}
	var owner string
	if err := f.pool.QueryRow(ctx, `SELECT relowner::regrole::text FROM pg_class WHERE oid = 'audit_record'::regclass`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if len(grants) == 0 {
		t.Fatal("audit_record has the default ACL: the privileges were not revoked")
	}
	ownerHas := map[string]bool{}
	for _, g := range grants {
		switch {
		case g.Privilege == "UPDATE" || g.Privilege == "TRUNCATE":
			t.Errorf("%s still holds %s on audit_record", g.Role, g.Privilege)
		case g.Privilege == "DELETE" && g.Role != owner:
			t.Errorf("%s holds DELETE on audit_record", g.Role)
		}
		if g.Role == owner {
			ownerHas[g.Privilege] = true
		}
	}
	if !ownerHas["INSERT"] || !ownerHas["SELECT"] {
		t.Errorf("owner %s lost INSERT or SELECT: %v", owner, grants)
	}

	// And it holds on its own: an owner that is not a superuser, with the trigger disabled, still
	// cannot change a record (but its address) or empty the table. All in a transaction that is
	// rolled back, the role included.
	if err := audit.Write(ctx, f.pool, audit.Record{TenantID: f.tenant, StaffID: f.anna, StaffName: "Anna Berg",
		Role: "caseworker", CaseID: f.caseID, What: audit.Case}); err != nil {
		t.Fatal(err)
	}
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	role := "audit_test_" + randomHex(6)
	for _, sql := range []string{
		`CREATE ROLE ` + role + ` NOLOGIN`,
		`ALTER TABLE audit_record OWNER TO ` + role,
		`SET LOCAL ROLE ` + role,
		`ALTER TABLE audit_record DISABLE TRIGGER USER`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, sql := range []string{
		`UPDATE audit_record SET staff_name = 'Någon annan'`,
		`TRUNCATE audit_record`,
	} {
		if _, err := tx.Exec(ctx, "SAVEPOINT s"); err != nil {
			t.Fatal(err)
		}
		_, err := tx.Exec(ctx, sql)
		if code := sqlState(err); code != "42501" {
			t.Errorf("%s as the owner with the trigger disabled: %v, want permission denied", sql, err)
		}
		if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s"); err != nil {
			t.Fatal(err)
		}
	}
	// Reading and appending still work for the owner.
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_record`).Scan(&n); err != nil || n != 1 {
		t.Errorf("owner reads %d records: %v", n, err)
	}
}

func TestRenameKeepsHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := audit.Write(ctx, f.pool, audit.Record{TenantID: f.tenant, StaffID: f.anna, Role: "caseworker",
		CaseID: f.caseID, What: audit.Case}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE staff SET name = 'Anna Lund', unit = 'Bygglov', active = false WHERE id = $1`, f.anna); err != nil {
		t.Fatal(err)
	}
	if err := audit.Write(ctx, f.pool, audit.Record{TenantID: f.tenant, StaffID: f.anna, Role: "caseworker",
		CaseID: f.otherCase, What: audit.Case}); err != nil {
		t.Fatal(err)
	}

	records, err := audit.ForCase(ctx, f.pool, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1 || records[0].StaffName != "Anna Berg" || records[0].StaffUnit != "Gatuenheten" {
		t.Errorf("old record after the rename: %+v", records)
	}
	readers, err := audit.ReadersOfCase(ctx, f.pool, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(readers) != 1 || readers[0].Name != "Anna Berg" || readers[0].Unit != "Gatuenheten" {
		t.Errorf("readers after the rename: %+v", readers)
	}
	// A record written after the rename carries the new name.
	records, err = audit.ForCase(ctx, f.pool, f.otherCase)
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1 || records[0].StaffName != "Anna Lund" || records[0].StaffUnit != "Bygglov" {
		t.Errorf("new record after the rename: %+v", records)
	}
	// A staff member who has read a case is kept (deactivated), never deleted.
	if _, err := f.pool.Exec(ctx, `DELETE FROM staff WHERE id = $1`, f.anna); sqlState(err) != "23503" {
		t.Errorf("delete of a staff member with audit records: %v, want a foreign key violation", err)
	}
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

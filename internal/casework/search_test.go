package casework_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/staff"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// searchFixture is the demo data with a few cases of Alingsås's street lighting e-service and
// one of Motala's.
type searchFixture struct {
	pool   *pgxpool.Pool
	store  *casework.Store
	anna   staff.Member // Alingsås caseworker
	mikael staff.Member // Motala caseworker
	refs   map[string]string
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := demo.Load(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	f := &searchFixture{pool: pool, store: casework.NewStore(pool, nil), refs: map[string]string{}}
	f.anna = member(t, pool, "ali-1001", "ali-handlaggare")
	f.mikael = member(t, pool, "mot-2001", "mot-handlaggare")

	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO account (personal_number, given_name, surname, display_name) VALUES ('19700101' || '1234', 'Sven', 'Gärdeskog', 'Sven Gärdeskog')`)
	exec(`INSERT INTO account (personal_number, given_name, surname, display_name, protected_identity) VALUES ('198001015678', 'Hemlig', 'Skyddsson', 'Hemlig Skyddsson', true)`)
	addCase := func(key, tenant, eservice, pnr string, answers string, at time.Time) {
		t.Helper()
		ref := fmt.Sprintf("%s-2026-%06d", map[string]string{"alingsas": "ALI", "motala": "MOT"}[tenant], 900000+len(f.refs))
		var account any
		if pnr != "" {
			account = pnr
		}
		exec(`INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id, submitted_at)
			SELECT e.tenant_id, e.id, e.current_version_id, $3, (SELECT id FROM account WHERE personal_number = $4), $5, gen_random_uuid(), $6
			FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = $1 AND e.slug = $2`,
			tenant, eservice, ref, account, answers, at)
		f.refs[key] = ref
	}
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	addCase("sven1", "alingsas", "felanmalan-gatubelysning", "197001011234", `{"location": ["Kungsgatan 12"], "description": ["Lampan blinkar hela natten."]}`, base)
	addCase("sven2", "alingsas", "felanmalan-gatubelysning", "197001011234", `{"location": ["Storgatan 3"], "description": ["Stolpen lutar."]}`, base.Add(time.Hour))
	addCase("visitor", "alingsas", "felanmalan-gatubelysning", "", `{"location": ["Drottninggatan 1"], "description": ["Trasiga lampor vid busshållplatsen."]}`, base.Add(2*time.Hour))
	addCase("protected", "alingsas", "felanmalan-gatubelysning", "198001015678", `{"location": ["Hemliga vägen 5"], "contact.name": ["Hemlig Skyddsson"], "description": ["Lampan blinkar."]}`, base.Add(3*time.Hour))
	addCase("motala", "motala", "felanmalan-vatten-och-avlopp", "197001011234", `{"location": ["Kungsgatan 12"], "description": ["Det läcker vatten."]}`, base.Add(4*time.Hour))
	return f
}

func member(t *testing.T, pool *pgxpool.Pool, employeeID string, groups ...string) staff.Member {
	t.Helper()
	m := staff.Member{EmployeeID: employeeID, Groups: groups, Roles: []string{staff.Caseworker}}
	if err := pool.QueryRow(context.Background(), `SELECT id, tenant_id, name FROM staff WHERE employee_id = $1`, employeeID).Scan(&m.ID, &m.TenantID, &m.Name); err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *searchFixture) search(t *testing.T, m staff.Member, q string) []casework.QueueRow {
	t.Helper()
	p, err := f.store.Search(t.Context(), m, q, "", 50)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return p.Rows
}

func (f *searchFixture) refsOf(rows []casework.QueueRow) []string {
	var keys []string
	for _, r := range rows {
		for k, ref := range f.refs {
			if ref == r.Reference {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func TestSearch(t *testing.T) {
	f := newSearchFixture(t)
	for _, tc := range []struct {
		query string
		want  []string // newest first
	}{
		{f.refs["sven1"], []string{"sven1"}},
		{"  " + toLower(f.refs["sven2"]) + " ", []string{"sven2"}},
		{f.refs["protected"], []string{"protected"}}, // a protected identity's case is found by reference
		{f.refs["motala"], nil},                      // another municipality's
		{"197001011234", []string{"sven2", "sven1"}},
		{"19700101-1234", []string{"sven2", "sven1"}},
		{"Sven", []string{"sven2", "sven1"}},
		{"gärdesko", []string{"sven2", "sven1"}},
		{"sven gärdeskog", []string{"sven2", "sven1"}},
		{"Sven Andersson", nil},
		{"gärdeskog SVEN", []string{"sven2", "sven1"}}, // every word, in any order
		{"Hemlig Skyddsson", nil},                      // nor by name with its answers holding it
		{"kungsgatan", []string{"sven1"}},
		{"trasig lampa", []string{"visitor"}}, // Swedish stemming
		{"blinkar", []string{"sven1"}},        // not the protected identity's case
		{"198001015678", nil},
		{"19800101-5678", nil},
		{"Skyddsson", nil},
		{"Hemlig", nil},
		{"hemliga vägen", nil},
		{"", nil},
		{"%", nil},
		{"100%_", nil},
	} {
		if got := f.refsOf(f.search(t, f.anna, tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("search %q: got %v, want %v", tc.query, got, tc.want)
		}
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestSearchRows(t *testing.T) {
	f := newSearchFixture(t)
	rows := f.search(t, f.anna, f.refs["protected"])
	if len(rows) != 1 || !rows[0].Protected || rows[0].Citizen != "" {
		t.Fatalf("protected identity's row: %+v", rows)
	}
	rows = f.search(t, f.anna, f.refs["sven1"])
	if len(rows) != 1 || rows[0].Citizen != "Sven Gärdeskog" || rows[0].Protected || rows[0].EService == "" || rows[0].Status != "submitted" {
		t.Fatalf("row: %+v", rows)
	}
	rows = f.search(t, f.anna, f.refs["visitor"])
	if len(rows) != 1 || rows[0].Citizen != "" || rows[0].Protected {
		t.Fatalf("visitor's row: %+v", rows)
	}
}

// Only the cases the caseworker may see are found.
func TestSearchAccess(t *testing.T) {
	f := newSearchFixture(t)
	// Motala's caseworker finds Motala's case of the same citizen, and nothing of Alingsås.
	if got := f.refsOf(f.search(t, f.mikael, "197001011234")); !slices.Equal(got, []string{"motala"}) {
		t.Errorf("Motala's caseworker by number: %v", got)
	}
	if got := f.search(t, f.mikael, f.refs["sven1"]); len(got) != 0 {
		t.Errorf("Motala's caseworker found Alingsås's case: %v", got)
	}
	// A caseworker of Alingsås who handles no e-service finds nothing.
	outsider := f.anna
	outsider.Groups = []string{"ali-etjanst"}
	outsider.ID = member(t, f.pool, "ali-1003").ID
	for _, q := range []string{f.refs["sven1"], "Sven", "197001011234", "kungsgatan"} {
		if got := f.search(t, outsider, q); len(got) != 0 {
			t.Errorf("caseworker handling nothing, %q: %v", q, got)
		}
	}
	// The e-services a member handled when read (staff.Store.ByID) narrow where the search looks;
	// a member whose list claims more than they handle now still finds nothing of the rest.
	read, err := staff.NewStore(f.pool).ByID(t.Context(), f.anna.ID)
	if err != nil || len(read.EServices) == 0 {
		t.Fatalf("Anna as read: %v, e-services %v", err, read.EServices)
	}
	if got := f.refsOf(f.search(t, read, "Sven")); len(got) != 2 {
		t.Errorf("Anna as read, by name: %v", got)
	}
	stale := outsider
	stale.EServices = read.EServices
	for _, q := range []string{f.refs["sven1"], "Sven", "197001011234", "kungsgatan"} {
		if got := f.search(t, stale, q); len(got) != 0 {
			t.Errorf("caseworker handling nothing, with another's e-services, %q: %v", q, got)
		}
	}
	// Without the caseworker role, nothing.
	admin := f.anna
	admin.Roles = []string{staff.EServiceAdmin}
	if got := f.search(t, admin, "Sven"); len(got) != 0 {
		t.Errorf("e-service admin: %v", got)
	}
	// A restricted caseworker finds only the cases assigned to them.
	rebecka := member(t, f.pool, "ali-1002", "ali-handlaggare")
	rebecka.Restricted = true
	if got := f.search(t, rebecka, "Sven"); len(got) != 0 {
		t.Errorf("restricted caseworker before assignment: %v", got)
	}
	if _, err := f.pool.Exec(t.Context(), `UPDATE cases SET assigned_to = $1 WHERE reference = $2`, rebecka.ID, f.refs["sven1"]); err != nil {
		t.Fatal(err)
	}
	if got := f.refsOf(f.search(t, rebecka, "Sven")); !slices.Equal(got, []string{"sven1"}) {
		t.Errorf("restricted caseworker after assignment: %v", got)
	}
}

func TestSearchPaging(t *testing.T) {
	f := newSearchFixture(t)
	// Fifteen more cases of Sven's, at the same time, so that the id orders them.
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	for i := range 15 {
		if _, err := f.pool.Exec(t.Context(), `
			INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id, submitted_at)
			SELECT tenant_id, eservice_id, version_id, $1, account_id, answers, gen_random_uuid(), $2 FROM cases WHERE reference = $3`,
			fmt.Sprintf("ALI-2026-%06d", 800000+i), at, f.refs["sven1"]); err != nil {
			t.Fatal(err)
		}
	}
	var all []casework.QueueRow
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		p, err := f.store.Search(t.Context(), f.anna, "Gärdeskog", after, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) > 5 {
			t.Fatalf("page of %d rows", len(p.Rows))
		}
		all = append(all, p.Rows...)
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(all) != 17 {
		t.Fatalf("%d rows over the pages, want 17", len(all))
	}
	seen := map[uuid.UUID]bool{}
	for i, r := range all {
		if seen[r.ID] {
			t.Errorf("row %s twice", r.Reference)
		}
		seen[r.ID] = true
		if i > 0 {
			prev := all[i-1]
			if r.SubmittedAt.After(prev.SubmittedAt) || (r.SubmittedAt.Equal(prev.SubmittedAt) && r.ID.String() > prev.ID.String()) {
				t.Errorf("row %d out of order: %s after %s", i, r.Reference, prev.Reference)
			}
		}
	}
}

// The applicant's name a search reads is kept with the account: a new name finds the cases, the
// old one no longer does, and an identity protected later is no longer found by name.
func TestSearchFollowsTheAccount(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	rename := func(sql string) {
		t.Helper()
		if _, err := f.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	rename(`UPDATE account SET surname = 'Lindqvist', display_name = 'Sven Lindqvist' WHERE personal_number = '197001011234'`)
	if got := f.refsOf(f.search(t, f.anna, "lindqvist")); !slices.Equal(got, []string{"sven2", "sven1"}) {
		t.Errorf("the new name: got %v", got)
	}
	if got := f.refsOf(f.search(t, f.anna, "gärdeskog")); got != nil {
		t.Errorf("the old name still finds %v", got)
	}
	if got := f.refsOf(f.search(t, f.anna, "sven lindqvist")); !slices.Equal(got, []string{"sven2", "sven1"}) {
		t.Errorf("the new full name: got %v", got)
	}
	rename(`UPDATE account SET protected_identity = true WHERE personal_number = '197001011234'`)
	for _, q := range []string{"lindqvist", "sven lindqvist"} {
		if got := f.refsOf(f.search(t, f.anna, q)); got != nil {
			t.Errorf("a protected identity is found by name (%q): %v", q, got)
		}
	}
	var names int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM cases WHERE applicant_name IS NOT NULL
		AND account_id = (SELECT id FROM account WHERE personal_number = '197001011234')`).Scan(&names); err != nil || names != 0 {
		t.Errorf("a protected identity's name is kept on %d cases (%v)", names, err)
	}
}

// A name of several words is looked up among the accounts' names when at most a couple of hundred
// holders have it, and on the cases themselves when more do: either way the same cases are found,
// newest first, a page at a time.
func TestSearchNameOfSeveralWords(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	// 230 holders of "Lisa Bergholm …": the first 20 also "… Ekdahl". Each has a case, the newest
	// the last holder's.
	if _, err := f.pool.Exec(ctx, `
		INSERT INTO account (personal_number, given_name, surname, display_name)
		SELECT '1990' || lpad(i::text, 8, '0'), 'Lisa', 'Bergholm', 'Lisa Bergholm' || CASE WHEN i <= 20 THEN ' Ekdahl' ELSE '' END
		FROM generate_series(1, 230) i;
		INSERT INTO cases (tenant_id, eservice_id, version_id, reference, account_id, answers, source_draft_id, submitted_at)
		SELECT e.tenant_id, e.id, e.current_version_id, 'ALI-2026-' || lpad((800000 + i)::text, 6, '0'),
			(SELECT id FROM account WHERE personal_number = '1990' || lpad(i::text, 8, '0')), '{}', gen_random_uuid(),
			timestamptz '2026-04-01 10:00Z' + i * interval '1 minute'
		FROM eservice e JOIN tenant t ON t.id = e.tenant_id, generate_series(1, 230) i
		WHERE t.slug = 'alingsas' AND e.slug = 'felanmalan-gatubelysning'`); err != nil {
		t.Fatal(err)
	}
	refs := func(from, to int) []string { // newest first
		var out []string
		for i := to; i >= from; i-- {
			out = append(out, fmt.Sprintf("ALI-2026-%06d", 800000+i))
		}
		return out
	}
	all := func(q string) []string {
		t.Helper()
		var got []string
		after := ""
		for {
			p, err := f.store.Search(ctx, f.anna, q, after, 25)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			for _, r := range p.Rows {
				got = append(got, r.Reference)
			}
			if after = p.Next; after == "" {
				return got
			}
		}
	}
	// Which way each query takes: through how many holders, or (false) on the cases.
	for _, tc := range []struct {
		query     string
		byHolders bool
		holders   int
	}{
		{"lisa ekdahl", true, 20},
		{"ekdahl bergholm", true, 20},
		{"lisa ekdahl sven", true, 0},
		{"lisa bergholm", false, 0}, // 230 holders
		{"ekdahl", false, 0},        // one word
	} {
		holders, byHolders, err := f.store.FindHolders(ctx, f.anna, tc.query)
		if err != nil || byHolders != tc.byHolders || len(holders) != tc.holders {
			t.Errorf("the holders of %q: %d (through them: %v), %v; want %d (%v)", tc.query, len(holders), byHolders, err, tc.holders, tc.byHolders)
		}
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"lisa ekdahl", refs(1, 20)},     // 20 holders: through the accounts
		{"ekdahl bergholm", refs(1, 20)}, // the same, in another order
		{"lisa bergholm", refs(1, 230)},  // 230 holders: on the cases
		{"isa olm", refs(1, 230)},        // fragments, as on the cases
		{"lisa ekdahl sven", nil},        // every word must be in the name
	} {
		if got := all(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("search %q: got %d cases %v, want %d", tc.query, len(got), got, len(tc.want))
		}
	}
}

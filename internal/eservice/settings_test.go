package eservice_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// esFixture is the demo data with the e-service admins' view of it.
type esFixture struct {
	t      *testing.T
	pool   *pgxpool.Pool
	store  *eservice.Store
	erik   audit.Actor // e-service admin of Alingsås
	motala audit.Actor // someone of Motala
	school uuid.UUID   // Alingsås's published "anmalan-till-kulturskola"
}

func newESFixture(t *testing.T) *esFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	f := &esFixture{t: t, pool: pool, store: eservice.NewStore(pool)}
	f.erik = f.actor("ali-1003")
	f.motala = f.actor("mot-2001")
	f.school = f.eservice("alingsas", "anmalan-till-kulturskola")
	return f
}

func (f *esFixture) actor(employee string) audit.Actor {
	f.t.Helper()
	var a audit.Actor
	if err := f.pool.QueryRow(context.Background(), `SELECT tenant_id, id, name FROM staff WHERE employee_id = $1`, employee).
		Scan(&a.TenantID, &a.StaffID, &a.Name); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *esFixture) eservice(tenant, slug string) uuid.UUID {
	f.t.Helper()
	var id uuid.UUID
	if err := f.pool.QueryRow(context.Background(), `
		SELECT e.id FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = $1 AND e.slug = $2`, tenant, slug).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *esFixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatal(err)
	}
}

func (f *esFixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// changes returns the recorded changes of the e-service with the action.
func (f *esFixture) changes(id uuid.UUID, action string) []audit.Change {
	f.t.Helper()
	all, err := audit.ChangesOfEService(context.Background(), f.pool, f.erik.TenantID, id, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []audit.Change
	for _, c := range all {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

func (f *esFixture) get(id uuid.UUID) eservice.EService {
	f.t.Helper()
	e, err := f.store.ByID(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// fieldsOf returns the inputs named by a refusal, or fails when err is none.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var fe apperr.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want field errors", err)
	}
	var out []string
	for _, e := range fe {
		out = append(out, e.Field+"="+e.Key)
	}
	return out
}

// A valid change is stored and recorded once, naming the settings that changed; saving the same
// settings again records nothing.
func TestUpdateSettings(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	in := eservice.SettingsOf(f.get(f.school))
	in.Title = form.Text{"sv": "  Anmälan till Kulturskolan ", "en": "Register for the School of Arts"}
	in.Audience = []string{"association", "private"}
	in.LoginRule, in.AnonymousAllowed = eservice.LoginOptional, true
	in.Privacy.Retention = form.Text{"sv": "Två år efter att ärendet avslutats."}
	in.RetentionMonths = 24
	if err := f.store.UpdateSettings(ctx, f.erik, f.school, in); err != nil {
		t.Fatal(err)
	}
	got := f.get(f.school)
	if got.Title["sv"] != "Anmälan till Kulturskolan" || !slices.Equal(got.Audience, []string{"private", "association"}) ||
		got.LoginRule != eservice.LoginOptional || !got.AnonymousAllowed || got.RetentionMonths != 24 ||
		got.Privacy.Retention["sv"] != "Två år efter att ärendet avslutats." || got.Privacy.Retention["en"] != "" ||
		got.Privacy.Data["en"] == "" || got.OnceOnlyField != "child_personal_number" {
		t.Errorf("stored %+v", got)
	}
	changes := f.changes(f.school, "eservice_settings_changed")
	if len(changes) != 1 {
		t.Fatalf("%d changes recorded, want 1", len(changes))
	}
	want := []any{"title", "audience", "login_rule", "anonymous_allowed", "privacy", "retention_months"}
	if diff := cmp.Diff(want, changes[0].Detail["changed"]); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	if c := changes[0]; c.Actor.StaffID != f.erik.StaffID || c.Target != "anmalan-till-kulturskola" {
		t.Errorf("change %+v", c)
	}

	// The same again changes nothing.
	if err := f.store.UpdateSettings(ctx, f.erik, f.school, eservice.SettingsOf(got)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.changes(f.school, "eservice_settings_changed")); n != 1 {
		t.Errorf("%d changes after saving nothing new", n)
	}
}

// Refused settings name each input concerned, and store and record nothing.
func TestUpdateSettingsRefused(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	valid := eservice.SettingsOf(f.get(f.school))
	valid.RetentionMonths = 24
	for _, tc := range []struct {
		name   string
		change func(*eservice.Settings)
		want   []string
	}{
		{"everything empty", func(s *eservice.Settings) { *s = eservice.Settings{} }, []string{
			"title_sv=error.esettings.title", "slug=error.esettings.slug", "category=error.esettings.category",
			"audience=error.esettings.audience", "login_rule=error.esettings.loginRule", "once_only=error.esettings.onceOnly",
			"privacy_data_sv=error.esettings.privacyRequired", "privacy_purpose_sv=error.esettings.privacyRequired",
			"privacy_legal_basis_sv=error.esettings.privacyRequired", "privacy_controller_sv=error.esettings.privacyRequired",
			"privacy_retention_sv=error.esettings.privacyRequired", "retention_months=error.esettings.retention"}},
		{"too long", func(s *eservice.Settings) {
			s.Title = form.Text{"sv": "Kultur", "en": strings.Repeat("x", 201)}
			s.Description = form.Text{"sv": strings.Repeat("å", 2001)}
		}, []string{"title_en=error.esettings.tooLong", "description_sv=error.esettings.tooLong"}},
		{"unknown audience", func(s *eservice.Settings) { s.Audience = []string{"private", "robots"} }, []string{"audience=error.esettings.audience"}},
		{"anonymous with login required", func(s *eservice.Settings) { s.AnonymousAllowed = true }, []string{"anonymous_allowed=error.esettings.anonymousLogin"}},
		{"published address", func(s *eservice.Settings) { s.Slug = "kulturskolan" }, []string{"slug=error.esettings.slugLocked"}},
		{"field of the wrong type", func(s *eservice.Settings) { s.OnceOnly = eservice.OnceEmail }, []string{"once_only_field=error.esettings.onceOnlyFieldType"}},
		{"field not in the form", func(s *eservice.Settings) { s.OnceOnlyField = "school_year" + "_x" }, []string{"once_only_field=error.esettings.onceOnlyFieldMissing"}},
		{"field that is no identity", func(s *eservice.Settings) { s.OnceOnlyField = "child_name" }, []string{"once_only_field=error.esettings.onceOnlyFieldType"}},
		{"field without a rule", func(s *eservice.Settings) { s.OnceOnly = eservice.OnceNone }, []string{"once_only_field=error.esettings.onceOnlyFieldNoRule"}},
		{"rule without field or login", func(s *eservice.Settings) { s.OnceOnlyField, s.LoginRule = "", eservice.LoginOptional }, []string{"once_only=error.esettings.onceOnlyLogin"}},
		{"plain http", func(s *eservice.Settings) { s.ExternalURL = "http://bokning.alingsas.se" }, []string{"external_url=error.esettings.externalURL"}},
		{"no host", func(s *eservice.Settings) { s.ExternalURL = "https://" }, []string{"external_url=error.esettings.externalURL"}},
		{"retention over 100 years", func(s *eservice.Settings) { s.RetentionMonths = 1201 }, []string{"retention_months=error.esettings.retention"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid
			in.Privacy = valid.Privacy
			tc.change(&in)
			err := f.store.UpdateSettings(ctx, f.erik, f.school, in)
			if diff := cmp.Diff(tc.want, fieldsOf(t, err)); diff != "" {
				t.Errorf("refusal (-want +got):\n%s", diff)
			}
		})
	}
	if got := f.get(f.school); got.RetentionMonths != 0 || got.Slug != "anmalan-till-kulturskola" || got.AnonymousAllowed {
		t.Errorf("a refused change was stored: %+v", got)
	}
	if n := len(f.changes(f.school, "eservice_settings_changed")); n != 0 {
		t.Errorf("%d refused changes recorded", n)
	}
	if err := f.store.UpdateSettings(ctx, f.erik, f.school, valid); err != nil {
		t.Errorf("the valid settings: %v", err)
	}
}

// The address of an e-service that has never been published may change, to one that is free
// in the municipality.
func TestUpdateSettingsAddress(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	e, err := f.store.CreateByAdmin(ctx, f.erik, "Ansökan om kanotplats", "", "culture")
	if err != nil {
		t.Fatal(err)
	}
	in := eservice.SettingsOf(e)
	in.RetentionMonths = 12
	for _, p := range eservice.PrivacyParts {
		*in.Privacy.Part(p) = form.Text{"sv": "Text om " + p}
	}
	in.Slug = "ansokan-om-bygglov" // Alingsås has one
	if diff := cmp.Diff([]string{"slug=error.esettings.slugTaken"}, fieldsOf(t, f.store.UpdateSettings(ctx, f.erik, e.ID, in))); diff != "" {
		t.Error(diff)
	}
	in.Slug = "felanmalan-vatten-och-avlopp" // Motala's, free in Alingsås
	if err := f.store.UpdateSettings(ctx, f.erik, e.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := f.get(e.ID).Slug; got != in.Slug {
		t.Errorf("slug %q", got)
	}
	if c := f.changes(e.ID, "eservice_settings_changed"); len(c) != 1 || !slices.Contains(c[0].Detail["changed"].([]any), "slug") {
		t.Errorf("changes %+v", c)
	}
}

// Only an admin of the e-service's municipality changes it, and not when it is archived.
func TestSettingsOfAnotherMunicipality(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	in := eservice.SettingsOf(f.get(f.school))
	in.RetentionMonths = 24
	if err := f.store.UpdateSettings(ctx, f.motala, f.school, in); !errors.Is(err, eservice.ErrNotFound) {
		t.Errorf("Motala changes Alingsås's e-service: %v", err)
	}
	if err := f.store.SetNoticeTexts(ctx, f.motala, f.school, nil); !errors.Is(err, eservice.ErrNotFound) {
		t.Errorf("Motala changes Alingsås's notice texts: %v", err)
	}
	if _, err := f.store.AddStatus(ctx, f.motala, f.school, eservice.StatusInput{Label: form.Text{"sv": "X"}, Type: "in_progress"}); !errors.Is(err, eservice.ErrNotFound) {
		t.Errorf("Motala adds a status: %v", err)
	}
	if err := f.store.SetCaseworkers(ctx, f.motala, f.school, nil, []string{"mot-handlaggare"}); !errors.Is(err, eservice.ErrNotFound) {
		t.Errorf("Motala sets caseworkers: %v", err)
	}
	if err := f.store.Archive(ctx, f.erik, f.school); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSettings(ctx, f.erik, f.school, in); !errors.Is(err, eservice.ErrArchived) {
		t.Errorf("an archived e-service changed: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM admin_event WHERE eservice_id = $1 AND action <> 'eservice_archived'`, f.school); n != 0 {
		t.Errorf("%d changes recorded", n)
	}
}

// Notice texts are stored by kind and language, without empty ones; a change records the kinds
// that changed.
func TestSetNoticeTexts(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	texts := eservice.NoticeTexts{
		"case_submitted": {"sv": " Handläggningstiden är normalt fyra veckor.\r\n", "en": "It usually takes four weeks."},
		"case_closed":    {"sv": "", "en": ""},
		"new_message":    {"sv": "Svara gärna inom en vecka."},
	}
	if err := f.store.SetNoticeTexts(ctx, f.erik, f.school, texts); err != nil {
		t.Fatal(err)
	}
	want := eservice.NoticeTexts{
		"case_submitted": {"sv": "Handläggningstiden är normalt fyra veckor.", "en": "It usually takes four weeks."},
		"new_message":    {"sv": "Svara gärna inom en vecka."},
	}
	if diff := cmp.Diff(want, f.get(f.school).NoticeTexts); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
	c := f.changes(f.school, "eservice_notice_texts_changed")
	if len(c) != 1 || !cmp.Equal(c[0].Detail["kinds"], []any{"case_submitted", "new_message"}) {
		t.Errorf("changes %+v", c)
	}

	refused := eservice.NoticeTexts{"status_changed": {"sv": strings.Repeat("a", 501), "en": "bell\a"}}
	if diff := cmp.Diff([]string{"notice_status_changed_en=error.esettings.noticeControl", "notice_status_changed_sv=error.esettings.noticeTooLong"},
		fieldsOf(t, f.store.SetNoticeTexts(ctx, f.erik, f.school, refused))); diff != "" {
		t.Error(diff)
	}
	if err := f.store.SetNoticeTexts(ctx, f.erik, f.school, eservice.NoticeTexts{"gossip": {"sv": "x"}}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("an unknown kind: %v", err)
	}
	if err := f.store.SetNoticeTexts(ctx, f.erik, f.school, want); err != nil {
		t.Fatal(err)
	}
	if n := len(f.changes(f.school, "eservice_notice_texts_changed")); n != 1 {
		t.Errorf("%d changes, want 1 (refusals and an unchanged save record nothing)", n)
	}
	if diff := cmp.Diff(want, f.get(f.school).NoticeTexts); diff != "" {
		t.Errorf("after the refusals (-want +got):\n%s", diff)
	}
}

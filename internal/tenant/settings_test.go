package tenant_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/tenant"
)

// settingsFixture is a database with two municipalities and an admin of the first.
type settingsFixture struct {
	pool     *pgxpool.Pool
	store    *tenant.Store
	ali, ler tenant.Tenant
	admin    audit.Actor
}

func newSettingsFixture(t *testing.T) settingsFixture {
	t.Helper()
	ctx := context.Background()
	f := settingsFixture{pool: dbtest.New(t)}
	f.store = tenant.NewStore(f.pool)
	var err error
	if f.ali, err = tenant.Create(ctx, f.pool, tenant.Tenant{Slug: "alingsas", Name: "Alingsås kommun", Code: "ALI"}, nil); err != nil {
		t.Fatal(err)
	}
	if f.ler, err = tenant.Create(ctx, f.pool, tenant.Tenant{Slug: "lerum", Name: "Lerums kommun", Code: "LER"}, nil); err != nil {
		t.Fatal(err)
	}
	f.admin = audit.Actor{TenantID: f.ali.ID, Name: "Maria Admin"}
	if err := f.pool.QueryRow(ctx, `INSERT INTO staff (tenant_id, employee_id, name) VALUES ($1, 'ali-1004', 'Maria Admin') RETURNING id`, f.ali.ID).
		Scan(&f.admin.StaffID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f settingsFixture) changes(t *testing.T) []audit.Change {
	t.Helper()
	c, err := audit.ChangesOfMunicipality(context.Background(), f.pool, f.ali.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func validSettings(id uuid.UUID) tenant.Settings {
	return tenant.Settings{
		TenantID: id,
		Name:     "  Alingsås kommun ",
		Code:     "ali",
		Contact: tenant.Contact{Phone: "0322-61 60 00", Email: "kontaktcenter@alingsas.example",
			Address: "Alingsås kommun\r\n441 81 Alingsås  \r\n", Hours: "Måndag–fredag 8–16"},
		DPO:           tenant.DPO{Name: "Dataskyddsombudet", Email: "dpo@alingsas.example"},
		Accessibility: form.Text{"sv": "Vi följer WCAG 2.1.\n\nKontakta oss.", "en": ""},
	}
}

func TestUpdateSettings(t *testing.T) {
	f := newSettingsFixture(t)
	ctx := context.Background()

	before, err := f.store.Settings(ctx, f.ali.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !before.Contact.Empty() || !before.DPO.Empty() || len(before.Accessibility) != 0 || before.HasLogo {
		t.Errorf("a new municipality has settings: %+v", before)
	}

	if err := f.store.UpdateSettings(ctx, f.admin, validSettings(f.ali.ID)); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Settings(ctx, f.ali.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := tenant.Settings{
		TenantID: f.ali.ID, Name: "Alingsås kommun", Code: "ALI",
		Contact: tenant.Contact{Phone: "0322-61 60 00", Email: "kontaktcenter@alingsas.example",
			Address: "Alingsås kommun\n441 81 Alingsås", Hours: "Måndag–fredag 8–16"},
		DPO:           tenant.DPO{Name: "Dataskyddsombudet", Email: "dpo@alingsas.example"},
		Accessibility: form.Text{"sv": "Vi följer WCAG 2.1.\n\nKontakta oss."},
		UpdatedAt:     got.UpdatedAt,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings after the update (-want +got):\n%s", diff)
	}
	if !got.UpdatedAt.After(before.UpdatedAt) || got.LogoVersion() == before.LogoVersion() {
		t.Error("the update did not change the settings' version")
	}
	changes := f.changes(t)
	if len(changes) != 1 || changes[0].Action != "municipality_settings_changed" {
		t.Fatalf("changes = %+v", changes)
	}
	fields, _ := changes[0].Detail["fields"].([]any)
	if len(fields) != 7 { // contact ×4, the officer's name and e-mail, the Swedish statement; not the same name and code
		t.Errorf("changed fields = %v", fields)
	}

	// The same settings again change nothing and record nothing.
	if err := f.store.UpdateSettings(ctx, f.admin, validSettings(f.ali.ID)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.changes(t)); n != 1 {
		t.Errorf("an update without changes was recorded: %d changes", n)
	}

	// A new code: new reference numbers use it, the change says from what to what.
	in := validSettings(f.ali.ID)
	in.Code = "ALS"
	if err := f.store.UpdateSettings(ctx, f.admin, in); err != nil {
		t.Fatal(err)
	}
	changes = f.changes(t)
	if len(changes) != 2 || !cmp.Equal(changes[0].Detail["code"], map[string]any{"from": "ALI", "to": "ALS"}) {
		t.Errorf("the code change is recorded as %+v", changes[0].Detail)
	}
	if ali, err := f.store.BySlug(ctx, "alingsas"); err != nil || ali.Code != "ALS" {
		t.Errorf("code = %q, %v", ali.Code, err)
	}
}

func TestUpdateSettingsRefusesBadInput(t *testing.T) {
	f := newSettingsFixture(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(*tenant.Settings)
		want   []apperr.FieldError
	}{
		{"no name", func(s *tenant.Settings) { s.Name = " " }, []apperr.FieldError{{Field: "name", Key: "municipality.error.name"}}},
		{"two-line name", func(s *tenant.Settings) { s.Name = "Alingsås\nkommun" }, []apperr.FieldError{{Field: "name", Key: "municipality.error.name.long"}}},
		{"short code", func(s *tenant.Settings) { s.Code = "A" }, []apperr.FieldError{{Field: "code", Key: "municipality.error.code"}}},
		{"code with digits", func(s *tenant.Settings) { s.Code = "AL1" }, []apperr.FieldError{{Field: "code", Key: "municipality.error.code"}}},
		{"code of another municipality", func(s *tenant.Settings) { s.Code = "ler" }, []apperr.FieldError{{Field: "code", Key: "municipality.error.code.taken"}}},
		{"bad phone and email", func(s *tenant.Settings) { s.Contact.Phone, s.Contact.Email = "ring oss", "kontakt@" }, []apperr.FieldError{
			{Field: "contact_phone", Key: "municipality.error.phone"}, {Field: "contact_email", Key: "municipality.error.email"}}},
		{"long hours", func(s *tenant.Settings) { s.Contact.Hours = strings.Repeat("x", 1001) }, []apperr.FieldError{{Field: "contact_hours", Key: "municipality.error.text.long"}}},
		{"officer without a way to reach", func(s *tenant.Settings) { s.DPO = tenant.DPO{Name: "Dataskyddsombudet"} }, []apperr.FieldError{{Field: "dpo_email", Key: "municipality.error.dpo.reach"}}},
		{"officer's phone", func(s *tenant.Settings) { s.DPO.Phone = "123" }, []apperr.FieldError{{Field: "dpo_phone", Key: "municipality.error.phone"}}},
		{"English statement only", func(s *tenant.Settings) { s.Accessibility = form.Text{"en": "We follow WCAG."} }, []apperr.FieldError{{Field: "accessibility_sv", Key: "municipality.error.statement.sv"}}},
		{"everything at once, in the form's order", func(s *tenant.Settings) {
			s.Accessibility = form.Text{"en": "x"}
			s.DPO.Email = "x"
			s.Name = ""
		}, []apperr.FieldError{{Field: "name", Key: "municipality.error.name"}, {Field: "dpo_email", Key: "municipality.error.email"},
			{Field: "accessibility_sv", Key: "municipality.error.statement.sv"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validSettings(f.ali.ID)
			tt.change(&in)
			err := f.store.UpdateSettings(ctx, f.admin, in)
			var fe apperr.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want field errors", err)
			}
			if diff := cmp.Diff(tt.want, []apperr.FieldError(fe)); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(f.changes(t)); n != 0 {
		t.Errorf("refused updates recorded %d changes", n)
	}
	if s, err := f.store.Settings(ctx, f.ali.ID); err != nil || s.Code != "ALI" || !s.Contact.Empty() {
		t.Errorf("a refused update changed the settings: %+v, %v", s, err)
	}

	// An admin changes only their own municipality.
	err := f.store.UpdateSettings(ctx, f.admin, validSettings(f.ler.ID))
	if apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("update of another municipality: %v", err)
	}
	if s, err := f.store.Settings(ctx, f.ler.ID); err != nil || s.Name != "Lerums kommun" || !s.Contact.Empty() {
		t.Errorf("the other municipality changed: %+v, %v", s, err)
	}
}

func TestLogo(t *testing.T) {
	f := newSettingsFixture(t)
	ctx := context.Background()
	if _, err := f.store.Logo(ctx, f.ali.ID); !errors.Is(err, tenant.ErrNoLogo) {
		t.Fatalf("logo before any: %v", err)
	}
	pic := pngPicture(t)
	if err := f.store.SetLogo(ctx, f.admin, pic); err != nil {
		t.Fatal(err)
	}
	logo, err := f.store.Logo(ctx, f.ali.ID)
	if err != nil || logo.Type != "image/png" || !bytes.Equal(logo.Data, pic) {
		t.Fatalf("logo = %s %d bytes, %v", logo.Type, len(logo.Data), err)
	}
	s, err := f.store.Settings(ctx, f.ali.ID)
	if err != nil || !s.HasLogo || s.LogoType != "image/png" || s.LogoVersion() != logo.Version() {
		t.Errorf("settings with a logo: %+v, %v", s, err)
	}
	if _, err := f.store.Logo(ctx, f.ler.ID); !errors.Is(err, tenant.ErrNoLogo) {
		t.Errorf("the other municipality has a logo: %v", err)
	}

	// A refused file keeps the logo there was, and records nothing.
	err = f.store.SetLogo(ctx, f.admin, []byte("<html><script>alert(1)</script></html>"))
	var fe apperr.FieldErrors
	if !errors.As(err, &fe) || fe.For("logo") != "municipality.error.logo.type" {
		t.Errorf("an HTML file as logo: %v", err)
	}
	if still, err := f.store.Logo(ctx, f.ali.ID); err != nil || !bytes.Equal(still.Data, pic) {
		t.Errorf("a refused file replaced the logo: %v", err)
	}

	if err := f.store.RemoveLogo(ctx, f.admin); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Logo(ctx, f.ali.ID); !errors.Is(err, tenant.ErrNoLogo) {
		t.Errorf("logo after removal: %v", err)
	}
	if err := f.store.RemoveLogo(ctx, f.admin); err != nil {
		t.Errorf("removing no logo: %v", err)
	}
	var actions []string
	for _, c := range f.changes(t) {
		actions = append(actions, c.Action)
	}
	if diff := cmp.Diff([]string{"municipality_logo_removed", "municipality_logo_changed"}, actions); diff != "" {
		t.Errorf("recorded changes (-want +got):\n%s", diff)
	}
}

func TestSniffLogo(t *testing.T) {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, picture(), nil); err != nil {
		t.Fatal(err)
	}
	const svgNS = `xmlns="http://www.w3.org/2000/svg"`
	tests := []struct {
		name    string
		data    []byte
		typ     string
		refused string
	}{
		{"png", pngPicture(t), "image/png", ""},
		{"jpeg", jpg.Bytes(), "image/jpeg", ""},
		{"svg", []byte(`<?xml version="1.0"?><svg ` + svgNS + ` viewBox="0 0 10 10"><rect width="10" height="10" fill="#00507a"/><use href="#a"/></svg>`), "image/svg+xml", ""},
		{"empty", nil, "", "municipality.error.logo.missing"},
		{"too large", append(pngPicture(t), make([]byte, tenant.MaxLogoBytes)...), "", "municipality.error.logo.size"},
		{"text", []byte("Alingsås kommun"), "", "municipality.error.logo.type"},
		{"png header only", []byte("\x89PNG\r\n\x1a\nrest"), "", "municipality.error.logo.type"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", "municipality.error.logo.type"},
		{"svg without namespace", []byte(`<svg viewBox="0 0 1 1"></svg>`), "", "municipality.error.logo.type"},
		{"html", []byte(`<html ` + svgNS + `><body/></html>`), "", "municipality.error.logo.type"},
		{"svg with script", []byte(`<svg ` + svgNS + `><script>alert(1)</script></svg>`), "", "municipality.error.logo.type"},
		{"svg with handler", []byte(`<svg ` + svgNS + ` onload="alert(1)"></svg>`), "", "municipality.error.logo.type"},
		{"svg with outside link", []byte(`<svg ` + svgNS + ` xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://example.com/a.png"/></svg>`), "", "municipality.error.logo.type"},
		{"svg with javascript link", []byte(`<svg ` + svgNS + `><a href="javascript:alert(1)"><rect/></a></svg>`), "", "municipality.error.logo.type"},
		{"svg with foreign object", []byte(`<svg ` + svgNS + `><foreignObject><div/></foreignObject></svg>`), "", "municipality.error.logo.type"},
		{"svg with style import", []byte(`<svg ` + svgNS + `><style>@import "https://example.com/a.css";</style></svg>`), "", "municipality.error.logo.type"},
		{"svg with entities", []byte(`<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg ` + svgNS + `>&a;</svg>`), "", "municipality.error.logo.type"},
		{"broken svg", []byte(`<svg ` + svgNS + `><rect>`), "", "municipality.error.logo.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, refused := tenant.SniffLogo(tt.data)
			if typ != tt.typ || refused != tt.refused {
				t.Errorf("SniffLogo = %q, %q; want %q, %q", typ, refused, tt.typ, tt.refused)
			}
		})
	}
}

func picture() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{uint8(x * 30), uint8(y * 30), 200, 255})
		}
	}
	return img
}

func pngPicture(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

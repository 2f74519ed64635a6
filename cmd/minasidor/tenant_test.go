package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/crewjam/saml/samlsp"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

// An operations team sets up a municipality with the tenant subcommands alone: add it, set the
// IdP its staff log in through, register its first admin.
func TestTenantSubcommands(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	if err := tenantAdd(ctx, pool, &out, []string{"-slug", "vara", "-name", "Vara kommun", "-code", "VAR", "-host", "minasidor.vara.se"}); err != nil {
		t.Fatal(err)
	}
	vara, err := tenant.NewStore(pool).BySlug(ctx, "vara")
	if err != nil {
		t.Fatal(err)
	}

	// The IdP's metadata, as its administrators hand it over: a file.
	keys, err := auth.NewKeyPair("adfs.vara.se")
	if err != nil {
		t.Fatal(err)
	}
	idp := devidp.New(&url.URL{Scheme: "https", Host: "adfs.vara.se"}, keys)
	md, err := idp.MetadataXML()
	if err != nil {
		t.Fatal(err)
	}
	good := write(t, dir, "idp.xml", string(md))
	spOnly := write(t, dir, "sp.xml", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.se"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></EntityDescriptor>`)
	noCert := write(t, dir, "nocert.xml", strings.Replace(string(md), `use="signing"`, `use="encryption"`, 1))
	garbage := write(t, dir, "garbage.xml", "not metadata")

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown slug", []string{"-slug", "nowhere", "-metadata", good}, `no municipality with slug "nowhere"`},
		{"missing flags", []string{"-slug", "vara"}, "-slug and -metadata are required"},
		{"no such file", []string{"-slug", "vara", "-metadata", dir + "/missing.xml"}, "no such file"},
		{"not metadata", []string{"-slug", "vara", "-metadata", garbage}, "parse IdP metadata"},
		{"not an IdP", []string{"-slug", "vara", "-metadata", spOnly}, "https://sp.example.se is not an identity provider"},
		{"no signing certificate", []string{"-slug", "vara", "-metadata", noCert}, "no signing certificate"},
		{"plain http", []string{"-slug", "vara", "-metadata", "http://adfs.vara.se/metadata"}, "not http://adfs.vara.se/metadata"},
	} {
		t.Run("staff-idp "+tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := tenantStaffIdP(ctx, pool, &out, tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if strings.HasPrefix(strings.TrimPrefix(err.Error(), "tenant staff-idp: "), "invalid") {
				t.Errorf("the error starts with its kind: %v", err)
			}
		})
	}
	if _, err := staff.NewStore(pool).IdPMetadata(ctx, vara.ID); err == nil {
		t.Fatal("a refused IdP was stored")
	}

	out.Reset()
	if err := tenantStaffIdP(ctx, pool, &out, []string{"-slug", "vara", "-metadata", good}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Vara kommun now log in through "+idp.EntityID()) {
		t.Errorf("output %q", out.String())
	}
	doc, err := staff.NewStore(pool).IdPMetadata(ctx, vara.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := samlsp.ParseMetadata(doc); err != nil || stored.EntityID != idp.EntityID() {
		t.Errorf("stored IdP %v, %v", stored, err)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown slug", []string{"-slug", "nowhere", "-employee-id", "anna@vara.se", "-name", "Anna"}, `no municipality with slug "nowhere"`},
		{"missing flags", []string{"-slug", "vara", "-name", "Anna"}, "-slug, -employee-id and -name are required"},
		{"bad employee id", []string{"-slug", "vara", "-employee-id", "anna berg", "-name", "Anna"}, "tenant admin: the employee id must be"},
		{"bad e-mail", []string{"-slug", "vara", "-employee-id", "anna@vara.se", "-name", "Anna", "-email", "anna"}, `"anna" is not an e-mail address`},
	} {
		t.Run("admin "+tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tenantAdmin(ctx, pool, &out, tc.args); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}

	out.Reset()
	if err := tenantAdmin(ctx, pool, &out, []string{"-slug", "vara", "-employee-id", "anna@vara.se", "-name", "Anna Berg", "-email", "anna.berg@vara.se"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "added Anna Berg (employee id anna@vara.se) as municipality admin of Vara kommun\n" {
		t.Errorf("output %q", out.String())
	}
	m, err := staff.NewStore(pool).Login(ctx, vara.ID, "anna@vara.se", "", "", nil)
	if err != nil || !m.Has(staff.MunicipalityAdmin) || m.Email != "anna.berg@vara.se" {
		t.Errorf("the admin: %+v, %v", m, err)
	}
	changes, err := audit.ChangesOfMunicipality(ctx, pool, vara.ID, 10)
	if err != nil || len(changes) != 1 || changes[0].Actor.Name != staff.SystemActor || changes[0].Target != "anna@vara.se" {
		t.Errorf("admin history %+v, %v", changes, err)
	}
	err = tenantAdmin(ctx, pool, &out, []string{"-slug", "vara", "-employee-id", "bo@vara.se", "-name", "Bo"})
	if err == nil || err.Error() != "tenant admin: vara already has a municipality admin (employee id anna@vara.se), who adds further staff and admins in the admin pages" {
		t.Errorf("a second first admin: %v", err)
	}

	if err := tenantCommand(ctx, []string{"frobnicate"}); err == nil || !strings.Contains(err.Error(), "staff-idp") {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := dir + "/" + name
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

package staff_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

// newMunicipality adds a municipality with nothing set up, as `minasidor tenant add` does.
func newMunicipality(t *testing.T, pool *pgxpool.Pool, slug string) uuid.UUID {
	t.Helper()
	m, err := tenant.Create(context.Background(), pool, tenant.Tenant{Slug: slug, Name: slug + " kommun", Code: strings.ToUpper(slug[:3])}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// idpMetadata is the metadata of an identity provider (the development IdP) at base.
func idpMetadata(t *testing.T, base string) *saml.EntityDescriptor {
	t.Helper()
	keys, err := auth.NewKeyPair("idp.example.se")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return devidp.New(u, keys).Metadata()
}

func TestSetIdPMetadata(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := staff.NewStore(pool)
	vara := newMunicipality(t, pool, "vara")

	if _, err := s.IdPMetadata(ctx, vara); !errors.Is(err, staff.ErrNoIdP) {
		t.Fatalf("before: %v", err)
	}
	first := idpMetadata(t, "https://adfs.vara.example.se")
	if err := s.SetIdPMetadata(ctx, vara, first); err != nil {
		t.Fatal(err)
	}
	// What is stored is read back as the server reads it, and is the same IdP.
	doc, err := s.IdPMetadata(ctx, vara)
	if err != nil {
		t.Fatal(err)
	}
	md, err := samlsp.ParseMetadata(doc)
	if err != nil {
		t.Fatalf("stored metadata does not parse: %v\n%s", err, doc)
	}
	if err := auth.CheckIdPMetadata(md); err != nil {
		t.Errorf("stored metadata: %v", err)
	}
	if md.EntityID != first.EntityID || md.IDPSSODescriptors[0].SingleSignOnServices[0].Location != "https://adfs.vara.example.se/idp/sso" ||
		md.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data != first.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data {
		t.Errorf("stored metadata is another IdP: %s", doc)
	}

	// Setting it again replaces it (a new IdP, or its new certificate).
	second := idpMetadata(t, "https://login.vara.example.se")
	if err := s.SetIdPMetadata(ctx, vara, second); err != nil {
		t.Fatal(err)
	}
	if doc, err = s.IdPMetadata(ctx, vara); err != nil {
		t.Fatal(err)
	}
	if md, err := samlsp.ParseMetadata(doc); err != nil || md.EntityID != second.EntityID {
		t.Errorf("replaced metadata: %v, %v", md, err)
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM tenant_staff_idp WHERE tenant_id = $1`, vara).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("%d rows for one municipality", rows)
	}

	// What a login cannot use is refused, and nothing is stored.
	noCert := idpMetadata(t, "https://bad.example.se")
	noCert.IDPSSODescriptors[0].KeyDescriptors = nil
	noSSO := idpMetadata(t, "https://bad.example.se")
	noSSO.IDPSSODescriptors[0].SingleSignOnServices = []saml.Endpoint{{Binding: saml.HTTPPostBinding, Location: "https://bad.example.se/sso"}}
	badCert := idpMetadata(t, "https://bad.example.se")
	badCert.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data = "bm90IGEgY2VydGlmaWNhdGU="
	notIdP := idpMetadata(t, "https://bad.example.se")
	notIdP.IDPSSODescriptors = nil
	for name, tc := range map[string]struct {
		md   *saml.EntityDescriptor
		want string
	}{
		"no certificate":           {noCert, "no signing certificate"},
		"no redirect SSO":          {noSSO, "no SingleSignOnService with the HTTP-Redirect binding"},
		"a certificate that fails": {badCert, "does not parse"},
		"not an IdP":               {notIdP, "not an identity provider"},
		"nothing":                  {nil, "no metadata"},
	} {
		t.Run(name, func(t *testing.T) {
			err := s.SetIdPMetadata(ctx, vara, tc.md)
			if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want invalid: %s", err, tc.want)
			}
			doc, err := s.IdPMetadata(ctx, vara)
			if err != nil {
				t.Fatal(err)
			}
			if md, err := samlsp.ParseMetadata(doc); err != nil || md.EntityID != second.EntityID {
				t.Errorf("the stored IdP changed: %v", err)
			}
		})
	}
	if err := s.SetIdPMetadata(ctx, uuid.New(), second); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("unknown municipality: %v", err)
	}
}

func TestAddFirstAdmin(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := staff.NewStore(pool)
	vara := newMunicipality(t, pool, "vara")
	other := newMunicipality(t, pool, "tidaholm")

	for name, m := range map[string]staff.Member{
		"no employee id":   {Name: "Maja Admin"},
		"bad employee id":  {EmployeeID: "maja admin", Name: "Maja Admin"},
		"no name":          {EmployeeID: "maja@vara.se"},
		"bad e-mail":       {EmployeeID: "maja@vara.se", Name: "Maja Admin", Email: "maja"},
		"blank everything": {EmployeeID: " ", Name: " "},
	} {
		if _, err := s.AddFirstAdmin(ctx, vara, m); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}

	m, err := s.AddFirstAdmin(ctx, vara, staff.Member{EmployeeID: " maja@vara.se ", Name: "Maja Admin", Email: "maja@vara.se", Roles: []string{staff.Caseworker}})
	if err != nil {
		t.Fatal(err)
	}
	// She logs in with her employee id as the IdP releases it, and is a municipality admin only.
	got, err := s.Login(ctx, vara, "maja@vara.se", "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != m.ID || got.Name != "Maja Admin" || got.Email != "maja@vara.se" || len(got.Roles) != 1 || !got.Has(staff.MunicipalityAdmin) || got.Restricted {
		t.Errorf("first admin %+v", got)
	}
	// The admin history shows the change, made by the system.
	changes, err := audit.ChangesOfMunicipality(ctx, pool, vara, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Action != "staff_added" || changes[0].Target != "maja@vara.se" || changes[0].Actor.Name != staff.SystemActor || changes[0].Detail["by"] != "system" {
		t.Errorf("admin history %+v", changes)
	}

	// A second first admin is refused: the admin adds further staff and admins herself.
	_, err = s.AddFirstAdmin(ctx, vara, staff.Member{EmployeeID: "olle@vara.se", Name: "Olle"})
	if !errors.Is(err, staff.ErrAdminExists) || apperr.KindOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "maja@vara.se") {
		t.Errorf("second admin: %v", err)
	}
	// Another municipality is apart.
	if _, err := s.AddFirstAdmin(ctx, other, staff.Member{EmployeeID: "maja@vara.se", Name: "Maja Admin"}); err != nil {
		t.Errorf("the same employee id in another municipality: %v", err)
	}

	// Once no admin is active, a first admin may be made again, but not from an employee id the
	// municipality has already registered.
	if _, err := pool.Exec(ctx, `UPDATE staff SET active = false WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFirstAdmin(ctx, vara, staff.Member{EmployeeID: "maja@vara.se", Name: "Maja Admin"}); !errors.Is(err, staff.ErrEmployeeTaken) {
		t.Errorf("a registered employee id: %v", err)
	}
	if _, err := s.AddFirstAdmin(ctx, vara, staff.Member{EmployeeID: "olle@vara.se", Name: "Olle Admin"}); err != nil {
		t.Errorf("after the admin left: %v", err)
	}
	if _, err := s.AddFirstAdmin(ctx, uuid.New(), staff.Member{EmployeeID: "x@y.se", Name: "X"}); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("unknown municipality: %v", err)
	}
}

package web_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A real IdP asked for a transient NameID sends a new one at every login. With the default
// configuration the employee id is the subject-id attribute, so a registered caseworker gets in
// every time, as the same staff member, whatever the NameID.
func TestStaffTransientNameIDDefaultConfiguration(t *testing.T) {
	p, logs := startStaffPortal(t)
	if p.Config.StaffAttrID != auth.AttrSubjectID || p.Config.StaffNameIDFormat != config.NameIDTransient {
		t.Fatalf("default configuration: employee id %q, NameID format %q", p.Config.StaffAttrID, p.Config.StaffNameIDFormat)
	}
	var nameIDs []string
	var logins []map[uuid.UUID]time.Time
	for range 2 {
		c := p.Client(t)
		req := beginStaffLogin(t, p, c)
		if req.NameIDFormat != string(saml.TransientNameIDFormat) {
			t.Errorf("the staff login asks for NameID format %q, want transient", req.NameIDFormat)
		}
		resp := finishStaffLogin(t, p, c, req, "caseworker-alingsas", devidp.Options{
			NameIDFormat: string(saml.TransientNameIDFormat),
			Modify: func(a *saml.Assertion) {
				if a.Subject.NameID.Format != string(saml.TransientNameIDFormat) {
					t.Errorf("the IdP sent NameID format %q", a.Subject.NameID.Format)
				}
				nameIDs = append(nameIDs, a.Subject.NameID.Value)
			},
		})
		loggedInAsAnna(t, p, c, resp, logs)
		logins = append(logins, staffLogins(t, p))
	}
	if len(nameIDs) != 2 || nameIDs[0] == nameIDs[1] || nameIDs[0] == "ali-1001" {
		t.Errorf("the NameIDs were not transient: %q", nameIDs)
	}
	// Both logins were by Anna (ali-1001) and nobody else: her row, and only hers, records a
	// login, and the second login's time is later than the first's.
	anna := staffID(t, p, "ali-1001")
	if len(logins[0]) != 1 || len(logins[1]) != 1 || logins[0][anna].IsZero() || !logins[1][anna].After(logins[0][anna]) {
		t.Errorf("staff logins after the first login %v, after the second %v; want ali-1001 (%v) both times", logins[0], logins[1], anna)
	}
	var count int
	if err := p.Pool.QueryRow(t.Context(), `SELECT count(*) FROM staff WHERE employee_id LIKE 'id-%'`).Scan(&count); err != nil || count != 0 {
		t.Errorf("a transient NameID became a staff member: %d, %v", count, err)
	}
}

// With STAFF_ATTR_EMPLOYEE_ID=NameID and STAFF_SAML_NAMEID_FORMAT=persistent, the staff login
// asks for a persistent NameID, and that NameID is the employee id; a transient NameID is
// refused even if the IdP sends one regardless.
func TestStaffPersistentNameID(t *testing.T) {
	p, logs := startStaffPortal(t, func(c *config.Config) {
		c.StaffAttrID, c.StaffNameIDFormat = config.StaffIDFromNameID, config.NameIDPersistent
	})
	withoutSubjectID := func(a *saml.Assertion) { removeAttribute(a, auth.AttrSubjectID) }

	c := p.Client(t)
	req := beginStaffLogin(t, p, c)
	if req.NameIDFormat != string(saml.PersistentNameIDFormat) {
		t.Errorf("the staff login asks for NameID format %q, want persistent", req.NameIDFormat)
	}
	// The IdP answers as asked: a persistent NameID, the employee id. No subject-id, so the NameID
	// is what lets her in.
	resp := finishStaffLogin(t, p, c, req, "caseworker-alingsas", devidp.Options{Modify: withoutSubjectID})
	loggedInAsAnna(t, p, c, resp, logs)
	if got := staffLogins(t, p); len(got) != 1 || got[staffID(t, p, "ali-1001")].IsZero() {
		t.Errorf("staff logins %v, want ali-1001's", got)
	}

	// An IdP that sends a transient NameID anyway is refused, even when it carries the subject-id.
	c = p.Client(t)
	resp = finishStaffLogin(t, p, c, beginStaffLogin(t, p, c), "caseworker-alingsas", devidp.Options{NameIDFormat: string(saml.TransientNameIDFormat)})
	refused(t, p, c, resp, logs, "not persistent")
}

// The employee id attribute is required: an assertion without it is refused, and the NameID,
// even a persistent one holding the employee id, is no stand-in.
func TestStaffWithoutEmployeeIDAttributeRefused(t *testing.T) {
	for _, format := range []saml.NameIDFormat{saml.TransientNameIDFormat, saml.PersistentNameIDFormat} {
		t.Run(string(format), func(t *testing.T) {
			p, logs := startStaffPortal(t)
			c := p.Client(t)
			resp := finishStaffLogin(t, p, c, beginStaffLogin(t, p, c), "caseworker-alingsas", devidp.Options{
				NameIDFormat: string(format),
				Modify:       func(a *saml.Assertion) { removeAttribute(a, auth.AttrSubjectID) },
			})
			refused(t, p, c, resp, logs, "lacks the employee id attribute "+auth.AttrSubjectID)
			var logins int
			p.Pool.QueryRow(t.Context(), `SELECT count(*) FROM staff WHERE last_login_at IS NOT NULL`).Scan(&logins)
			if logins != 0 {
				t.Errorf("%d staff logins recorded", logins)
			}
		})
	}
}

// Without the development IdP, as in production: the operations team sets the municipality's
// staff IdP and its first admin (what `minasidor tenant staff-idp` and `minasidor tenant admin`
// do), and the new admin logs in through that IdP, which sends a transient NameID and the
// subject-id, with the default configuration.
func TestStaffLoginThroughTheMunicipalityIdP(t *testing.T) {
	// The municipality's IdP: another entity, at another address, with keys of its own.
	keys, err := auth.NewKeyPair("adfs.alingsas.example.se")
	if err != nil {
		t.Fatal(err)
	}
	idp := devidp.New(&url.URL{Scheme: "https", Host: "adfs.alingsas.example.se"}, keys)
	citizenIdP := t.TempDir() + "/citizen-idp.xml"
	if md, err := idp.MetadataXML(); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(citizenIdP, md, 0o600); err != nil {
		t.Fatal(err)
	}
	p, logs := startStaffPortal(t, func(c *config.Config) {
		c.DevIdP, c.SAMLIdPMetadata = false, citizenIdP
	})
	if p.DevIdP != nil {
		t.Fatal("the development IdP is on")
	}
	ctx := t.Context()
	var alingsas uuid.UUID
	if err := p.Pool.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = 'alingsas'`).Scan(&alingsas); err != nil {
		t.Fatal(err)
	}
	staffStore := staff.NewStore(p.Pool)

	// Before the IdP is set, there is no staff login.
	c := p.Client(t)
	if r := p.Do(t, c, "GET", "/personal/login?return=%2Fpersonal", nil); r.StatusCode == http.StatusSeeOther {
		t.Errorf("a staff login started without an IdP: %q", r.Header.Get("Location"))
	}

	// Set up as the operations team does; the demo data's admin has left.
	if _, err := p.Pool.Exec(ctx, `UPDATE staff SET active = false WHERE tenant_id = $1`, alingsas); err != nil {
		t.Fatal(err)
	}
	if err := staffStore.SetIdPMetadata(ctx, alingsas, idp.Metadata()); err != nil {
		t.Fatal(err)
	}
	sara := staff.TestMember{EmployeeID: "sara.berg@alingsas.example.se", Name: "Sara Berg", Email: "sara.berg@alingsas.example.se", Groups: []string{"ali-it"}}
	if _, err := staffStore.AddFirstAdmin(ctx, alingsas, staff.Member{EmployeeID: sara.EmployeeID, Name: sara.Name}); err != nil {
		t.Fatal(err)
	}
	// The IdP knows the staff service provider from its metadata, as a real one is told.
	if err := idp.Register([]byte(webtest.ReadBody(t, p.Do(t, c, "GET", "/personal/saml/metadata", nil)))); err != nil {
		t.Fatal(err)
	}

	for range 2 {
		c := p.Client(t)
		req := beginStaffLoginAt(t, p, c, idp)
		if !strings.HasPrefix(req.SP, p.URL) || req.NameIDFormat != string(saml.TransientNameIDFormat) {
			t.Fatalf("the IdP was asked by %q for NameID format %q", req.SP, req.NameIDFormat)
		}
		resp := finishStaffLoginAt(t, p, c, idp, req, sara, devidp.Options{})
		for hop := 0; resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") != "/personal" && hop < 5; hop++ {
			resp = p.Do(t, c, "GET", resp.Header.Get("Location"), nil)
		}
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("staff ACS: %d\n%s", resp.StatusCode, logs.logins())
		}
		home := p.Do(t, c, "GET", "/personal", nil)
		if home.StatusCode != http.StatusOK {
			t.Fatalf("staff home: %d", home.StatusCode)
		}
		assertContains(t, "staff home", webtest.ReadBody(t, home), "Inloggad som Sara Berg")
	}
	var logins int
	p.Pool.QueryRow(ctx, `SELECT count(*) FROM staff WHERE last_login_at IS NOT NULL`).Scan(&logins)
	if logins != 1 {
		t.Errorf("%d staff members have logged in, want Sara only", logins)
	}
}

// An attribute with two employee ids names nobody.
func TestStaffTwoEmployeeIDsRefused(t *testing.T) {
	p, logs := startStaffPortal(t)
	c := p.Client(t)
	resp := finishStaffLogin(t, p, c, beginStaffLogin(t, p, c), "caseworker-alingsas", devidp.Options{
		Modify: func(a *saml.Assertion) {
			for i := range a.AttributeStatements {
				for j, attr := range a.AttributeStatements[i].Attributes {
					if attr.Name == auth.AttrSubjectID {
						a.AttributeStatements[i].Attributes[j].Values = append(attr.Values, saml.AttributeValue{Type: "xs:string", Value: "ali-1004"})
					}
				}
			}
		},
	})
	refused(t, p, c, resp, logs, "holds 2 values of the employee id attribute")
}

// loggedInAsAnna checks that the staff ACS's answer let Anna Handläggare in: it sends the
// browser on (to the staff area, possibly through the portal's redirects), and the staff area
// opens for her.
func loggedInAsAnna(t *testing.T, p *webtest.Portal, c *http.Client, resp *http.Response, logs *staffLog) {
	t.Helper()
	for hop := 0; resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") != "/personal"; hop++ {
		if hop == 5 {
			t.Fatalf("too many redirects after the staff ACS")
		}
		resp = p.Do(t, c, "GET", resp.Header.Get("Location"), nil)
	}
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff ACS: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), logs.logins())
	}
	home := p.Do(t, c, "GET", "/personal", nil)
	if home.StatusCode != http.StatusOK {
		t.Fatalf("staff home after login: %d %q", home.StatusCode, home.Header.Get("Location"))
	}
	assertContains(t, "staff home", webtest.ReadBody(t, home), "Inloggad som Anna Handläggare, Alingsås kommun.")
}

// refused checks that the staff ACS refused the login, and that the log says why.
func refused(t *testing.T, p *webtest.Portal, c *http.Client, resp *http.Response, logs *staffLog, why string) {
	t.Helper()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("staff ACS: %d %q, want the login refused", resp.StatusCode, resp.Header.Get("Location"))
	}
	if r := p.Do(t, c, "GET", "/personal", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after a refused login /personal answers %d", r.StatusCode)
	}
	if !strings.Contains(logs.String(), why) {
		t.Errorf("the log does not say %q:\n%s", why, logs.logins())
	}
}

// staffLoginRequest is a staff login's request as the development IdP received it.
type staffLoginRequest struct {
	*devidp.Request
	NameIDFormat string // as the request's NameIDPolicy asks
}

// beginStaffLogin starts a staff login with the client and returns the request the IdP received,
// for tests that make the IdP's answer themselves.
func beginStaffLogin(t *testing.T, p *webtest.Portal, c *http.Client) staffLoginRequest {
	t.Helper()
	return beginStaffLoginAt(t, p, c, p.DevIdP)
}

// beginStaffLoginAt is beginStaffLogin with the municipality's IdP played by idp.
func beginStaffLoginAt(t *testing.T, p *webtest.Portal, c *http.Client, idp *devidp.IdP) staffLoginRequest {
	t.Helper()
	// Follow the portal's redirects to the IdP.
	next := "/personal/login?return=%2Fpersonal"
	var loc *url.URL
	for hop := 0; loc == nil || loc.Path != devidp.PathPrefix+"/sso"; hop++ {
		resp := p.Do(t, c, "GET", next, nil)
		var err error
		loc, err = url.Parse(resp.Header.Get("Location"))
		if err != nil || resp.StatusCode != http.StatusSeeOther || hop == 5 {
			t.Fatalf("staff login start, %s: %d %q", next, resp.StatusCode, resp.Header.Get("Location"))
		}
		next = loc.String()
	}
	q := loc.Query()
	req, err := idp.Parse(httptest.NewRequest("GET", loc.String(), nil), q.Get("SAMLRequest"), q.Get("RelayState"))
	if err != nil {
		t.Fatal(err)
	}
	return staffLoginRequest{Request: req, NameIDFormat: requestedNameIDFormat(t, req.SAMLRequest)}
}

// requestedNameIDFormat decodes an authentication request sent with the redirect binding and
// returns the NameID format its NameIDPolicy asks for.
func requestedNameIDFormat(t *testing.T, samlRequest string) string {
	t.Helper()
	deflated, err := base64.StdEncoding.DecodeString(samlRequest)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(deflated)))
	if err != nil {
		t.Fatal(err)
	}
	var req saml.AuthnRequest
	if err := xml.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	if req.NameIDPolicy == nil || req.NameIDPolicy.Format == nil {
		return ""
	}
	return *req.NameIDPolicy.Format
}

// finishStaffLogin has the development IdP answer req for the test staff member and posts the
// answer to the staff ACS.
func finishStaffLogin(t *testing.T, p *webtest.Portal, c *http.Client, req staffLoginRequest, key string, opts devidp.Options) *http.Response {
	t.Helper()
	m, ok := staff.FindTestMember(key)
	if !ok {
		t.Fatalf("no test staff member %q", key)
	}
	return finishStaffLoginAt(t, p, c, p.DevIdP, req, m, opts)
}

// finishStaffLoginAt is finishStaffLogin with the municipality's IdP played by idp.
func finishStaffLoginAt(t *testing.T, p *webtest.Portal, c *http.Client, idp *devidp.IdP, req staffLoginRequest, m staff.TestMember, opts devidp.Options) *http.Response {
	t.Helper()
	form, err := idp.RespondStaff(req.Request, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p.Do(t, c, "POST", "/personal/saml/acs", url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}})
}

func removeAttribute(a *saml.Assertion, name string) {
	for i := range a.AttributeStatements {
		a.AttributeStatements[i].Attributes = slices.DeleteFunc(a.AttributeStatements[i].Attributes, func(attr saml.Attribute) bool {
			return attr.Name == name
		})
	}
}

// staffLogins returns when each staff member who has logged in last did.
func staffLogins(t *testing.T, p *webtest.Portal) map[uuid.UUID]time.Time {
	t.Helper()
	rows, err := p.Pool.Query(t.Context(), `SELECT id, last_login_at FROM staff WHERE last_login_at IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uuid.UUID]time.Time{}
	for rows.Next() {
		var id uuid.UUID
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		out[id] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func staffID(t *testing.T, p *webtest.Portal, employeeID string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := p.Pool.QueryRow(t.Context(), `SELECT s.id FROM staff s JOIN tenant t ON t.id = s.tenant_id WHERE t.slug = 'alingsas' AND s.employee_id = $1`, employeeID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// startStaffPortal is webtest.Start with the portal's log kept, to see why a login was refused.
func startStaffPortal(t *testing.T, opts ...webtest.Option) (*webtest.Portal, *staffLog) {
	t.Helper()
	logs := &staffLog{}
	return webtest.StartWithLog(t, logs, opts...), logs
}

// staffLog collects the portal's log; the server writes it from its own goroutines.
type staffLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *staffLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *staffLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// logins returns the log's lines about logins.
func (l *staffLog) logins() string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		if strings.Contains(line, "login") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

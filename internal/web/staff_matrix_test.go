package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The staff area's access matrix: every staff route against every kind of visitor, each cell
// with the exact status it must answer. Each actor gets a case of their own (submitted by Karin,
// with a photo), so that one column's actions never change what another column sees.

// smRoute is a staff route of the matrix; {case} and {file} are filled in per column.
type smRoute struct {
	name   string
	method string
	path   string     // with {case} and {file}
	form   url.Values // for POSTs; a value "{status}" is an in-progress status of the case's e-service
	done   string     // the ?klart= a successful POST returns with
	onCase bool       // a route of one case (loadStaffCase), not found for who may not see it
	reads  bool       // a read of the case that writes an audit record
}

// The routes in the order each column runs them: reads first, then the actions, the destructive
// ones (supplement, close) last.
var smRoutes = []smRoute{
	{name: "GET  /personal", method: "GET", path: "/personal"},
	{name: "GET  /personal/arenden", method: "GET", path: "/personal/arenden?flik=active"},
	{name: "GET  /personal/arenden/{case}", method: "GET", path: "/personal/arenden/{case}", onCase: true, reads: true},
	{name: "GET  …/{case}/filer/{file}", method: "GET", path: "/personal/arenden/{case}/filer/{file}", onCase: true, reads: true},
	{name: "POST …/{case}/tilldela", method: "POST", path: "/personal/arenden/{case}/tilldela", form: url.Values{"till": {"mig"}}, done: "assign", onCase: true},
	{name: "POST …/{case}/flagga", method: "POST", path: "/personal/arenden/{case}/flagga", form: url.Values{}, done: "flag", onCase: true},
	{name: "POST …/{case}/anteckning", method: "POST", path: "/personal/arenden/{case}/anteckning", form: url.Values{"text": {"Intern anteckning i matrisen"}}, done: "note", onCase: true},
	{name: "POST …/{case}/meddelande", method: "POST", path: "/personal/arenden/{case}/meddelande", form: url.Values{"text": {"Vilken stolpe gäller det?"}}, done: "message", onCase: true},
	{name: "POST …/{case}/status", method: "POST", path: "/personal/arenden/{case}/status", form: url.Values{"status": {"{status}"}}, done: "status", onCase: true},
	{name: "POST …/{case}/komplettering", method: "POST", path: "/personal/arenden/{case}/komplettering", form: url.Values{"text": {"Ange stolpens nummer."}}, done: "supplement", onCase: true},
	{name: "POST …/{case}/avsluta", method: "POST", path: "/personal/arenden/{case}/avsluta", form: url.Values{"text": {"Lyktan är lagad."}, "confirm": {"1"}}, done: "close", onCase: true},
}

// What an actor may do in the staff area of the host they use.
type smAccess int

const (
	smOutside   smAccess = iota // not staff of this municipality: sent to the staff login
	smNoCase                    // staff who may not see the case: the start and queue pages, the case not found
	smCaseworks                 // handles the case: reads it and acts on it
)

// smActor is a column of the matrix.
type smActor struct {
	name   string
	host   string // "" for the default host (Alingsås)
	access smAccess
	// browser returns the actor's browser, for the column's case.
	browser func(t *testing.T, caseID uuid.UUID) *esBrowser
	// after, when set, checks the browser once the column has run.
	after func(t *testing.T, b *esBrowser)
}

// smStaffHostLogin logs the browser in as a test staff member on another municipality's host, as
// csHostLogin does for a citizen.
func smStaffHostLogin(b *esBrowser, host, key string) {
	b.t.Helper()
	resp := b.p.LoginAt(b.t, b.c, b.p.HostURL(host), "/personal", key, "/personal")
	body := webtest.ReadBody(b.t, resp)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/personal" {
		b.t.Fatalf("staff login on %s ended at %s with status %d: %s", host, resp.Request.URL, resp.StatusCode, errorText(body))
	}
}

// smDo sends the request of a cell, on the actor's host.
func smDo(b *esBrowser, host, method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if host != "" {
		return csHostDo(b, host, method, path, form)
	}
	if method == "GET" {
		return b.get(path)
	}
	return b.post(path, form)
}

func TestStaffAccessMatrix(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	cases := casework.NewStore(p.Pool, p.Notices)
	members := staff.NewStore(p.Pool)
	member := func(employee string) staff.Member {
		t.Helper()
		var id uuid.UUID
		if err := p.Pool.QueryRow(ctx, `SELECT id FROM staff WHERE employee_id = $1`, employee).Scan(&id); err != nil {
			t.Fatalf("staff %s: %v", employee, err)
		}
		m, err := members.ByID(ctx, id)
		if err != nil {
			t.Fatalf("staff %s: %v", employee, err)
		}
		return m
	}

	karin := loggedIn(t, p, "adult") // the owner of every case of the matrix
	photo := pngImage(t)
	staffOn := func(key string) func(*testing.T, uuid.UUID) *esBrowser {
		return func(t *testing.T, _ uuid.UUID) *esBrowser { return staffBrowser(t, p, key) }
	}
	motalaStaff := func(t *testing.T, _ uuid.UUID) *esBrowser {
		b := newBrowser(t, p)
		smStaffHostLogin(b, csMotalaHost, "caseworker-motala")
		if resp, body := csHostDo(b, csMotalaHost, "GET", "/personal", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("Mikael at /personal on Motala's host after his login: %d: %s", resp.StatusCode, errorText(body))
		}
		return b
	}
	actors := []smActor{
		{name: "visitor", access: smOutside, browser: func(t *testing.T, _ uuid.UUID) *esBrowser { return newBrowser(t, p) }},
		{name: "Karin (owner)", access: smOutside, browser: func(*testing.T, uuid.UUID) *esBrowser { return karin }},
		{name: "guardian1", access: smOutside, browser: func(t *testing.T, _ uuid.UUID) *esBrowser { return loggedIn(t, p, "guardian1") }},
		{name: "Anna", access: smCaseworks, browser: staffOn("caseworker-alingsas")},
		{name: "Rebecka", access: smNoCase, browser: staffOn("restricted-alingsas")},
		{name: "Rebecka+assigned", access: smCaseworks, browser: func(t *testing.T, caseID uuid.UUID) *esBrowser {
			b := staffBrowser(t, p, "restricted-alingsas")
			if err := cases.Assign(ctx, member("ali-1001"), caseID, member("ali-1002").ID); err != nil {
				t.Fatalf("assign to Rebecka: %v", err)
			}
			return b
		}},
		{name: "Erik", access: smNoCase, browser: staffOn("eservice-admin-alingsas")},
		{name: "Maria", access: smNoCase, browser: staffOn("municipality-admin-alingsas")},
		// A registrar reads cases only through a request for public documents, never as a caseworker.
		{name: "Ruth (registrar)", access: smNoCase, browser: staffOn("registrar-alingsas")},
		{name: "Mikael@motala", host: csMotalaHost, access: smNoCase, browser: motalaStaff},
		{name: "Mikael@alingsas", access: smOutside, browser: motalaStaff, after: func(t *testing.T, b *esBrowser) {
			// His session was there all along: Alingsås refused a live Motala staff session.
			if resp, body := csHostDo(b, csMotalaHost, "GET", "/personal", nil); resp.StatusCode != http.StatusOK {
				t.Errorf("Mikael's session on Motala's host after the Alingsås requests: %d: %s", resp.StatusCode, errorText(body))
			}
		}},
	}

	// cells[route][actor] is what the cell answered, marked when it is not what it must be.
	cells := make([][]string, len(smRoutes))
	for i := range cells {
		cells[i] = make([]string, len(actors))
	}
	for ai, a := range actors {
		t.Run(strings.NewReplacer(" ", "_", "(", "", ")", "").Replace(a.name), func(t *testing.T) {
			caseID := csSubmitStreetLighting(karin, photo, nil)
			var fileID, reference string
			if err := p.Pool.QueryRow(ctx, `SELECT u.id::text, c.reference FROM upload u JOIN cases c ON c.id = u.case_id WHERE u.case_id = $1`, caseID).
				Scan(&fileID, &reference); err != nil {
				t.Fatalf("the case's photo: %v", err)
			}
			var inProgress string // a status the status action may set (not the types with their own action)
			if err := p.Pool.QueryRow(ctx, `SELECT st.key FROM eservice_status st JOIN cases c ON c.eservice_id = st.eservice_id
				WHERE c.id = $1 AND st.type = 'in_progress' ORDER BY st.position LIMIT 1`, caseID).Scan(&inProgress); err != nil {
				t.Fatalf("an in-progress status of the e-service: %v", err)
			}
			b := a.browser(t, uuid.MustParse(caseID))
			for ri, r := range smRoutes {
				path := strings.NewReplacer("{case}", caseID, "{file}", fileID).Replace(r.path)
				before := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1`, caseID)
				var form url.Values
				if r.form != nil {
					form = url.Values{}
					for k, vs := range r.form {
						for _, v := range vs {
							form.Add(k, strings.ReplaceAll(v, "{status}", inProgress))
						}
					}
				}
				resp, body := smDo(b, a.host, r.method, path, form)
				after := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1`, caseID)
				got, loc := resp.StatusCode, resp.Header.Get("Location")

				want, wantLoc := http.StatusOK, ""
				switch {
				case a.access == smOutside:
					want, wantLoc = http.StatusSeeOther, "/personal/login?return="+url.QueryEscape(path)
				case a.access == smNoCase && r.onCase:
					want = http.StatusNotFound
				case r.method == "POST":
					want, wantLoc = http.StatusSeeOther, "/personal/arenden/"+caseID+"?klart="+r.done
				}
				cell := fmt.Sprint(got)
				if got == http.StatusSeeOther && strings.HasPrefix(loc, "/personal/login") {
					cell = "303→login"
				}
				if got != want || loc != wantLoc {
					cell += "!"
					t.Errorf("%s %s as %s: status %d, location %q; want %d, location %q: %s",
						r.method, path, a.name, got, loc, want, wantLoc, errorText(body))
				}
				if got == http.StatusNotFound && !strings.Contains(body, "Sidan finns inte") {
					t.Errorf("%s %s as %s: the 404 is not the normal page: %s", r.method, path, a.name, errorText(body))
				}

				// A read of the case or its file that was answered is recorded, once; nothing else
				// writes an audit record of the case.
				wantAudit := 0
				if r.reads && got == http.StatusOK {
					wantAudit = 1
				}
				if after-before != wantAudit {
					cell += "!a"
					t.Errorf("%s %s as %s: %d audit records of the case written, want %d", r.method, path, a.name, after-before, wantAudit)
				}

				// The queue shows the case to who handles it, and to nobody else.
				if r.path == "/personal/arenden?flik=active" && got == http.StatusOK {
					if shown := strings.Contains(body, reference); shown != (a.access == smCaseworks) {
						cell += "!q"
						t.Errorf("the active queue of %s shows the case %s: %v", a.name, reference, shown)
					}
				}
				if r.path == "/personal/arenden/{case}/filer/{file}" && got == http.StatusOK && body != string(photo) {
					t.Errorf("the file as %s is not the uploaded photo (%d bytes)", a.name, len(body))
				}
				cells[ri][ai] = cell
			}
			if a.after != nil {
				a.after(t, b)
			}
		})
	}

	// The matrix, for reading: "!" marks a wrong status or location, "!a" a wrong audit count,
	// "!q" a queue that shows the case to the wrong person.
	var sb strings.Builder
	width := 0
	for _, r := range smRoutes {
		width = max(width, len([]rune(r.name)))
	}
	colw := make([]int, len(actors))
	for i, a := range actors {
		colw[i] = max(len(a.name), 11)
	}
	fmt.Fprintf(&sb, "\n%-*s", width, "route \\ actor")
	for i, a := range actors {
		fmt.Fprintf(&sb, " | %-*s", colw[i], a.name)
	}
	sb.WriteString("\n")
	for ri, r := range smRoutes {
		fmt.Fprintf(&sb, "%s%s", r.name, strings.Repeat(" ", width-len([]rune(r.name))))
		for ai := range actors {
			c := cells[ri][ai]
			fmt.Fprintf(&sb, " | %s%s", c, strings.Repeat(" ", max(0, colw[ai]-len([]rune(c)))))
		}
		sb.WriteString("\n")
	}
	t.Log(sb.String())
}

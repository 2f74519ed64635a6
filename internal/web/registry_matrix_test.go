package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The registrars' access matrix: every route of the requests for public documents against every
// kind of visitor, each cell with the exact status it must answer, and the audit records and the
// request's log written only by who may. A caseworker does not see requests; a registrar sees no
// drafts and reads cases only through a request.

type rmRoute struct {
	method, path string
	form         url.Values
	want         int  // what a registrar of the municipality gets
	reads        bool // an audited read of the case (or a search)
}

var rmRoutes = []rmRoute{
	{method: "GET", path: "/personal/registratur", want: 200},
	{method: "GET", path: "/personal/registratur?flik=decided", want: 200},
	{method: "GET", path: "/personal/registratur/{req}", want: 200},
	{method: "GET", path: "/personal/registratur/{req}?sok=1&referens={ref}", want: 200, reads: true},
	{method: "GET", path: "/personal/registratur/{req}/handlingar/{case}", want: 200, reads: true},
	{method: "POST", path: "/personal/registratur/{req}/handlingar/{case}", form: url.Values{"beslut-answer:location": {"release"}}, want: 303},
	{method: "GET", path: "/personal/registratur/{req}/forhandsgranska.pdf", want: 200, reads: true},
	{method: "POST", path: "/personal/registratur/{req}/koppla-bort", form: url.Values{"arende": {"{case}"}}, want: 303},
	{method: "POST", path: "/personal/registratur/{req}/koppla", form: url.Values{"arende": {"{case}"}}, want: 303},
	{method: "POST", path: "/personal/registratur/{req}/godkann", want: 409},
	{method: "POST", path: "/personal/registratur/{req}/besluta", want: 303},
	{method: "GET", path: "/personal/registratur/{req}/svar.pdf", want: 200, reads: true},
	{method: "POST", path: "/personal/registratur/{req}/aterforvisa", want: 409},
}

type rmActor struct {
	name      string
	key       string // test staff member, "" for none
	citizen   string // test person, "" for none
	registrar bool
	foreign   bool // works on another municipality's request: not found
}

func TestRegistryAccessMatrix(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	store := disclosure.NewStore(p.Pool, nil)
	ruth := p.StaffMember(t, "ali-1005")
	karin := loggedIn(t, p, "adult")

	// A draft of Karin's, with words no case has: no registrar finds it.
	draftID, loc := karin.start("felanmalan-gatubelysning")
	karin.step(loc, url.Values{"location": {"Vinterträdgårdsgatan"}, "fault_type": {"slackt"}, "description": {"Hemligt utkast om vinterträdgården."}}, "save")

	actors := []rmActor{
		{name: "visitor"},
		{name: "Karin", citizen: "adult"},
		{name: "Anna (caseworker)", key: "caseworker-alingsas"},
		{name: "Erik (e-service admin)", key: "eservice-admin-alingsas"},
		{name: "Maria (municipality admin)", key: "municipality-admin-alingsas"},
		{name: "Ruth (registrar)", key: "registrar-alingsas", registrar: true},
		{name: "Ruth, Motala's request", key: "registrar-alingsas", registrar: true, foreign: true},
	}
	motala := p.StaffMember(t, "mot-2001")
	for _, a := range actors {
		t.Run(strings.NewReplacer(" ", "_", "(", "", ")", "", ",", "", "'", "").Replace(a.name), func(t *testing.T) {
			// The column's own case and request, the case linked.
			caseID := csSubmitStreetLighting(karin, nil, url.Values{})
			var ref string
			p.Pool.QueryRow(ctx, `SELECT reference FROM cases WHERE id = $1`, caseID).Scan(&ref)
			tenantID := ruth.TenantID
			if a.foreign {
				tenantID = motala.TenantID
			}
			asked, err := store.Create(ctx, disclosure.Ask{TenantID: tenantID, References: ref, Delivery: disclosure.DeliveryLink})
			if err != nil {
				t.Fatal(err)
			}
			if !a.foreign {
				if err := store.Link(ctx, ruth, asked.ID, uuid.MustParse(caseID)); err != nil {
					t.Fatal(err)
				}
			}
			var b *esBrowser
			switch {
			case a.key != "":
				b = staffBrowser(t, p, a.key)
			case a.citizen != "":
				b = loggedIn(t, p, a.citizen)
			default:
				b = newBrowser(t, p)
			}
			events := func() int {
				return dbInt(t, p, `SELECT count(*) FROM disclosure_event WHERE request_id = $1`, asked.ID)
			}
			audits := func() int {
				return dbInt(t, p, `SELECT count(*) FROM audit_record WHERE role = 'registrar' AND (case_id = $1 OR what = 'search')`, caseID)
			}
			eventsBefore := events()
			for _, r := range rmRoutes {
				path := strings.NewReplacer("{req}", asked.ID.String(), "{case}", caseID, "{ref}", ref).Replace(r.path)
				var form url.Values
				if r.form != nil {
					form = url.Values{}
					for k, vs := range r.form {
						form.Set(k, strings.ReplaceAll(vs[0], "{case}", caseID))
					}
				}
				before := audits()
				var resp *http.Response
				var body string
				if r.method == "GET" {
					resp, body = b.get(path)
				} else {
					resp, body = b.post(path, form)
				}
				want := r.want
				switch {
				case a.key == "":
					want = http.StatusSeeOther
				case !a.registrar:
					want = http.StatusForbidden
				case a.foreign && strings.Contains(r.path, "{req}"):
					want = http.StatusNotFound
				}
				if resp.StatusCode != want {
					t.Errorf("%s %s: status %d, want %d: %s", r.method, r.path, resp.StatusCode, want, errorText(body))
				}
				if a.key == "" && !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login") {
					t.Errorf("%s %s: sent to %q, not the staff login", r.method, r.path, resp.Header.Get("Location"))
				}
				wantReads := 0
				if r.reads && resp.StatusCode == http.StatusOK {
					wantReads = 1
				}
				if got := audits() - before; got != wantReads {
					t.Errorf("%s %s: %d audit records, want %d", r.method, r.path, got, wantReads)
				}
			}
			if changed := events() - eventsBefore; (a.registrar && !a.foreign) != (changed > 0) {
				t.Errorf("%d events of the request by %s", changed, a.name)
			}
			if a.registrar && !a.foreign {
				// The draft is no public document: no search finds it.
				page := b.page("/personal/registratur?flik=decided")
				assertContains(t, "the answered requests", page, asked.Reference)
				other, err := store.Create(ctx, disclosure.Ask{TenantID: tenantID, Subject: "Utkast", Delivery: disclosure.DeliveryLink})
				if err != nil {
					t.Fatal(err)
				}
				found := b.page("/personal/registratur/" + other.ID.String() + "?sok=1&ord=vinterträdgården")
				assertContains(t, "a search for the draft's words", found, "Inga ärenden hittades.")
				resp, body := b.post("/personal/registratur/"+other.ID.String()+"/koppla", url.Values{"arende": {draftID}})
				assertNotFound(t, "linking a draft", resp, body)
			}
			if a.key == "caseworker-alingsas" {
				// Nor does the caseworker's queue or search show requests.
				assertLacks(t, "the caseworker's queue", b.page("/personal/arenden?flik=active"), asked.Reference)
				assertLacks(t, "the caseworker's menu", b.page("/personal"), "/personal/registratur")
			}
		})
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The administration's access matrix: every route of the e-service builder and of the
// municipality's settings against every kind of visitor, each cell with the exact status it must
// answer, and a change recorded only where one was allowed. Each column gets an e-service of its
// own, so that one column's changes never change what another sees.

// amRoute is an admin route; {es} is the column's e-service, and {col} in a form value the
// column's letter.
type amRoute struct {
	method string
	path   string
	form   url.Values
	want   int  // the status for who may use it
	muni   bool // a municipality admin's route (else an e-service admin's)
}

func (r amRoute) name() string { return r.method + " " + r.path }

// The routes in the order each column runs them: reads first, the changes after, the ones that
// end the e-service's use (publish, unpublish, archive) last.
var amRoutes = []amRoute{
	{method: "GET", path: "/personal/etjanster", want: 200},
	{method: "GET", path: "/personal/etjanster/import", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/installningar", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/statusar", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/mallar", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/handlaggare", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/aviseringar", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/formular", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/formular/steg/plats", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/formular/steg/plats/nytt-falt?typ=short_text", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/formular/falt/plats_namn", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/forhandsgranska", want: 303},
	{method: "GET", path: "/personal/etjanster/{es}/forhandsgranska/steg/plats", want: 200},
	{method: "GET", path: "/personal/etjanster/{es}/export", want: 200},
	{method: "GET", path: "/personal/admin/kommun", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/driftmeddelanden", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/personal", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/gallring", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/allmanna-handlingar", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/integrationer", want: 200, muni: true},
	{method: "GET", path: "/personal/admin/integrationer/webhooks/00000000-0000-4000-8000-000000000000", want: 404, muni: true},

	{method: "POST", path: "/personal/etjanster", form: url.Values{"title": {"Matrisens e-tjänst {col}"}, "category": {"culture"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/import", form: url.Values{"json": {"{}"}}, want: 422},
	{method: "POST", path: "/personal/etjanster/{es}/installningar", form: url.Values{}, want: 422},
	{method: "POST", path: "/personal/etjanster/{es}/statusar", form: url.Values{"label_sv": {"Granskas"}, "type": {"in_progress"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/mallar", form: url.Values{"title": {"Tack"}, "body": {"Tack för ditt ärende."}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/handlaggare", form: url.Values{"groups": {"kultur"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/aviseringar", form: url.Values{"case_submitted_sv": {"Vi svarar inom en vecka."}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/formular/steg", form: url.Values{"new_step_title": {"Övrigt"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/formular/steg/ovrigt/nytt-falt", form: url.Values{"type": {"long_text"}, "label_sv": {"Något mer?"}, "action": {"save"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/formular/falt/plats_namn", form: url.Values{"type": {"short_text"}, "label_sv": {"Vilken plats?"}, "key": {"plats_namn"}, "action": {"save"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/forhandsgranska/steg/plats", form: url.Values{"plats_namn": {"Torget"}, "action": {"next"}}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/forhandsgranska/rensa", form: url.Values{}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/period", form: url.Values{"available_from": {""}, "available_until": {""}}, want: 303},
	{method: "POST", path: "/personal/admin/kommun", form: url.Values{}, want: 422, muni: true},
	{method: "POST", path: "/personal/admin/driftmeddelanden", form: url.Values{}, want: 422, muni: true},
	{method: "POST", path: "/personal/admin/gallring", form: url.Values{}, want: 422, muni: true},
	{method: "POST", path: "/personal/admin/allmanna-handlingar", form: url.Values{"grounds": {""}}, want: 422, muni: true},
	{method: "POST", path: "/personal/admin/integrationer/webhooks", form: url.Values{}, want: 422, muni: true},
	{method: "POST", path: "/personal/admin/integrationer/api-klienter", form: url.Values{}, want: 422, muni: true},
	{method: "POST", path: "/personal/etjanster/{es}/publicera", form: url.Values{}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/kopiera", form: url.Values{}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/avpublicera", form: url.Values{}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/aterpublicera", form: url.Values{}, want: 303},
	{method: "POST", path: "/personal/etjanster/{es}/arkivera", form: url.Values{}, want: 303},
}

// amActor is a column of the matrix.
type amActor struct {
	name     string
	browser  func(t *testing.T, p *webtest.Portal) *esBrowser
	eservice bool // an e-service admin of the municipality
	muni     bool // a municipality admin of the municipality
	staff    bool // logged in as staff of the municipality (else sent to the staff login)
	foreign  bool // works on another municipality's e-service: not found
}

var amActors = []amActor{
	{name: "visitor", browser: func(t *testing.T, p *webtest.Portal) *esBrowser { return newBrowser(t, p) }},
	{name: "citizen", browser: func(t *testing.T, p *webtest.Portal) *esBrowser { return loggedIn(t, p, "adult") }},
	{name: "caseworker", staff: true, browser: func(t *testing.T, p *webtest.Portal) *esBrowser { return staffBrowser(t, p, "caseworker-alingsas") }},
	{name: "e-service admin", staff: true, eservice: true, browser: func(t *testing.T, p *webtest.Portal) *esBrowser {
		return staffBrowser(t, p, "eservice-admin-alingsas")
	}},
	{name: "municipality admin", staff: true, muni: true, browser: func(t *testing.T, p *webtest.Portal) *esBrowser {
		return staffBrowser(t, p, "municipality-admin-alingsas")
	}},
	// A registrar handles requests for public documents, and administers nothing.
	{name: "registrar", staff: true, browser: func(t *testing.T, p *webtest.Portal) *esBrowser {
		return staffBrowser(t, p, "registrar-alingsas")
	}},
	{name: "e-service admin, another municipality's e-service", staff: true, eservice: true, foreign: true, browser: func(t *testing.T, p *webtest.Portal) *esBrowser {
		return staffBrowser(t, p, "eservice-admin-alingsas")
	}},
}

// expect is the status the actor must get on the route.
func (a amActor) expect(r amRoute) int {
	switch {
	case !a.staff:
		return http.StatusSeeOther // to the staff login
	case r.muni && !a.muni, !r.muni && !a.eservice:
		return http.StatusForbidden
	case a.foreign && strings.Contains(r.path, "{es}"):
		return http.StatusNotFound
	}
	return r.want
}

func TestAdminAccessMatrix(t *testing.T) {
	p := webtest.Start(t)
	store := eservice.NewStore(p.Pool)
	erik := staffActor(t, p, "ali-1003")
	motala := staffActor(t, p, "mot-2001") // makes Motala's e-service through the domain, which leaves roles to the web layer
	for i, a := range amActors {
		t.Run(a.name, func(t *testing.T) {
			// The column's own e-service: one form step with one field.
			actor, slug := erik, "matris-"+string(rune('a'+i))
			if a.foreign {
				actor = motala
			}
			e, err := store.CreateByAdmin(t.Context(), actor, "Matris "+slug, slug, "culture")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.EditDraft(t.Context(), actor, e.ID, "form_step_added", "plats", func(d *form.Definition) error {
				d.Steps = append(d.Steps, form.Step{Key: "plats", Title: form.Text{"sv": "Plats"},
					Fields: []form.Field{{Key: "plats_namn", Type: form.ShortText, Label: form.Text{"sv": "Plats"}}}})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			completePrivacy(t, p, e.ID.String())
			b := a.browser(t, p)
			const changesOf = `SELECT count(*) FROM admin_event WHERE eservice_id = $1`
			changesBefore := dbInt(t, p, changesOf, e.ID)
			for _, r := range amRoutes {
				path := strings.ReplaceAll(r.path, "{es}", e.ID.String())
				var resp *http.Response
				var body string
				if r.method == "GET" {
					resp, body = b.get(path)
				} else {
					form := url.Values{}
					for k, v := range r.form {
						form.Set(k, strings.ReplaceAll(v[0], "{col}", string(rune('a'+i))))
					}
					resp, body = b.post(path, form)
				}
				want := a.expect(r)
				if resp.StatusCode != want {
					t.Errorf("%s: status %d, want %d: %s", r.name(), resp.StatusCode, want, errorText(body))
					continue
				}
				if !a.staff && !strings.HasPrefix(resp.Header.Get("Location"), "/personal/login") {
					t.Errorf("%s: sent to %q, want the staff login", r.name(), resp.Header.Get("Location"))
				}
			}
			changes := dbInt(t, p, changesOf, e.ID) - changesBefore
			allowed := a.eservice && !a.foreign
			if allowed && changes < 10 {
				t.Errorf("%d changes recorded, want one for each change made", changes)
			}
			if !allowed && changes != 0 {
				t.Errorf("%d changes recorded for an actor who may change nothing here", changes)
			}
			if !allowed && dbInt(t, p, `SELECT count(*) FROM eservice WHERE id = $1 AND state = 'draft'`, e.ID) != 1 {
				t.Error("the e-service changed state")
			}
		})
	}

	// Every change recorded has a text in the histories.
	rows, err := p.Pool.Query(t.Context(), `SELECT DISTINCT action FROM admin_event`)
	if err != nil {
		t.Fatal(err)
	}
	actions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	keys := i18n.MustLoad().Keys(i18n.Swedish)
	for _, a := range actions {
		if !slices.Contains(keys, "change."+a) {
			t.Errorf("the change %q has no text change.%s in the catalogue", a, a)
		}
	}
}

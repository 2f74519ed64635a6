package demo

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// allFieldTypes are the field types of form/definition.go.
var allFieldTypes = []form.FieldType{
	form.ShortText, form.LongText, form.Number, form.Date, form.Email, form.Phone, form.PersonalNumber,
	form.OrgNumber, form.Address, form.SingleChoice, form.MultipleChoice, form.Dropdown, form.YesNo,
	form.File, form.Info, form.Consent, form.Contact, form.Booking,
}

func TestEServiceFilesParse(t *testing.T) {
	all, err := demoEServices()
	if err != nil {
		t.Fatal(err)
	}
	names, err := eserviceFiles.ReadDir("eservices")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(names) || len(all) < 8 {
		t.Fatalf("%d e-services from %d files, want every file and at least 8", len(all), len(names))
	}
	perMunicipality := map[string]int{}
	external := 0
	for _, d := range all {
		perMunicipality[d.Municipality]++
		if want := d.Municipality + "-" + d.EService.Slug + ".json"; d.File != want {
			t.Errorf("%s: name the file %s", d.File, want)
		}
		for lang, text := range map[string]form.Text{"title": d.EService.Title, "description": d.EService.Description} {
			if strings.TrimSpace(text["en"]) == "" {
				t.Errorf("%s: no English %s", d.File, lang)
			}
		}
		if d.Definition == nil {
			external++
			continue
		}
		// What is stored is what is parsed back.
		b, err := d.Definition.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := form.Parse(b); err != nil {
			t.Errorf("%s: the stored definition does not parse: %v", d.File, err)
		}
		for _, s := range d.Definition.Steps {
			if s.Title["en"] == "" {
				t.Errorf("%s: step %s has no English title", d.File, s.Key)
			}
			for _, f := range s.Fields {
				if f.Type != form.Info && f.Label["en"] == "" {
					t.Errorf("%s: field %s has no English label", d.File, f.Key)
				}
			}
		}
	}
	if perMunicipality["alingsas"] <= perMunicipality["motala"] || perMunicipality["motala"] < 2 {
		t.Errorf("e-services per municipality %v: want mostly Alingsås and at least two in Motala", perMunicipality)
	}
	if external != 2 {
		t.Errorf("%d e-services without a form, want 2 (one in another system, one a page of the portal)", external)
	}
}

// TestEServicesCoverTheFormat checks that the demo shows every field type, every condition
// operator and a condition on a whole step, and the e-service settings worth seeing.
func TestEServicesCoverTheFormat(t *testing.T) {
	all, err := demoEServices()
	if err != nil {
		t.Fatal(err)
	}
	types := map[form.FieldType]bool{}
	ops := map[string]bool{}
	stepCondition, personalField, required := false, false, false
	logins := map[string]bool{}
	anonymous, onceOnlyField := false, false
	for _, d := range all {
		logins[d.EService.LoginRule] = true
		anonymous = anonymous || d.EService.AnonymousAllowed
		onceOnlyField = onceOnlyField || d.EService.OnceOnlyField != ""
		if d.Definition == nil {
			continue
		}
		for _, s := range d.Definition.Steps {
			if s.ShowIf != nil {
				stepCondition = true
				ops[s.ShowIf.Op] = true
			}
			for _, f := range s.Fields {
				types[f.Type] = true
				personalField = personalField || f.Personal
				required = required || f.Required
				if f.ShowIf != nil {
					ops[f.ShowIf.Op] = true
				}
			}
		}
	}
	for _, ft := range allFieldTypes {
		if !types[ft] {
			t.Errorf("no demo e-service has a %s field", ft)
		}
	}
	for _, op := range []string{form.OpEquals, form.OpOneOf, form.OpNotEquals} {
		if !ops[op] {
			t.Errorf("no demo e-service has a condition with %s", op)
		}
	}
	if !stepCondition {
		t.Error("no demo e-service has a step with a condition")
	}
	if !personalField || !required {
		t.Errorf("personal field %v, required field %v: want both", personalField, required)
	}
	for _, rule := range []string{eservice.LoginRequired, eservice.LoginOptional, eservice.LoginNone} {
		if !logins[rule] {
			t.Errorf("no demo e-service has login rule %s", rule)
		}
	}
	if !anonymous || !onceOnlyField {
		t.Errorf("anonymous %v, once-only field %v: want both", anonymous, onceOnlyField)
	}
}

func TestParseEServiceFileRefuses(t *testing.T) {
	const def = `"definition": {"steps": [{"key": "a", "title": {"sv": "A"}, "fields": [{"key": "x", "type": "short_text", "label": {"sv": "X"}}]}]}`
	const privacy = `"privacy": {"data": {"sv": "d"}, "purpose": {"sv": "p"}, "legal_basis": {"sv": "l"}, "controller": {"sv": "c"}, "retention": {"sv": "r"}}`
	file := func(settings string, rest ...string) string {
		parts := append([]string{`"municipality": "alingsas", "slug": "prov", "title": {"sv": "Prov"}, "description": {"sv": "Prov"}, "category": "school", "audience": ["private"], "loginRule": "optional"`, settings}, rest...)
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		return "{" + strings.Join(kept, ", ") + "}"
	}
	if _, err := parseEServiceFile("ok.json", []byte(file("", privacy, def))); err != nil {
		t.Fatalf("a good file is refused: %v", err)
	}
	for name, data := range map[string]string{
		"unknown property": file(`"colour": "red"`, privacy, def),
		"trailing data":    file("", privacy, def) + "{}",
		"municipality":     strings.Replace(file("", privacy, def), `"alingsas"`, `"ale"`, 1),
		"category":         strings.Replace(file("", privacy, def), `"school"`, `"sport"`, 1),
		"audience":         strings.Replace(file("", privacy, def), `["private"]`, `["tourist"]`, 1),
		"login rule":       strings.Replace(file("", privacy, def), `"optional"`, `"sometimes"`, 1),
		"anonymous":        strings.Replace(file(`"anonymousAllowed": true`, privacy, def), `"optional"`, `"required"`, 1),
		"once-only field":  file(`"onceOnly": "personal_number", "onceOnlyField": "x"`, privacy, def),
		"no privacy":       file("", def),
		"no definition":    file("", privacy),
		"external and def": file(`"externalUrl": "https://example.se"`, privacy, def),
		"http":             file(`"externalUrl": "http://example.se"`, privacy),
		"bad definition":   file("", privacy, strings.Replace(def, `"short_text"`, `"long_short_text"`, 1)),
	} {
		_, err := parseEServiceFile("prov.json", []byte(data))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "prov.json") {
			t.Errorf("%s: the error does not name the file: %v", name, err)
		}
	}
	_, err := parseEServiceFile("prov.json", []byte(file("", privacy, strings.Replace(def, `"short_text"`, `"long_short_text"`, 1))))
	if _, ok := form.AsDefinitionErrors(err); !ok {
		t.Errorf("a bad definition: %v, want the definition errors", err)
	}
}

// counts returns the number of rows of the tables the demo fills.
func counts(t *testing.T, ctx context.Context, q db.Querier) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"tenant", "tenant_host", "eservice", "eservice_version"} {
		var n int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestLoadEServices(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	log := slog.New(slog.DiscardHandler)
	all, err := demoEServices()
	if err != nil {
		t.Fatal(err)
	}

	if err := Load(ctx, pool, log); err != nil {
		t.Fatal(err)
	}
	first := counts(t, ctx, pool)
	withForm := 0
	for _, d := range all {
		if d.Definition != nil {
			withForm++
		}
	}
	// and each municipality's built-in e-service of data protection requests, with its form
	if first["eservice"] != len(all)+len(Municipalities) || first["eservice_version"] != withForm+len(Municipalities) {
		t.Fatalf("after loading: %v, want %d e-services and %d versions", first, len(all)+len(Municipalities), withForm+len(Municipalities))
	}
	if err := Load(ctx, pool, log); err != nil {
		t.Fatal(err)
	}
	if second := counts(t, ctx, pool); !maps.Equal(first, second) {
		t.Errorf("loading twice: %v, then %v", first, second)
	}

	store := eservice.NewStore(pool)
	catalogue := map[string][]string{}
	for _, m := range Municipalities {
		var id uuid.UUID
		if err := pool.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = $1`, m.Slug).Scan(&id); err != nil {
			t.Fatal(err)
		}
		list, err := store.Catalogue(ctx, id, eservice.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			catalogue[m.Slug] = append(catalogue[m.Slug], e.Slug)
		}
	}

	for _, d := range all {
		if !slices.Contains(catalogue[d.Municipality], d.EService.Slug) {
			t.Errorf("%s: not in the catalogue of %s: %v", d.File, d.Municipality, catalogue[d.Municipality])
			continue
		}
		var id uuid.UUID
		err := pool.QueryRow(ctx, `SELECT e.id FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = $1 AND e.slug = $2`,
			d.Municipality, d.EService.Slug).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		e, err := store.ByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.State != "published" || e.LoginRule != d.EService.LoginRule || e.AnonymousAllowed != d.EService.AnonymousAllowed ||
			e.OnceOnly != d.EService.OnceOnly || e.OnceOnlyField != d.EService.OnceOnlyField ||
			!slices.Equal(e.Audience, d.EService.Audience) || e.Privacy.Controller["sv"] != d.EService.Privacy.Controller["sv"] {
			t.Errorf("%s: stored as %+v", d.File, e)
		}
		var versions int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1`, id).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if d.Definition == nil {
			if e.ExternalURL == "" || e.ExternalURL != d.EService.ExternalURL || e.CurrentVersionID != nil || versions != 0 || e.Startable() {
				t.Errorf("%s: external e-service stored with URL %q, current version %v, %d versions",
					d.File, e.ExternalURL, e.CurrentVersionID, versions)
			}
			continue
		}
		if e.ExternalURL != "" || e.CurrentVersionID == nil || versions != 1 || !e.Startable() {
			t.Errorf("%s: stored with URL %q, current version %v, %d versions", d.File, e.ExternalURL, e.CurrentVersionID, versions)
			continue
		}
		v, err := store.Version(ctx, *e.CurrentVersionID)
		if err != nil {
			t.Fatalf("%s: %v", d.File, err)
		}
		if v.Number != 1 || v.PublishedAt == nil || len(v.Definition.Steps) != len(d.Definition.Steps) {
			t.Errorf("%s: current version %d published %v with %d steps", d.File, v.Number, v.PublishedAt, len(v.Definition.Steps))
		}
	}
}

// Each demo resource is booked by a demo e-service of its municipality, whose booking fields name
// resources that the demo has.
func TestBookingEServices(t *testing.T) {
	all, err := demoEServices()
	if err != nil {
		t.Fatal(err)
	}
	resources := map[string]bool{}
	for _, r := range demoResources {
		resources[r.municipality+"/"+r.slug] = false
	}
	for _, d := range all {
		if d.Definition == nil {
			continue
		}
		for _, f := range d.Definition.FieldsOfType(form.Booking) {
			key := d.Municipality + "/" + f.Resource
			if _, ok := resources[key]; !ok {
				t.Errorf("%s: field %s books %s, which the demo does not have", d.File, f.Key, key)
			}
			resources[key] = true
			if d.EService.LoginRule != eservice.LoginRequired || d.EService.AnonymousAllowed {
				t.Errorf("%s: a booking e-service requires a login and is never anonymous", d.File)
			}
		}
	}
	for key, booked := range resources {
		if !booked {
			t.Errorf("no demo e-service books %s", key)
		}
	}
}

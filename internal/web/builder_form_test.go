package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// editorErrorAt returns the error shown at an input of an editor form ("" for none).
func editorErrorAt(body, input string) string {
	m := regexp.MustCompile(`(?s)<p class="field-error" id="` + regexp.QuoteMeta(input) + `-error">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// editorRefused checks that a post was refused with 422, the message at the input and linked
// from the error summary, and what was typed kept.
func editorRefused(t *testing.T, what string, resp *http.Response, body, input, message string, kept ...string) {
	t.Helper()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want 422: %s", what, resp.StatusCode, errorText(body))
	}
	if got := editorErrorAt(body, input); !strings.Contains(got, message) {
		t.Errorf("%s: the error at %s is %q, want %q", what, input, got, message)
	}
	assertContains(t, what, body, `class="error-summary"`, `href="#`+input+`"`)
	assertContains(t, what, body, kept...)
}

// editorOrder is the working form of an e-service as "step:field,field step:".
func editorOrder(t *testing.T, store *eservice.Store, e eservice.EService) string {
	t.Helper()
	v, _, err := store.Working(t.Context(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, s := range v.Definition.Steps {
		var keys []string
		for _, f := range s.Fields {
			keys = append(keys, f.Key)
		}
		parts = append(parts, s.Key+":"+strings.Join(keys, ","))
	}
	return strings.Join(parts, " ")
}

// An e-service admin builds a two-step form with conditions and a file field through the
// editor's plain HTML forms; every refused change comes back with its message at its input and
// what was typed; reordering and removing follow the conditions; a published form gets a new
// draft version; and only the municipality's e-service admins get the editor.
func TestBuilderForm(t *testing.T) {
	p := webtest.Start(t)
	ctx := t.Context()
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	actor := staffActor(t, p, "ali-1003")
	store := eservice.NewStore(p.Pool)
	e, err := store.CreateByAdmin(ctx, actor, "Ansökan om föreningsbidrag", "", "culture")
	if err != nil {
		t.Fatal(err)
	}
	base := "/personal/etjanster/" + e.ID.String() + "/formular"
	changes := func() int {
		return dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action LIKE 'form_%'`)
	}
	post := func(path string, form url.Values) (*http.Response, string) {
		t.Helper()
		return erik.post(base+path, form)
	}
	saved := func(what string, resp *http.Response, body, location string) {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d: %s", what, resp.StatusCode, errorText(body))
		}
		if got := resp.Header.Get("Location"); got != base+location {
			t.Errorf("%s: redirected to %s, want %s", what, got, base+location)
		}
	}

	// A new e-service has an empty form.
	assertContains(t, "empty editor", erik.page(base), "Formulärets steg och fält", "Formuläret har inga steg ännu.",
		"Lägg till ett steg", "Lägg till minst ett steg.")

	// Steps: a title is needed, a key is made from it, and a key is used once.
	resp, body := post("/steg", url.Values{"new_step_title": {" "}, "new_step_key": {"sokande"}})
	editorRefused(t, "a step without a title", resp, body, "new_step_title", "Skriv en rubrik på svenska för steget.", `value="sokande"`)
	resp, body = post("/steg", url.Values{"new_step_title": {"Om föreningen"}})
	saved("first step", resp, body, "?klart=stepadded#steg-om_foreningen")
	resp, body = post("/steg", url.Values{"new_step_title": {"Bilagor"}, "new_step_key": {"bilagor"}})
	saved("second step", resp, body, "?klart=stepadded#steg-bilagor")
	resp, body = post("/steg", url.Values{"new_step_title": {"Fler bilagor"}, "new_step_key": {"bilagor"}})
	editorRefused(t, "a step key twice", resp, body, "new_step_key", "Det finns redan ett steg med nyckeln ”bilagor”.", `value="Fler bilagor"`, `value="bilagor"`)
	if n := changes(); n != 2 {
		t.Errorf("%d form changes recorded after two steps and two refusals", n)
	}

	// Empty steps are kept while building, shown as problems pointing at the step, and stop
	// publishing.
	editor := erik.page(base + "?klart=stepadded")
	assertContains(t, "editor with empty steps", editor, "Steget är tillagt.", `id="steg-om_foreningen"`, `id="steg-bilagor"`,
		"Steg 1:", "Om föreningen", "Lägg till minst ett fält i steget.", `href="`+base+`/steg/om_foreningen"`, `href="`+base+`/steg/bilagor"`)
	if _, err := store.PublishDraft(ctx, actor, e.ID); err == nil {
		t.Fatal("a form with empty steps was published")
	} else if de, ok := form.AsDefinitionErrors(err); !ok || de[0].Key != "error.form.def.step.noFields" || de[0].Step != "om_foreningen" {
		t.Errorf("publishing empty steps: %v", err)
	}
	assertContains(t, "step page", erik.page(base+"/steg/bilagor"), "Ändra steget ”Bilagor”", `value="Bilagor"`, "Visa bara när", "Visa alltid")

	// Fields of the first step. The key is made from the label.
	assertContains(t, "new field form", erik.page(base+"/steg/om_foreningen/nytt-falt?typ=yes_no"),
		"Nytt fält i steget ”Om föreningen”", `<option value="yes_no" selected>`, "Ja eller nej", "Obligatorisk fråga")
	resp, body = post("/steg/om_foreningen/nytt-falt", url.Values{"type": {"yes_no"}, "label_sv": {"Är föreningen registrerad?"},
		"required": {"yes"}, "action": {"save"}})
	saved("yes/no field", resp, body, "?klart=fieldadded#falt-ar_foreningen_registrerad")

	// A choice field needs options.
	choice := url.Values{"type": {"single_choice"}, "key": {"typ"}, "label_sv": {"Typ av förening"}, "label_en": {"Kind of association"},
		"options": {""}, "action": {"save"}}
	resp, body = post("/steg/om_foreningen/nytt-falt", choice)
	editorRefused(t, "a choice without options", resp, body, "options", "Lägg till minst ett svarsalternativ.", `value="Typ av förening"`, `value="Kind of association"`, `value="typ"`)
	choice.Set("options", "Idrott\nkultur | Kultur och musik\nannat | Annat | Other")
	resp, body = post("/steg/om_foreningen/nytt-falt", choice)
	saved("choice field", resp, body, "?klart=fieldadded#falt-typ")

	// The same key twice.
	resp, body = post("/steg/om_foreningen/nytt-falt", url.Values{"type": {"short_text"}, "key": {"typ"}, "label_sv": {"Typ igen"}})
	editorRefused(t, "a field key twice", resp, body, "key", "Det finns redan ett fält med nyckeln ”typ”.", `value="Typ igen"`)

	// A number that cannot be read is an error of its own, kept as typed; so is the check's.
	resp, body = post("/steg/om_foreningen/nytt-falt", url.Values{"type": {"short_text"}, "label_sv": {"Registreringsnummer"},
		"max_length": {"tio"}, "min_length": {"-1"}})
	editorRefused(t, "a length that is no number", resp, body, "max_length", "Skriv ett heltal", `value="tio"`, `value="Registreringsnummer"`)
	if got := editorErrorAt(body, "min_length"); !strings.Contains(got, "Regeln ”Minsta antal tecken” kan inte vara mindre än 0.") {
		t.Errorf("the check's problem beside the form's own: %q", got)
	}

	// A condition on a field that does not exist, and on one that comes later.
	regnr := url.Values{"type": {"short_text"}, "key": {"regnr"}, "label_sv": {"Registreringsnummer"}, "max_length": {"20"},
		"show_if_field": {"finns_inte"}, "show_if_op": {"equals"}, "show_if_value": {"yes"}}
	resp, body = post("/steg/om_foreningen/nytt-falt", regnr)
	editorRefused(t, "a condition on no field", resp, body, "show_if_field", "Villkoret hänvisar till fältet ”finns_inte”, som inte finns.",
		`<option value="finns_inte" selected>`, `value="20"`)
	regnr.Set("show_if_field", "ar_foreningen_registrerad")
	resp, body = post("/steg/om_foreningen/nytt-falt", regnr)
	saved("conditional field", resp, body, "?klart=fieldadded#falt-regnr")
	resp, body = post("/falt/ar_foreningen_registrerad", url.Values{"type": {"yes_no"}, "label_sv": {"Är föreningen registrerad?"},
		"show_if_field": {"typ"}, "show_if_op": {"equals"}, "show_if_value": {"idrott"}})
	editorRefused(t, "a condition on a later field", resp, body, "show_if_field", "som inte kommer före det här fältet",
		`<option value="typ" selected>`, "idrott</textarea>")
	resp, body = post("/falt/regnr", url.Values{"type": {"short_text"}, "label_sv": {"Registreringsnummer"},
		"show_if_field": {"ar_foreningen_registrerad"}, "show_if_op": {"equals"}, "show_if_value": {"kanske"}})
	editorRefused(t, "a yes/no value that is not", resp, body, "show_if_value", "Ett ja/nej-fält har värdena ”yes” och ”no”, inte ”kanske”.", "kanske</textarea>")

	// The file field of the second step: "change type" shows the upload settings and keeps what
	// was typed; limits outside the allowed are refused at their inputs.
	resp, body = post("/steg/bilagor/nytt-falt", url.Values{"type": {"file"}, "label_sv": {"Stadgar"}, "help_sv": {"Bifoga föreningens stadgar."}, "action": {"type"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("change type: %d", resp.StatusCode)
	}
	assertContains(t, "changed type", body, `value="Stadgar"`, "Bifoga föreningens stadgar.</textarea>", "Högsta antal filer", "JPEG-bild",
		`value="application/pdf" checked`)
	assertLacks(t, "changed type", body, `class="error-summary"`)
	stadgar := url.Values{"type": {"file"}, "label_sv": {"Stadgar"}, "upload_max_files": {"2"}, "upload_max_mb": {"30"},
		"upload_types": {"application/pdf"}, "show_if_field": {"typ"}, "show_if_op": {"oneOf"}, "show_if_value": {"kultur\r\nannat\r\n"}}
	resp, body = post("/steg/bilagor/nytt-falt", stadgar)
	editorRefused(t, "too large files", resp, body, "upload_max_mb", "Största filstorlek ska vara mellan 1 byte och 25 MiB.", `value="30"`, `value="2"`)
	stadgar.Set("upload_max_mb", "2,5")
	resp, body = post("/steg/bilagor/nytt-falt", stadgar)
	saved("file field", resp, body, "?klart=fieldadded#falt-stadgar")

	// The second step is shown only for registered associations.
	resp, body = post("/steg/bilagor", url.Values{"title_sv": {"Bilagor"}, "title_en": {"Attachments"}, "key": {"bilagor"},
		"show_if_field": {"regnr"}, "show_if_op": {"equals"}, "show_if_value": {"x"}})
	saved("step condition", resp, body, "?klart=stepsaved#steg-bilagor")
	resp, body = post("/steg/bilagor", url.Values{"title_sv": {""}, "key": {"bilagor"}, "show_if_field": {"stadgar"}, "show_if_op": {"equals"}, "show_if_value": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a step condition on its own field: %d", resp.StatusCode)
	}
	if got := editorErrorAt(body, "title_sv"); !strings.Contains(got, "Skriv en rubrik på svenska för steget.") {
		t.Errorf("the title's error: %q", got)
	}
	if got := editorErrorAt(body, "show_if_field"); got == "" {
		t.Error("a step condition on its own field has no error")
	}

	var stored struct {
		Upload    form.Upload
		Condition form.Condition
	}
	v, _, err := store.Working(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := v.Definition.Field("stadgar")
	stored.Upload, stored.Condition = *f.Upload, *f.ShowIf
	if stored.Upload.MaxFiles != 2 || stored.Upload.MaxBytes != 5<<19 || strings.Join(stored.Upload.Types, ",") != "application/pdf" {
		t.Errorf("upload limits stored: %+v", stored.Upload)
	}
	if stored.Condition.Op != form.OpOneOf || strings.Join(stored.Condition.Values, ",") != "kultur,annat" {
		t.Errorf("condition stored: %+v", stored.Condition)
	}
	typ, _ := v.Definition.Field("typ")
	if len(typ.Options) != 3 || typ.Options[0].Value != "idrott" || typ.Options[2].Label["en"] != "Other" {
		t.Errorf("options stored: %+v", typ.Options)
	}

	// The editor shows the form in order, with types, keys and conditions, and no problems.
	editor = erik.page(base)
	assertContains(t, "editor", editor, `id="falt-ar_foreningen_registrerad"`, `id="falt-typ"`, `id="falt-regnr"`, `id="falt-stadgar"`,
		"Ja eller nej", "Ett val (radioknappar)", "Filuppladdning", "obligatorisk",
		"Visas när ”Är föreningen registrerad?” är ”Ja”", "Visas när ”Typ av förening” är något av ”Kultur och musik”, ”Annat”",
		"Visas när ”Registreringsnummer” är ”x”", base+"/falt/stadgar/flytta", base+"/steg/bilagor/nytt-falt")
	assertLacks(t, "editor", editor, "Det här behöver rättas")
	assertContains(t, "field page", erik.page(base+"/falt/typ"), "idrott | Idrott\nkultur | Kultur och musik\nannat | Annat | Other</textarea>",
		`<option value="single_choice" selected>`)
	assertContains(t, "file field page", erik.page(base+"/falt/stadgar"), `value="2,5"`, `value="application/pdf" checked`, "kultur\nannat</textarea>",
		`<option value="oneOf" selected>`)

	// Removing or moving a field that a condition needs is refused, pointing to the condition.
	before := changes()
	resp, body = post("/falt/typ/ta-bort", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("removing a field a condition uses: %d", resp.StatusCode)
	}
	assertContains(t, "refused removal", body, "Villkoret här beror på fältet ”Typ av förening”, som du försökte ta bort.", `href="`+base+`/falt/stadgar"`, "Stadgar")
	resp, body = post("/falt/regnr/flytta", url.Values{"riktning": {"ner"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("moving a field below the step whose condition uses it: %d", resp.StatusCode)
	}
	assertContains(t, "refused move down", body, "Stegets villkor hänvisar till fältet ”regnr”", `href="`+base+`/steg/bilagor"`)
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,typ,regnr bilagor:stadgar" {
		t.Errorf("refused changes changed the form: %s", got)
	}
	resp, body = post("/falt/regnr/flytta", url.Values{"riktning": {"upp"}})
	saved("move up", resp, body, "?klart=fieldmoved#falt-regnr")
	resp, body = post("/falt/regnr/flytta", url.Values{"riktning": {"upp"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("moving a field above the field of its condition: %d", resp.StatusCode)
	}
	assertContains(t, "refused move", body, "som inte kommer före det här fältet", `href="`+base+`/falt/regnr"`)
	if resp, _ := post("/falt/ar_foreningen_registrerad/flytta", url.Values{"riktning": {"ner"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("moving a field below the field whose condition uses it: %d", resp.StatusCode)
	}
	if n := changes(); n != before+1 {
		t.Errorf("%d changes recorded, want %d: refused ones are not", n, before+1)
	}
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,regnr,typ bilagor:stadgar" {
		t.Errorf("after moving up: %s", got)
	}

	// Across steps, one place at a time; an emptied step is a problem again.
	resp, body = post("/steg/bilagor", url.Values{"title_sv": {"Bilagor"}, "key": {"bilagor"}})
	saved("step condition removed", resp, body, "?klart=stepsaved#steg-bilagor")
	resp, body = post("/falt/stadgar/flytta", url.Values{"riktning": {"upp"}})
	saved("move to the previous step", resp, body, "?klart=fieldmoved#falt-stadgar")
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,regnr,typ,stadgar bilagor:" {
		t.Errorf("after moving to the previous step: %s", got)
	}
	assertContains(t, "editor with an emptied step", erik.page(base), "Lägg till minst ett fält i steget.", `href="`+base+`/steg/bilagor"`)
	resp, body = post("/falt/stadgar/flytta", url.Values{"riktning": {"ner"}})
	saved("move to the next step", resp, body, "?klart=fieldmoved#falt-stadgar")
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,regnr,typ bilagor:stadgar" {
		t.Errorf("after moving back: %s", got)
	}
	resp, body = post("/steg/bilagor/flytta", url.Values{"riktning": {"upp"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("moving a step above the field its field's condition uses: %d", resp.StatusCode)
	}
	assertContains(t, "refused step move", body, `href="`+base+`/falt/stadgar"`)

	// Renaming a key renames the conditions that use it; removing follows.
	resp, body = post("/falt/typ", url.Values{"type": {"single_choice"}, "key": {"foreningstyp"}, "label_sv": {"Typ av förening"},
		"options": {"idrott | Idrott\nkultur | Kultur och musik\nannat | Annat | Other"}})
	saved("rename", resp, body, "?klart=fieldsaved#falt-foreningstyp")
	v, _, _ = store.Working(ctx, e.ID)
	if f, _ := v.Definition.Field("stadgar"); f.ShowIf == nil || f.ShowIf.Field != "foreningstyp" {
		t.Errorf("the condition after the rename: %+v", f.ShowIf)
	}
	resp, body = post("/falt/regnr/ta-bort", nil)
	saved("remove", resp, body, "?klart=fieldremoved#steg-om_foreningen")
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,foreningstyp bilagor:stadgar" {
		t.Errorf("after the removal: %s", got)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action IN ('form_step_added', 'form_step_changed', 'form_field_added', 'form_field_changed', 'form_field_moved', 'form_field_removed')`); n != changes() || n != 13 {
		t.Errorf("%d recorded changes of the expected kinds, %d in all, want 13", n, changes())
	}
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action = 'form_field_removed' AND target = 'regnr'`); n != 1 {
		t.Errorf("the removal is recorded %d times", n)
	}

	// A published form is edited in a new draft version; the published version stays as it was.
	completePrivacy(t, p, e.ID.String())
	published, err := store.PublishDraft(ctx, actor, e.ID)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	resp, body = post("/falt/foreningstyp", url.Values{"type": {"single_choice"}, "label_sv": {"Vilken sorts förening?"},
		"options": {"idrott | Idrott\nkultur | Kultur och musik\nannat | Annat | Other"}})
	saved("edit after publishing", resp, body, "?klart=fieldsaved#falt-foreningstyp")
	if n := dbInt(t, p, `SELECT count(*) FROM eservice_version WHERE eservice_id = $1`, e.ID); n != 2 {
		t.Errorf("%d versions after editing a published form, want 2", n)
	}
	again, err := store.Version(ctx, published.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := again.Definition.Field("foreningstyp"); f.Label["sv"] != "Typ av förening" || again.PublishedAt == nil {
		t.Errorf("the published version changed: %+v", f.Label)
	}
	assertContains(t, "editor of the new draft", erik.page(base), "Vilken sorts förening?")

	// A removed step takes its fields; the last changes are gone from the form.
	resp, body = post("/steg/bilagor/ta-bort", nil)
	saved("remove step", resp, body, "?klart=stepremoved")
	if got := editorOrder(t, store, e); got != "om_foreningen:ar_foreningen_registrerad,foreningstyp" {
		t.Errorf("after removing the step: %s", got)
	}

	// Unknown steps and fields are not found, nor moved or removed; a move needs a direction, "upp"
	// or "ner" and no other word.
	for _, path := range []string{"/steg/finns_inte", "/falt/finns_inte", "/steg/finns_inte/nytt-falt"} {
		resp, body := erik.get(base + path)
		assertNotFound(t, path, resp, body)
	}
	for _, path := range []string{"/steg/finns_inte/flytta", "/falt/finns_inte/flytta", "/steg/finns_inte/ta-bort", "/falt/finns_inte/ta-bort"} {
		resp, body := post(path, url.Values{"riktning": {"ner"}})
		assertNotFound(t, path, resp, body)
	}
	for _, direction := range []string{"åt sidan", "ned", ""} {
		if resp, _ := post("/falt/foreningstyp/flytta", url.Values{"riktning": {direction}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a field moved %q: %d", direction, resp.StatusCode)
		}
		if resp, _ := post("/steg/bilagor/flytta", url.Values{"riktning": {direction}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a step moved %q: %d", direction, resp.StatusCode)
		}
	}

	// Only the municipality's e-service admins get the editor.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	if resp, _ := anna.get(base); resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker at the editor: %d", resp.StatusCode)
	}
	if resp, _ := anna.post(base+"/steg", url.Values{"new_step_title": {"Intrång"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("caseworker adding a step: %d", resp.StatusCode)
	}
	var motala string
	if err := p.Pool.QueryRow(ctx, `SELECT e.id::text FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = 'motala' LIMIT 1`).Scan(&motala); err != nil {
		t.Fatal(err)
	}
	other := "/personal/etjanster/" + motala + "/formular"
	resp, body = erik.get(other)
	assertNotFound(t, "another municipality's editor", resp, body)
	resp, body = erik.post(other+"/steg", url.Values{"new_step_title": {"Intrång"}})
	assertNotFound(t, "a step in another municipality's form", resp, body)
	if n := dbInt(t, p, `SELECT count(*) FROM admin_event WHERE action LIKE 'form_%' AND eservice_id <> $1`, e.ID); n != 0 {
		t.Errorf("%d form changes recorded on other e-services", n)
	}
}

package eservice_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

// A document's checks, without a database: Import stores only what DecodeDocument accepts (the
// web tests run Import and Export against PostgreSQL).

func intp(n int) *int { return &n }

// validDocument is a small document that passes every check: an e-service with a condition and
// a file field, its own statuses and a message template.
func validDocument() eservice.Document {
	text := func(sv string) form.Text { return form.Text{"sv": sv} }
	return eservice.Document{
		Format:        eservice.DocumentFormat,
		FormatVersion: eservice.DocumentFormatVersion,
		Settings: eservice.DocumentSettings{
			Slug:        "ansokan-om-kanotplats",
			Title:       form.Text{"sv": "Ansökan om kanotplats", "en": "Apply for a canoe berth"},
			Description: text("Ansök om en plats för din kanot vid Mjörn."),
			Category:    "culture",
			Audience:    []string{"private", "association"},
			LoginRule:   eservice.LoginOptional, AnonymousAllowed: true,
			OnceOnly: eservice.OncePersonalNumber, OnceOnlyField: "applicant_number",
			Privacy: eservice.Privacy{Data: text("Namn och personnummer."), Purpose: text("Att fördela platserna."),
				LegalBasis: text("Allmänt intresse."), Controller: text("Kultur- och fritidsnämnden"), Retention: text("Två år.")},
			RetentionMonths: intp(24),
			NoticeTexts:     eservice.NoticeTexts{"case_submitted": text("Vi svarar inom en vecka.")},
		},
		Statuses: []eservice.DocumentStatus{
			{Key: "inkommen", Label: text("Inkommen"), Type: "submitted", HandlingDays: intp(5)},
			{Key: "kolista", Label: text("I kö"), Type: "in_progress"},
			{Key: "avslutat", Label: text("Avslutat"), Type: "closed"},
		},
		MessageTemplates: []eservice.DocumentTemplate{{Title: "Plats tilldelad", Body: "Du har fått plats nummer …"}},
		Definition: &form.Definition{Steps: []form.Step{
			{Key: "applicant", Title: text("Sökande"), Fields: []form.Field{
				{Key: "applicant_number", Type: form.PersonalNumber, Label: text("Personnummer"), Required: true},
				{Key: "member", Type: form.YesNo, Label: text("Är du medlem i en kanotklubb?"), Required: true},
				{Key: "club", Type: form.ShortText, Label: text("Vilken klubb?"),
					ShowIf: &form.Condition{Field: "member", Op: form.OpEquals, Value: "yes"}},
			}},
			{Key: "canoe", Title: text("Kanoten"), Fields: []form.Field{
				{Key: "photo", Type: form.File, Label: text("Foto av kanoten"),
					Upload: &form.Upload{MaxFiles: 2, MaxBytes: 5 << 20, Types: []string{"image/jpeg", "image/png"}}},
			}},
		}},
	}
}

func encode(t *testing.T, d eservice.Document) []byte {
	t.Helper()
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problems returns the paths and keys of the problems DecodeDocument finds.
func problems(t *testing.T, data []byte) []string {
	t.Helper()
	_, err := eservice.DecodeDocument(data)
	if err == nil {
		return nil
	}
	de, ok := eservice.AsDocumentErrors(err)
	if !ok {
		t.Fatalf("error without problems: %v", err)
	}
	var out []string
	for _, p := range de {
		out = append(out, p.Path+" "+p.Key)
	}
	return out
}

func TestDocumentRoundTrip(t *testing.T) {
	want := validDocument()
	data := encode(t, want)
	got, err := eservice.DecodeDocument(data)
	if err != nil {
		t.Fatalf("a valid document is refused: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded document differs (-exported +decoded):\n%s", diff)
	}
	for _, marker := range []string{`"format": "minasidor.eservice"`, `"formatVersion": 1`, `"settings": {`, `"retentionMonths": 24`, `"handlingDays": 5`} {
		if !strings.Contains(string(data), marker) {
			t.Errorf("the document lacks %s:\n%s", marker, data)
		}
	}
	for _, leak := range []string{"tenant", "\"id\"", "staff", "handler", "\"version\""} {
		if strings.Contains(strings.ToLower(string(data)), leak) {
			t.Errorf("the document has %q", leak)
		}
	}
}

// A form that is not finished yet (no steps, or a step without fields) may be shared, as the
// editor keeps one; so may an e-service with the least settings.
func TestDocumentUnfinishedFormAccepted(t *testing.T) {
	for name, edit := range map[string]func(*eservice.Document){
		"no steps": func(d *eservice.Document) {
			d.Definition = &form.Definition{Steps: []form.Step{}}
			d.Settings.OnceOnly, d.Settings.OnceOnlyField = eservice.OnceNone, ""
		},
		"no definition": func(d *eservice.Document) {
			d.Definition = nil
			d.Settings.OnceOnly = eservice.OnceNone
			d.Settings.OnceOnlyField = ""
		},
		"a step, no fields": func(d *eservice.Document) {
			d.Definition.Steps = append(d.Definition.Steps, form.Step{Key: "more", Title: form.Text{"sv": "Mer"}})
		},
		"least settings": func(d *eservice.Document) {
			d.Settings = eservice.DocumentSettings{Slug: "kort", Title: form.Text{"sv": "Kort"}, Category: "school",
				Audience: []string{"private"}, LoginRule: eservice.LoginRequired}
			d.MessageTemplates = nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			d := validDocument()
			edit(&d)
			if got := problems(t, encode(t, d)); got != nil {
				t.Errorf("refused: %v", got)
			}
		})
	}
}

// The signing rule travels with the document, and is checked as the signing page checks it.
func TestDocumentSigning(t *testing.T) {
	d := validDocument()
	d.Settings.LoginRule, d.Settings.AnonymousAllowed = eservice.LoginRequired, false
	d.Settings.OnceOnly, d.Settings.OnceOnlyField = eservice.OnceNone, ""
	d.Signing = &eservice.DocumentSigning{Applicant: true, CoSigners: eservice.CoSignPerson, Field: "applicant_number",
		RemindDays: 2, DeadlineDays: 10, AssociationCheck: true}
	data := encode(t, d)
	got, err := eservice.DecodeDocument(data)
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("decoded document differs (-exported +decoded):\n%s", diff)
	}
	if !strings.Contains(string(data), `"associationCheck": true`) {
		t.Errorf("the document lacks the association check:\n%s", data)
	}
	for name, tt := range map[string]struct {
		edit func(*eservice.Document)
		want []string
	}{
		"without login": {func(d *eservice.Document) { d.Settings.LoginRule = eservice.LoginOptional },
			[]string{"signing.applicant error.signing.rule.login"}},
		"a field that is not a personal number": {func(d *eservice.Document) { d.Signing.Field = "member" },
			[]string{"signing.field error.signing.rule.field"}},
		"jointly for private persons": {func(d *eservice.Document) { d.Signing.CoSigners = eservice.CoSignSignatory },
			[]string{"signing.coSigners error.signing.rule.organisation"}},
		"days": {func(d *eservice.Document) { d.Signing.RemindDays, d.Signing.DeadlineDays = 12, 10 },
			[]string{"signing.remindDays error.signing.rule.remindAfterDeadline"}},
		"an association check without associations": {func(d *eservice.Document) { d.Settings.Audience = []string{"private"} },
			[]string{"signing.associationCheck error.orgcheck.rule.audience"}},
	} {
		t.Run(name, func(t *testing.T) {
			bad := d
			sg := *d.Signing
			bad.Signing = &sg
			bad.Settings.Audience = slices.Clone(d.Settings.Audience)
			tt.edit(&bad)
			if diff := cmp.Diff(tt.want, problems(t, encode(t, bad))); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDocumentRefused(t *testing.T) {
	valid := string(encode(t, validDocument()))
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "  \n", []string{" error.exchange.empty"}},
		{"not JSON", "Det här är ingen e-tjänst", []string{" error.exchange.json"}},
		{"broken JSON", valid[:len(valid)/2], []string{" error.exchange.json"}},
		{"an array", "[1, 2]", []string{" error.exchange.notObject"}},
		{"trailing data", valid + "{}", []string{" error.exchange.trailing"}},
		{"too large", valid + strings.Repeat(" ", eservice.MaxDocumentBytes), []string{" error.exchange.tooLarge"}},
		{"unknown property", strings.Replace(valid, `"category"`, `"color": "red", "category"`, 1), []string{"color error.exchange.unknown"}},
		{"unknown property in the form", strings.Replace(valid, `"required": true`, `"mandatory": true`, 1), []string{"mandatory error.exchange.unknown"}},
		{"wrong type", strings.Replace(valid, `"retentionMonths": 24`, `"retentionMonths": "24"`, 1), []string{"settings.retentionMonths error.exchange.type"}},
		{"another format", strings.Replace(valid, `"minasidor.eservice"`, `"minasidor.case"`, 1), []string{"format error.exchange.format"}},
		{"no format, unknown properties", `{"municipality": "alingsas", "slug": "x"}`, []string{"format error.exchange.format"}},
		{"a later version", strings.Replace(valid, `"formatVersion": 1`, `"formatVersion": 2`, 1), []string{"formatVersion error.exchange.formatVersion"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, problems(t, []byte(tt.data))); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// Every setting, status and template is checked, and every problem is reported at once.
func TestDocumentProblems(t *testing.T) {
	tests := []struct {
		name string
		edit func(*eservice.Document)
		want []string
	}{
		{"slug", func(d *eservice.Document) { d.Settings.Slug = "Kanot Plats" }, []string{"settings.slug error.exchange.slug"}},
		{"title", func(d *eservice.Document) { d.Settings.Title = form.Text{"en": "Canoe"} }, []string{"settings.title.sv error.exchange.swedish"}},
		{"long title", func(d *eservice.Document) { d.Settings.Title["sv"] = strings.Repeat("å", 201) }, []string{"settings.title.sv error.exchange.tooLong"}},
		{"description in English only", func(d *eservice.Document) { d.Settings.Description = form.Text{"en": "Canoe"} }, []string{"settings.description.sv error.exchange.swedish"}},
		{"category", func(d *eservice.Document) { d.Settings.Category = "boats" }, []string{"settings.category error.exchange.category"}},
		{"no audience", func(d *eservice.Document) { d.Settings.Audience = nil }, []string{"settings.audience error.exchange.audienceMissing"}},
		{"audience", func(d *eservice.Document) { d.Settings.Audience = []string{"private", "tourist", "private"} },
			[]string{"settings.audience[1] error.exchange.audience", "settings.audience[2] error.exchange.audience"}},
		{"login rule", func(d *eservice.Document) { d.Settings.LoginRule = "bankid" }, []string{"settings.loginRule error.exchange.loginRule"}},
		{"anonymous with required login", func(d *eservice.Document) { d.Settings.LoginRule = eservice.LoginRequired },
			[]string{"settings.anonymousAllowed error.exchange.anonymous"}},
		{"once-only rule", func(d *eservice.Document) { d.Settings.OnceOnly = "ip_address" }, []string{"settings.onceOnly error.exchange.onceOnly"}},
		{"once-only field without rule", func(d *eservice.Document) { d.Settings.OnceOnly = eservice.OnceNone },
			[]string{"settings.onceOnlyField error.exchange.onceOnlyFieldAlone"}},
		{"once-only field of the wrong type", func(d *eservice.Document) { d.Settings.OnceOnlyField = "club" },
			[]string{"settings.onceOnlyField error.exchange.onceOnlyField"}},
		{"once-only field missing", func(d *eservice.Document) { d.Settings.OnceOnlyField = "nobody" },
			[]string{"settings.onceOnlyField error.exchange.onceOnlyField"}},
		{"once-only person without login", func(d *eservice.Document) { d.Settings.OnceOnlyField = "" },
			[]string{"settings.onceOnly error.exchange.onceOnlyLogin"}},
		{"external URL over http", func(d *eservice.Document) { d.Settings.ExternalURL = "http://boka.example.se" },
			[]string{"settings.externalUrl error.exchange.externalUrl"}},
		{"privacy text in English only", func(d *eservice.Document) { d.Settings.Privacy.Purpose = form.Text{"en": "To share"} },
			[]string{"settings.privacy.purpose.sv error.exchange.swedish"}},
		{"retention zero", func(d *eservice.Document) { d.Settings.RetentionMonths = intp(0) }, []string{"settings.retentionMonths error.exchange.retention"}},
		{"retention too long", func(d *eservice.Document) { d.Settings.RetentionMonths = intp(1201) }, []string{"settings.retentionMonths error.exchange.retention"}},
		{"notice kind", func(d *eservice.Document) { d.Settings.NoticeTexts["birthday"] = form.Text{"sv": "Grattis"} },
			[]string{"settings.noticeTexts.birthday error.exchange.noticeKind"}},
		{"status key", func(d *eservice.Document) { d.Statuses[1].Key = "I kö" }, []string{"statuses[1].key error.exchange.status.key"}},
		{"status key twice", func(d *eservice.Document) { d.Statuses[1].Key = "inkommen" }, []string{"statuses[1].key error.exchange.status.keyDuplicate"}},
		{"status label", func(d *eservice.Document) { d.Statuses[0].Label = form.Text{"en": "Received"} }, []string{"statuses[0].label error.exchange.status.label"}},
		{"status type", func(d *eservice.Document) { d.Statuses[1].Type = "sleeping" }, []string{"statuses[1].type error.exchange.status.type"}},
		{"handling days", func(d *eservice.Document) { d.Statuses[1].HandlingDays = intp(0) }, []string{"statuses[1].handlingDays error.exchange.status.handlingDays"}},
		{"no submitted or closed status", func(d *eservice.Document) { d.Statuses = d.Statuses[1:2] },
			[]string{"statuses error.exchange.status.missing", "statuses error.exchange.status.missing"}},
		{"template", func(d *eservice.Document) {
			d.MessageTemplates = append(d.MessageTemplates, eservice.DocumentTemplate{Title: " ", Body: ""})
		},
			[]string{"messageTemplates[1].title error.exchange.template.title", "messageTemplates[1].body error.exchange.template.body"}},
		{"definition", func(d *eservice.Document) {
			d.Definition.Steps[0].Fields[2].Key = "member"
			d.Definition.Steps[0].Fields[1].ShowIf = &form.Condition{Field: "photo", Op: form.OpEquals, Value: "x"}
		}, []string{
			"definition.steps[0].fields[1].showIf.field error.form.def.condition.order",
			"definition.steps[0].fields[2].key error.form.def.field.keyDuplicate",
		}},
		{"everything at once", func(d *eservice.Document) {
			d.Settings.Category = "boats"
			d.Statuses[0].Type = "new"
			d.Definition.Steps[1].Title = nil
		}, []string{
			"settings.category error.exchange.category",
			"statuses[0].type error.exchange.status.type",
			"statuses error.exchange.status.missing",
			"definition.steps[1].title error.form.def.step.title",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDocument()
			tt.edit(&d)
			if diff := cmp.Diff(tt.want, problems(t, encode(t, d))); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// A problem of the form names its step and field by their texts, for the admin.
func TestDocumentDefinitionProblemNamesStepAndField(t *testing.T) {
	d := validDocument()
	d.Definition.Steps[1].Fields[0].Upload.Types = []string{"video/mp4"}
	_, err := eservice.DecodeDocument(encode(t, d))
	de, ok := eservice.AsDocumentErrors(err)
	if !ok || len(de) != 1 {
		t.Fatalf("problems: %v", err)
	}
	p := de[0]
	if p.Step != "canoe" || p.Field != "photo" || p.StepTitle["sv"] != "Kanoten" || p.FieldLabel["sv"] != "Foto av kanoten" ||
		p.Key != "error.form.def.upload.type" || !cmp.Equal(p.Args, []any{"video/mp4"}) {
		t.Errorf("problem = %+v", p)
	}
}

// The texts are trimmed as the editor's pages trim them.
func TestDocumentTextsCleaned(t *testing.T) {
	d := validDocument()
	d.Settings.Title = form.Text{"sv": "  Ansökan om kanotplats ", "en": " "}
	d.MessageTemplates[0].Body = "Hej!\r\nDu har fått plats.\n"
	got, err := eservice.DecodeDocument(encode(t, d))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(form.Text{"sv": "Ansökan om kanotplats"}, got.Settings.Title); diff != "" {
		t.Errorf("title: %s", diff)
	}
	if got.MessageTemplates[0].Body != "Hej!\nDu har fått plats.\n" {
		t.Errorf("template body %q", got.MessageTemplates[0].Body)
	}
}

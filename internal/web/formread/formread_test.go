package formread

import (
	"errors"
	"math"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

func intp(n int) *int            { return &n }
func floatp(x float64) *float64  { return &x }
func sv(s string) form.Text      { return form.Text{"sv": s} }
func both(s, e string) form.Text { return form.Text{"sv": s, "en": e} }
func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestReadField(t *testing.T) {
	upload := &form.Upload{MaxFiles: 2, MaxBytes: 2621440, Types: []string{"application/pdf", "image/png"}}
	tests := []struct {
		name     string
		post     url.Values
		want     form.Field
		wantErrs apperr.FieldErrors
	}{
		{
			name: "a short text with its rules, trimmed",
			post: values("type", "short_text", "key", " regnr ", "label_sv", " Registreringsnummer ", "label_en", "Registration number",
				"help_sv", "Som ABC123", "required", "yes", "personal", "yes", "prefill", "yes", "min_length", "6", "max_length", "1 000",
				"pattern", " [A-Z]{3}[0-9]{3} ", "pattern_message_sv", "Skriv som ABC123", "min", "3"),
			want: form.Field{Key: "regnr", Type: form.ShortText, Label: both("Registreringsnummer", "Registration number"),
				Help: sv("Som ABC123"), Required: true, Personal: true, Prefill: true,
				Rules: form.Rules{MinLength: intp(6), MaxLength: intp(1000), Pattern: "[A-Z]{3}[0-9]{3}", PatternMessage: sv("Skriv som ABC123")}},
		},
		{
			name:     "a number with decimal commas and a minus sign; numbers that cannot be read are errors at their inputs",
			post:     values("type", "number", "key", "belopp", "label_sv", "Belopp", "min", "−1,5", "max", "tio", "integer", "yes"),
			want:     form.Field{Key: "belopp", Type: form.Number, Label: sv("Belopp"), Rules: form.Rules{Min: floatp(-1.5), Integer: true}},
			wantErrs: apperr.FieldErrors{{Field: "max", Key: "error.editor.number"}},
		},
		{
			name: "a multiple choice with options of one, two and three parts, and a condition",
			post: values("type", "multiple_choice", "key", "farg", "label_sv", "Färg", "options", "röd | Röd | Red\nblå | Blå\n\nGrön gräs\n",
				"min_choices", "1", "max_choices", "x", "show_if_field", "har_bil", "show_if_op", "equals", "show_if_value", " yes "),
			want: form.Field{Key: "farg", Type: form.MultipleChoice, Label: sv("Färg"),
				Options: []form.Option{{Value: "röd", Label: both("Röd", "Red")}, {Value: "blå", Label: sv("Blå")}, {Value: "gron_gras", Label: sv("Grön gräs")}},
				Rules:   form.Rules{MinChoices: intp(1)}, ShowIf: &form.Condition{Field: "har_bil", Op: form.OpEquals, Value: "yes"}},
			wantErrs: apperr.FieldErrors{{Field: "max_choices", Key: "error.editor.whole"}},
		},
		{
			name: "an option line of four parts",
			post: values("type", "dropdown", "key", "val", "label_sv", "Val", "options", "a | A | A | A"),
			want: form.Field{Key: "val", Type: form.Dropdown, Label: sv("Val")}, wantErrs: apperr.FieldErrors{{Field: "options", Key: "error.editor.optionLine"}},
		},
		{
			name: "a file's limits in MB, its types once",
			post: values("type", "file", "key", "bilaga", "label_sv", "Bilaga", "upload_max_files", "2", "upload_max_mb", "2,5",
				"upload_types", "application/pdf", "upload_types", "application/pdf", "upload_types", "image/png", "min_length", "3"),
			want: form.Field{Key: "bilaga", Type: form.File, Label: sv("Bilaga"), Upload: upload},
		},
		{
			name: "an information text is never required; a oneOf condition has a value a line",
			post: values("type", "info", "key", "", "help_sv", "Läs detta.", "required", "yes", "show_if_field", "typ", "show_if_op", "oneOf",
				"show_if_value", "a\n\n b \n"),
			want: form.Field{Type: form.Info, Label: form.Text{}, Help: sv("Läs detta."),
				ShowIf: &form.Condition{Field: "typ", Op: form.OpOneOf, Values: []string{"a", "b"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := ReadField(tt.post).Parse()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("field (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// A field written into its form reads back as the same field, in either language.
func TestFieldOfReadsBack(t *testing.T) {
	fields := []form.Field{
		{Key: "belopp", Type: form.Number, Label: both("Belopp", "Amount"), Help: sv("I kronor"), Required: true,
			Rules: form.Rules{Min: floatp(0.5), Max: floatp(10000), Integer: true}, ShowIf: &form.Condition{Field: "typ", Op: form.OpNotEquals, Value: "x"}},
		{Key: "val", Type: form.SingleChoice, Label: sv("Val"), Options: []form.Option{{Value: "a", Label: both("A", "Ay")}, {Value: "b", Label: sv("B")}},
			ShowIf: &form.Condition{Field: "typ", Op: form.OpOneOf, Values: []string{"a", "b"}}},
		{Key: "bilaga", Type: form.File, Label: sv("Bilaga"), Personal: true, Upload: &form.Upload{MaxFiles: 3, MaxBytes: 1 << 20, Types: []string{"image/jpeg"}}},
		{Key: "adress", Type: form.Address, Label: sv("Adress"), Prefill: true},
		{Key: "datum", Type: form.Date, Label: sv("Datum"), Rules: form.Rules{MinDate: "today", MaxDate: "today+30"}},
	}
	for _, lang := range []string{"sv", "en"} {
		for _, f := range fields {
			t.Run(lang+"/"+f.Key, func(t *testing.T) {
				in := FieldOf(f, lang)
				got, errs := in.Parse()
				if errs != nil {
					t.Fatalf("errors %v reading %+v", errs, in)
				}
				if diff := cmp.Diff(f, got); diff != "" {
					t.Errorf("read back (-want +got):\n%s", diff)
				}
			})
		}
	}
	if in := FieldOf(fields[0], "sv"); in.Min != "0,5" {
		t.Errorf("a Swedish minimum is %q, want 0,5", in.Min)
	}
}

func TestNewField(t *testing.T) {
	want := Field{Type: "file", MaxFiles: "1", MaxMB: "10", UploadTypes: []string{"application/pdf", "image/jpeg", "image/png"}, Cond: Condition{Op: form.OpEquals}}
	if diff := cmp.Diff(want, NewField(form.File)); diff != "" {
		t.Errorf("a new file field (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Field{Type: "short_text", Cond: Condition{Op: form.OpEquals}}, NewField(form.ShortText)); diff != "" {
		t.Errorf("a new short text (-want +got):\n%s", diff)
	}
	typed := Field{Type: "file", MaxMB: "3"}
	typed.WithUploadDefaults()
	if typed.MaxFiles != "" || typed.UploadTypes != nil {
		t.Errorf("defaults over typed limits: %+v", typed)
	}
}

func TestReadStep(t *testing.T) {
	post := values("key", " fordon ", "title_sv", " Fordonet ", "title_en", "", "intro_sv", "Om bilen.", "intro_en", "About the car.",
		"show_if_field", "har_bil", "show_if_value", "yes")
	want := form.Step{Key: "fordon", Title: sv("Fordonet"), Intro: both("Om bilen.", "About the car."),
		ShowIf: &form.Condition{Field: "har_bil", Op: form.OpEquals, Value: "yes"}}
	in := ReadStep(post)
	if diff := cmp.Diff(want, in.Parse()); diff != "" {
		t.Errorf("step (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, StepOf(want).Parse()); diff != "" {
		t.Errorf("StepOf read back (-want +got):\n%s", diff)
	}
	if got := ReadStep(url.Values{}).Parse(); got.Key != "" || got.Title != nil || got.ShowIf != nil {
		t.Errorf("an empty form: %+v", got)
	}
}

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want *float64
		ok   bool
	}{
		{"", nil, true}, {" 1 000,25 ", floatp(1000.25), true}, {"−3", floatp(-3), true}, {"+.5", floatp(0.5), true},
		{"1.000,5", nil, false}, {"1e3", nil, false}, {"ett", nil, false},
	} {
		got, ok := parseDecimal(tt.in)
		if ok != tt.ok || !cmp.Equal(got, tt.want) {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if n, ok := parseWhole("2,5"); ok || n != nil {
		t.Errorf("parseWhole(2,5) = %v, %v", n, ok)
	}
	if got := formatDecimal(floatp(math.Pi), "sv"); got != "3,141592653589793" {
		t.Errorf("formatDecimal in Swedish: %q", got)
	}
	if got := formatDecimal(floatp(2.5), "en"); got != "2.5" {
		t.Errorf("formatDecimal in English: %q", got)
	}
}

func TestInputs(t *testing.T) {
	for _, tt := range []struct {
		name string
		of   func(string) string
		rest string
		want string
	}{
		{"field key", FieldInput, ".key", "key"},
		{"field label", FieldInput, ".label", "label_sv"},
		{"an option", FieldInput, ".options[2].value", "options"},
		{"a rule", FieldInput, ".rules.minChoices", "min_choices"},
		{"an unknown rule", FieldInput, ".rules.colour", ""},
		{"upload size", FieldInput, ".upload.maxBytes", "upload_max_mb"},
		{"an upload type", FieldInput, ".upload.types[0]", "upload_types"},
		{"a condition's value", FieldInput, ".showIf.values[1]", "show_if_value"},
		{"a condition's field", FieldInput, ".showIf.field", "show_if_field"},
		{"a condition's operator", StepInput, ".showIf.op", "show_if_op"},
		{"step title", StepInput, ".title", "title_sv"},
		{"a step's fields", StepInput, ".fields", ""},
		{"new step key", NewStepInput, ".key", "new_step_key"},
		{"new step intro", NewStepInput, ".intro", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.of(tt.rest); got != tt.want {
				t.Errorf("input of %q = %q, want %q", tt.rest, got, tt.want)
			}
		})
	}
	if RuleInput("patternMessage") != "pattern_message_sv" || RuleInput("label") != "" {
		t.Errorf("RuleInput")
	}
}

func TestDirection(t *testing.T) {
	for _, tt := range []struct {
		word string
		want form.Direction
		err  error
	}{
		{"upp", form.Up, nil}, {"ner", form.Down, nil}, {"ned", 0, form.ErrCannotMove}, {"", 0, form.ErrCannotMove}, {"åt sidan", 0, form.ErrCannotMove},
	} {
		got, err := Direction(url.Values{"riktning": {tt.word}})
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Direction(%q) = %v, %v; want %v, %v", tt.word, got, err, tt.want, tt.err)
		}
	}
}

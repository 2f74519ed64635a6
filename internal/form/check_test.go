package form

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
)

// baseDefinition is a small valid definition that the Check tests break one way at a time.
func baseDefinition() *Definition {
	return &Definition{Steps: []Step{
		{Key: "first", Title: sv("Första"), Fields: []Field{
			{Key: "choice", Type: SingleChoice, Label: sv("Val"), Options: []Option{
				{Value: "a", Label: sv("A")}, {Value: "b", Label: sv("B")},
			}},
			{Key: "text", Type: ShortText, Label: sv("Text")},
		}},
		{Key: "second", Title: sv("Andra"), Fields: []Field{
			{Key: "num", Type: Number, Label: sv("Tal")},
			{Key: "when", Type: Date, Label: sv("Datum")},
			{Key: "many", Type: MultipleChoice, Label: sv("Flera"), Options: []Option{
				{Value: "x", Label: sv("X")}, {Value: "y", Label: sv("Y")},
			}},
			{Key: "doc", Type: File, Label: sv("Fil"), Upload: &Upload{MaxFiles: 1, MaxBytes: 1 << 20, Types: []string{"application/pdf", "image/png"}}},
			{Key: "yn", Type: YesNo, Label: sv("Ja eller nej")},
			{Key: "ok", Type: Consent, Label: sv("Samtycke")},
			{Key: "addr", Type: Address, Label: sv("Adress")},
			{Key: "long", Type: LongText, Label: sv("Lång text")},
		}},
	}}
}

func TestCheck(t *testing.T) {
	const f0 = "steps[0].fields[0]" // choice
	const f1 = "steps[0].fields[1]" // text
	const num = "steps[1].fields[0]"
	const when = "steps[1].fields[1]"
	const many = "steps[1].fields[2]"
	const doc = "steps[1].fields[3]"
	const long = "steps[1].fields[7]"
	tests := []struct {
		name   string
		change func(d *Definition)
		want   []string // "path key" without the prefix error.form.def.
	}{
		{"valid", func(d *Definition) {}, nil},
		{"no steps", func(d *Definition) { d.Steps = nil }, []string{"steps noSteps"}},
		{"step key empty", func(d *Definition) { d.Steps[0].Key = "" }, []string{"steps[0].key step.key"}},
		{"step key upper case", func(d *Definition) { d.Steps[0].Key = "First" }, []string{"steps[0].key step.key"}},
		{"step key too long", func(d *Definition) { d.Steps[0].Key = "a" + strings.Repeat("b", 41) }, []string{"steps[0].key step.key"}},
		{"step key longest", func(d *Definition) { d.Steps[0].Key = "a" + strings.Repeat("b", 40) }, nil},
		{"step key duplicate", func(d *Definition) { d.Steps[1].Key = "first" }, []string{"steps[1].key step.keyDuplicate"}},
		{"step key may equal a field key", func(d *Definition) { d.Steps[1].Key = "text" }, nil},
		{"step title not Swedish", func(d *Definition) { d.Steps[0].Title = Text{"en": "First"} }, []string{"steps[0].title step.title"}},
		{"step title blank", func(d *Definition) { d.Steps[0].Title = sv("  ") }, []string{"steps[0].title step.title"}},
		{"step without fields", func(d *Definition) { d.Steps[1].Fields = nil }, []string{"steps[1].fields step.noFields"}},
		{"field key invalid", func(d *Definition) { d.Steps[0].Fields[1].Key = "my-text" }, []string{f1 + ".key field.key"}},
		{"field key with dot", func(d *Definition) { d.Steps[0].Fields[1].Key = "a.b" }, []string{f1 + ".key field.key"}},
		{"field key duplicate in another step", func(d *Definition) { d.Steps[1].Fields[0].Key = "text" }, []string{num + ".key field.keyDuplicate"}},
		{"field type unknown", func(d *Definition) { d.Steps[0].Fields[1].Type = "textarea" }, []string{f1 + ".type field.type"}},
		{"field label missing", func(d *Definition) { d.Steps[0].Fields[1].Label = nil }, []string{f1 + ".label field.label"}},
		{"info with help only", func(d *Definition) {
			d.Steps[0].Fields[1] = Field{Key: "text", Type: Info, Help: sv("Läs detta")}
		}, nil},
		{"info without text", func(d *Definition) { d.Steps[0].Fields[1] = Field{Key: "text", Type: Info} }, []string{f1 + ".label field.infoText"}},
		{"info required", func(d *Definition) {
			d.Steps[0].Fields[1] = Field{Key: "text", Type: Info, Label: sv("Info"), Required: true}
		}, []string{f1 + ".required field.infoRequired"}},
		{"choice without options", func(d *Definition) { d.Steps[0].Fields[0].Options = nil }, []string{f0 + ".options options.missing"}},
		{"dropdown without options", func(d *Definition) {
			d.Steps[0].Fields[0].Type = Dropdown
			d.Steps[0].Fields[0].Options = []Option{}
		}, []string{f0 + ".options options.missing"}},
		{"options on yes_no", func(d *Definition) {
			d.Steps[1].Fields[4].Options = []Option{{Value: "yes", Label: sv("Ja")}}
		}, []string{"steps[1].fields[4].options options.notAllowed"}},
		{"options on address", func(d *Definition) {
			d.Steps[1].Fields[6].Options = []Option{{Value: "a", Label: sv("A")}}
		}, []string{"steps[1].fields[6].options options.notAllowed"}},
		{"option value empty", func(d *Definition) { d.Steps[0].Fields[0].Options[1].Value = "" }, []string{f0 + ".options[1].value option.value"}},
		{"option value untrimmed", func(d *Definition) { d.Steps[0].Fields[0].Options[1].Value = "b " }, []string{f0 + ".options[1].value option.value"}},
		{"option value duplicate", func(d *Definition) { d.Steps[0].Fields[0].Options[1].Value = "a" }, []string{f0 + ".options[1].value option.valueDuplicate"}},
		{"option label missing", func(d *Definition) { d.Steps[0].Fields[0].Options[0].Label = Text{"en": "A"} }, []string{f0 + ".options[0].label option.label"}},

		{"length rule on number", func(d *Definition) { d.Steps[1].Fields[0].Rules.MinLength = intp(1) }, []string{num + ".rules.minLength rule.notAllowed"}},
		{"pattern on long text", func(d *Definition) { d.Steps[1].Fields[7].Rules.Pattern = "a+" }, []string{long + ".rules.pattern rule.notAllowed"}},
		{"patternMessage on number", func(d *Definition) { d.Steps[1].Fields[0].Rules.PatternMessage = sv("x") }, []string{num + ".rules.patternMessage rule.notAllowed"}},
		{"min on text", func(d *Definition) { d.Steps[0].Fields[1].Rules.Min = floatp(1) }, []string{f1 + ".rules.min rule.notAllowed"}},
		{"max on date", func(d *Definition) { d.Steps[1].Fields[1].Rules.Max = floatp(1) }, []string{when + ".rules.max rule.notAllowed"}},
		{"integer on text", func(d *Definition) { d.Steps[0].Fields[1].Rules.Integer = true }, []string{f1 + ".rules.integer rule.notAllowed"}},
		{"minDate on number", func(d *Definition) { d.Steps[1].Fields[0].Rules.MinDate = "today" }, []string{num + ".rules.minDate rule.notAllowed"}},
		{"maxChoices on single choice", func(d *Definition) { d.Steps[0].Fields[0].Rules.MaxChoices = intp(1) }, []string{f0 + ".rules.maxChoices rule.notAllowed"}},
		{"minLength negative", func(d *Definition) { d.Steps[0].Fields[1].Rules.MinLength = intp(-1) }, []string{f1 + ".rules.minLength rule.negative"}},
		{"maxLength zero", func(d *Definition) { d.Steps[0].Fields[1].Rules.MaxLength = intp(0) }, []string{f1 + ".rules.maxLength rule.atLeastOne"}},
		{"maxLength over the short text limit", func(d *Definition) { d.Steps[0].Fields[1].Rules.MaxLength = intp(MaxShortTextLength + 1) }, []string{f1 + ".rules.maxLength rule.tooLarge"}},
		{"minLength over the short text limit", func(d *Definition) { d.Steps[0].Fields[1].Rules.MinLength = intp(MaxShortTextLength + 1) }, []string{f1 + ".rules.minLength rule.tooLarge"}},
		{"maxLength at the long text limit", func(d *Definition) { d.Steps[1].Fields[7].Rules.MaxLength = intp(MaxLongTextLength) }, nil},
		{"maxLength over the long text limit", func(d *Definition) { d.Steps[1].Fields[7].Rules.MaxLength = intp(MaxLongTextLength + 1) }, []string{long + ".rules.maxLength rule.tooLarge"}},
		{"minLength above maxLength", func(d *Definition) {
			d.Steps[0].Fields[1].Rules.MinLength = intp(5)
			d.Steps[0].Fields[1].Rules.MaxLength = intp(4)
		}, []string{f1 + ".rules.minLength rule.range"}},
		{"pattern does not compile", func(d *Definition) { d.Steps[0].Fields[1].Rules.Pattern = "[a-" }, []string{f1 + ".rules.pattern rule.pattern"}},
		{"pattern unbalanced", func(d *Definition) { d.Steps[0].Fields[1].Rules.Pattern = "a)|(b" }, []string{f1 + ".rules.pattern rule.pattern"}},
		{"pattern too long", func(d *Definition) { d.Steps[0].Fields[1].Rules.Pattern = strings.Repeat("a", maxPatternLength+1) }, []string{f1 + ".rules.pattern rule.patternTooLong"}},
		{"patternMessage without pattern", func(d *Definition) { d.Steps[0].Fields[1].Rules.PatternMessage = sv("Skriv rätt") }, []string{f1 + ".rules.patternMessage rule.patternMessageAlone"}},
		{"patternMessage without Swedish", func(d *Definition) {
			d.Steps[0].Fields[1].Rules.Pattern = "[0-9]+"
			d.Steps[0].Fields[1].Rules.PatternMessage = Text{"en": "Digits"}
		}, []string{f1 + ".rules.patternMessage rule.patternMessageSwedish"}},
		{"min above max", func(d *Definition) {
			d.Steps[1].Fields[0].Rules.Min = floatp(10)
			d.Steps[1].Fields[0].Rules.Max = floatp(9.5)
		}, []string{num + ".rules.min rule.range"}},
		{"min equals max", func(d *Definition) {
			d.Steps[1].Fields[0].Rules.Min = floatp(10)
			d.Steps[1].Fields[0].Rules.Max = floatp(10)
		}, nil},
		{"minDate word", func(d *Definition) { d.Steps[1].Fields[1].Rules.MinDate = "tomorrow" }, []string{when + ".rules.minDate rule.date"}},
		{"maxDate not a calendar date", func(d *Definition) { d.Steps[1].Fields[1].Rules.MaxDate = "2026-02-30" }, []string{when + ".rules.maxDate rule.date"}},
		{"minDate offset without number", func(d *Definition) { d.Steps[1].Fields[1].Rules.MinDate = "today+" }, []string{when + ".rules.minDate rule.date"}},
		{"date limits valid", func(d *Definition) {
			d.Steps[1].Fields[1].Rules.MinDate = "today-30"
			d.Steps[1].Fields[1].Rules.MaxDate = "2030-12-31"
		}, nil},
		{"relative minDate after maxDate", func(d *Definition) {
			d.Steps[1].Fields[1].Rules.MinDate = "today+10"
			d.Steps[1].Fields[1].Rules.MaxDate = "today"
		}, []string{when + ".rules.minDate rule.range"}},
		{"fixed minDate after maxDate", func(d *Definition) {
			d.Steps[1].Fields[1].Rules.MinDate = "2026-01-02"
			d.Steps[1].Fields[1].Rules.MaxDate = "2026-01-01"
		}, []string{when + ".rules.minDate rule.range"}},
		{"minChoices above the options", func(d *Definition) { d.Steps[1].Fields[2].Rules.MinChoices = intp(3) }, []string{many + ".rules.minChoices rule.minChoices"}},
		{"minChoices above maxChoices", func(d *Definition) {
			d.Steps[1].Fields[2].Rules.MinChoices = intp(2)
			d.Steps[1].Fields[2].Rules.MaxChoices = intp(1)
		}, []string{many + ".rules.minChoices rule.range"}},
		{"maxChoices zero", func(d *Definition) { d.Steps[1].Fields[2].Rules.MaxChoices = intp(0) }, []string{many + ".rules.maxChoices rule.atLeastOne"}},

		{"file without upload", func(d *Definition) { d.Steps[1].Fields[3].Upload = nil }, []string{doc + ".upload upload.missing"}},
		{"upload on text", func(d *Definition) {
			d.Steps[0].Fields[1].Upload = &Upload{MaxFiles: 1, MaxBytes: 1, Types: []string{"application/pdf"}}
		}, []string{f1 + ".upload upload.notAllowed"}},
		{"maxFiles zero", func(d *Definition) { d.Steps[1].Fields[3].Upload.MaxFiles = 0 }, []string{doc + ".upload.maxFiles upload.maxFiles"}},
		{"maxFiles too many", func(d *Definition) { d.Steps[1].Fields[3].Upload.MaxFiles = MaxUploadFiles + 1 }, []string{doc + ".upload.maxFiles upload.maxFiles"}},
		{"maxBytes zero", func(d *Definition) { d.Steps[1].Fields[3].Upload.MaxBytes = 0 }, []string{doc + ".upload.maxBytes upload.maxBytes"}},
		{"maxBytes 25 MiB", func(d *Definition) { d.Steps[1].Fields[3].Upload.MaxBytes = 25 << 20 }, nil},
		{"maxBytes over 25 MiB", func(d *Definition) { d.Steps[1].Fields[3].Upload.MaxBytes = 25<<20 + 1 }, []string{doc + ".upload.maxBytes upload.maxBytes"}},
		{"no upload types", func(d *Definition) { d.Steps[1].Fields[3].Upload.Types = nil }, []string{doc + ".upload.types upload.types"}},
		{"upload type not allowed", func(d *Definition) { d.Steps[1].Fields[3].Upload.Types[1] = "application/zip" }, []string{doc + ".upload.types[1] upload.type"}},
		{"upload type twice", func(d *Definition) { d.Steps[1].Fields[3].Upload.Types[1] = "application/pdf" }, []string{doc + ".upload.types[1] upload.typeDuplicate"}},

		{"condition valid", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: OpEquals, Value: "a"}
			d.Steps[1].ShowIf = &Condition{Field: "text", Op: OpNotEquals, Value: "nej"}
			d.Steps[1].Fields[1].ShowIf = &Condition{Field: "num", Op: OpOneOf, Values: []string{"1", "2,5"}}
			d.Steps[1].Fields[3].ShowIf = &Condition{Field: "many", Op: OpEquals, Value: "y"}
			d.Steps[1].Fields[6].ShowIf = &Condition{Field: "yn", Op: OpEquals, Value: "no"}
			d.Steps[1].Fields[7].ShowIf = &Condition{Field: "ok", Op: OpNotEquals, Value: "yes"}
		}, nil},
		{"condition operator unknown", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: "contains", Value: "a"}
		}, []string{f1 + ".showIf.op condition.op"}},
		{"equals without value", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: OpEquals}
		}, []string{f1 + ".showIf.value condition.value"}},
		{"notEquals with values", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: OpNotEquals, Value: "a", Values: []string{"b"}}
		}, []string{f1 + ".showIf.value condition.value"}},
		{"oneOf without values", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: OpOneOf, Value: "a"}
		}, []string{f1 + ".showIf.values condition.values"}},
		{"condition on unknown field", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "nothing", Op: OpEquals, Value: "a"}
		}, []string{f1 + ".showIf.field condition.field"}},
		{"condition on itself", func(d *Definition) {
			d.Steps[0].Fields[0].ShowIf = &Condition{Field: "choice", Op: OpEquals, Value: "a"}
		}, []string{f0 + ".showIf.field condition.order"}},
		{"condition on a later field of the step", func(d *Definition) {
			d.Steps[0].Fields[0].ShowIf = &Condition{Field: "text", Op: OpEquals, Value: "a"}
		}, []string{f0 + ".showIf.field condition.order"}},
		{"condition on a later step", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "yn", Op: OpEquals, Value: "yes"}
		}, []string{f1 + ".showIf.field condition.order"}},
		{"step condition on its own field", func(d *Definition) {
			d.Steps[1].ShowIf = &Condition{Field: "num", Op: OpEquals, Value: "1"}
		}, []string{"steps[1].showIf.field condition.stepOrder"}},
		{"first step with a condition", func(d *Definition) {
			d.Steps[0].ShowIf = &Condition{Field: "choice", Op: OpEquals, Value: "a"}
		}, []string{"steps[0].showIf.field condition.stepOrder"}},
		{"condition on a date", func(d *Definition) {
			d.Steps[1].Fields[2].ShowIf = &Condition{Field: "when", Op: OpEquals, Value: "2026-01-01"}
		}, []string{many + ".showIf.field condition.fieldType"}},
		{"condition on a file", func(d *Definition) {
			d.Steps[1].Fields[4].ShowIf = &Condition{Field: "doc", Op: OpEquals, Value: "x"}
		}, []string{"steps[1].fields[4].showIf.field condition.fieldType"}},
		{"condition value not an option", func(d *Definition) {
			d.Steps[0].Fields[1].ShowIf = &Condition{Field: "choice", Op: OpEquals, Value: "c"}
		}, []string{f1 + ".showIf.value condition.option"}},
		{"oneOf value not an option", func(d *Definition) {
			d.Steps[1].Fields[3].ShowIf = &Condition{Field: "many", Op: OpOneOf, Values: []string{"x", "z"}}
		}, []string{doc + ".showIf.values[1] condition.option"}},
		{"oneOf with an empty value", func(d *Definition) {
			d.Steps[1].ShowIf = &Condition{Field: "choice", Op: OpOneOf, Values: []string{""}}
		}, []string{"steps[1].showIf.values[0] condition.valueFormat"}},
		{"condition value untrimmed", func(d *Definition) {
			d.Steps[1].ShowIf = &Condition{Field: "text", Op: OpEquals, Value: " ja"}
		}, []string{"steps[1].showIf.value condition.valueFormat"}},
		{"yes_no value not yes or no", func(d *Definition) {
			d.Steps[1].Fields[5].ShowIf = &Condition{Field: "yn", Op: OpEquals, Value: "ja"}
		}, []string{"steps[1].fields[5].showIf.value condition.yesNo"}},
		{"consent value not yes", func(d *Definition) {
			d.Steps[1].Fields[6].ShowIf = &Condition{Field: "ok", Op: OpEquals, Value: "no"}
		}, []string{"steps[1].fields[6].showIf.value condition.consent"}},
		{"number value not a number", func(d *Definition) {
			d.Steps[1].Fields[1].ShowIf = &Condition{Field: "num", Op: OpEquals, Value: "ten"}
		}, []string{when + ".showIf.value condition.number"}},
		{"every problem is reported", func(d *Definition) {
			d.Steps[0].Title = nil
			d.Steps[0].Fields[1].Key = "Text"
			d.Steps[0].Fields[1].Rules.Min = floatp(1)
			d.Steps[1].Fields[3].Upload.MaxBytes = 0
			d.Steps[1].Fields[7].ShowIf = &Condition{Field: "zzz", Op: "is"}
		}, []string{
			"steps[0].title step.title",
			f1 + ".key field.key",
			f1 + ".rules.min rule.notAllowed",
			doc + ".upload.maxBytes upload.maxBytes",
			long + ".showIf.op condition.op",
			long + ".showIf.field condition.field",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := baseDefinition()
			tt.change(d)
			err := d.Check()
			var got []string
			if err != nil {
				des, ok := AsDefinitionErrors(err)
				if !ok {
					t.Fatalf("Check() = %v, not DefinitionErrors", err)
				}
				for _, de := range des {
					got = append(got, de.Path+" "+strings.TrimPrefix(de.Key, "error.form.def."))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check() problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckErrorDetails(t *testing.T) {
	d := baseDefinition()
	d.Steps[0].Fields[0].Options[1].Value = "a"
	d.Steps[1].Fields[3].Upload.Types[0] = "application/zip"
	err := d.Check()
	if got := apperr.KindOf(err); got != apperr.Invalid {
		t.Errorf("KindOf = %v, want invalid", got)
	}
	if !errors.Is(err, ErrDefinition) {
		t.Errorf("errors.Is(err, ErrDefinition) = false for %v", err)
	}
	des, _ := AsDefinitionErrors(err)
	want := DefinitionErrors{
		{Path: "steps[0].fields[0].options[1].value", Step: "first", Field: "choice", Key: "error.form.def.option.valueDuplicate", Args: []any{"a"}},
		{Path: "steps[1].fields[3].upload.types[0]", Step: "second", Field: "doc", Key: "error.form.def.upload.type", Args: []any{"application/zip"}},
	}
	if diff := cmp.Diff(want, des); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "steps[0].fields[0].options[1].value: error.form.def.option.valueDuplicate") {
		t.Errorf("Error() = %q", err.Error())
	}
	if _, ok := AsDefinitionErrors(errors.New("other")); ok {
		t.Error("AsDefinitionErrors of another error: ok")
	}
}

func TestUploadAccepts(t *testing.T) {
	u := &Upload{MaxFiles: 1, MaxBytes: 1, Types: []string{"application/pdf", "text/plain"}}
	for ct, want := range map[string]bool{
		"application/pdf":           true,
		"text/plain; charset=utf-8": true,
		"Application/PDF":           true,
		"image/png":                 false,
		"":                          false,
		"not a type":                false,
	} {
		if got := u.Accepts(ct); got != want {
			t.Errorf("Accepts(%q) = %v, want %v", ct, got, want)
		}
	}
	if (*Upload)(nil).Accepts("application/pdf") {
		t.Error("nil Upload accepts")
	}
}

// CheckDraft tolerates only what a form being built lacks for a while (steps, a step's fields),
// and reports the rest as Check does, with the same paths.
func TestCheckDraft(t *testing.T) {
	if err := (&Definition{}).CheckDraft(); err != nil {
		t.Errorf("a form without steps: %v", err)
	}
	d := baseDefinition()
	d.Steps = append(d.Steps, Step{Key: "third", Title: sv("Tredje"), Fields: []Field{}})
	if err := d.CheckDraft(); err != nil {
		t.Errorf("a form with an empty step: %v", err)
	}
	if de := definitionProblems(t, d.Check()); len(de) != 1 || de[0].Key != "error.form.def.step.noFields" || de[0].Step != "third" {
		t.Errorf("Check of the empty step: %v", de)
	}

	// The problems the issue names are reported while building, each pointing to its field.
	d.Steps[0].Fields[1].ShowIf = &Condition{Field: "num", Op: OpEquals, Value: "1"}                  // a later field
	d.Steps[1].Fields[1].ShowIf = &Condition{Field: "nowhere", Op: OpEquals, Value: "1"}              // a missing field
	d.Steps[1].Fields[2].Options = nil                                                                // a choice without options
	d.Steps[1].Fields = append(d.Steps[1].Fields, Field{Key: "num", Type: Number, Label: sv("Igen")}) // a duplicate key
	got := map[string]string{}
	for _, e := range definitionProblems(t, d.CheckDraft()) {
		got[e.Path] = e.Key
	}
	want := map[string]string{
		"steps[0].fields[1].showIf.field": "error.form.def.condition.order",
		"steps[1].fields[1].showIf.field": "error.form.def.condition.field",
		"steps[1].fields[2].options":      "error.form.def.options.missing",
		"steps[1].fields[8].key":          "error.form.def.field.keyDuplicate",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckDraft problems (-want +got):\n%s", diff)
	}
}

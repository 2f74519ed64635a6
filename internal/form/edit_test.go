package form

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
)

// editFixture is a form of three steps: a (a1, a2 shown when a1 is yes), b (shown when a1 is
// yes; b1) and c, still empty.
func editFixture() *Definition {
	return &Definition{Steps: []Step{
		{Key: "a", Title: sv("A"), Fields: []Field{
			{Key: "a1", Type: YesNo, Label: sv("A1")},
			{Key: "a2", Type: ShortText, Label: sv("A2"), ShowIf: &Condition{Field: "a1", Op: OpEquals, Value: "yes"}},
		}},
		{Key: "b", Title: sv("B"), ShowIf: &Condition{Field: "a1", Op: OpEquals, Value: "yes"}, Fields: []Field{
			{Key: "b1", Type: LongText, Label: sv("B1")},
		}},
		{Key: "c", Title: sv("C"), Fields: []Field{}},
	}}
}

// order writes the steps and fields of a definition as "a:a1,a2 b:b1 c:".
func order(d *Definition) string {
	var parts []string
	for _, s := range d.Steps {
		var keys []string
		for _, f := range s.Fields {
			keys = append(keys, f.Key)
		}
		parts = append(parts, s.Key+":"+strings.Join(keys, ","))
	}
	return strings.Join(parts, " ")
}

const fixtureOrder = "a:a1,a2 b:b1 c:"

// checkEdit compares the outcome of an edit with the wanted order, or the wanted error; a failed
// edit must leave the definition as it was.
func checkEdit(t *testing.T, d *Definition, err error, wantErr error, wantOrder string) {
	t.Helper()
	if wantErr != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("error %v, want %v", err, wantErr)
		}
		wantOrder = fixtureOrder
	} else if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if got := order(d); got != wantOrder {
		t.Errorf("order %q, want %q", got, wantOrder)
	}
}

func TestMoveField(t *testing.T) {
	tests := []struct {
		name string
		key  string
		dir  Direction
		want string
		err  error
	}{
		{"up within the step", "a2", Up, "a:a2,a1 b:b1 c:", nil},
		{"down within the step", "a1", Down, "a:a2,a1 b:b1 c:", nil},
		{"down from the last field to the next step", "a2", Down, "a:a1 b:a2,b1 c:", nil},
		{"up from the first field to the previous step", "b1", Up, "a:a1,a2,b1 b: c:", nil},
		{"down into an empty step", "b1", Down, "a:a1,a2 b: c:b1", nil},
		{"up from the start of the form", "a1", Up, "", ErrCannotMove},
		{"nowhere", "a1", 0, "", ErrCannotMove},
		{"more than one place", "a1", 2, "", ErrCannotMove},
		{"unknown field", "x", Down, "", ErrFieldNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := editFixture()
			checkEdit(t, d, d.MoveField(tt.key, tt.dir), tt.err, tt.want)
		})
	}
	t.Run("down past the end of the form", func(t *testing.T) {
		d := editFixture()
		d.Steps[2].Fields = []Field{{Key: "c1", Type: ShortText, Label: sv("C1")}}
		if err := d.MoveField("c1", Down); !errors.Is(err, ErrCannotMove) {
			t.Errorf("error %v, want %v", err, ErrCannotMove)
		}
		if got := order(d); got != "a:a1,a2 b:b1 c:c1" {
			t.Errorf("order %q after a refused move", got)
		}
	})
}

// Moving one place at a time reaches any order: a field goes from the end of the form to its
// start and back.
func TestMoveFieldThroughTheForm(t *testing.T) {
	d := editFixture()
	for range 3 {
		if err := d.MoveField("b1", Up); err != nil {
			t.Fatal(err)
		}
	}
	if got := order(d); got != "a:b1,a1,a2 b: c:" {
		t.Fatalf("at the start: %q", got)
	}
	for range 4 {
		if err := d.MoveField("b1", Down); err != nil {
			t.Fatal(err)
		}
	}
	if got := order(d); got != "a:a1,a2 b: c:b1" {
		t.Fatalf("at the end: %q", got)
	}
}

func TestMoveStep(t *testing.T) {
	tests := []struct {
		name string
		key  string
		dir  Direction
		want string
		err  error
	}{
		{"up", "b", Up, "b:b1 a:a1,a2 c:", nil},
		{"down", "a", Down, "b:b1 a:a1,a2 c:", nil},
		{"up from the first", "a", Up, "", ErrCannotMove},
		{"down from the last", "c", Down, "", ErrCannotMove},
		{"nowhere", "b", 0, "", ErrCannotMove},
		{"more than one place", "a", 2, "", ErrCannotMove},
		{"unknown step", "x", Down, "", ErrStepNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := editFixture()
			checkEdit(t, d, d.MoveStep(tt.key, tt.dir), tt.err, tt.want)
		})
	}
}

// definitionProblems returns the problems of an edit's error, which must be of kind Invalid.
func definitionProblems(t *testing.T, err error) DefinitionErrors {
	t.Helper()
	if apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("error %v is not of kind invalid", err)
	}
	de, ok := AsDefinitionErrors(err)
	if !ok {
		t.Fatalf("error %v has no definition problems", err)
	}
	return de
}

func TestAddStep(t *testing.T) {
	d := editFixture()
	if err := d.AddStep(Step{Key: "d", Title: sv("D")}); err != nil {
		t.Fatal(err)
	}
	if got := order(d); got != fixtureOrder+" d:" {
		t.Errorf("order %q", got)
	}
	if d.Steps[3].Fields == nil {
		t.Error("a new step's fields are nil: they would be stored as null")
	}
	err := d.AddStep(Step{Key: "b", Title: sv("Another B")})
	want := DefinitionErrors{{Path: "steps[4].key", Step: "b", Key: "error.form.def.step.keyDuplicate", Args: []any{"b"}}}
	if diff := cmp.Diff(want, definitionProblems(t, err)); diff != "" {
		t.Errorf("duplicate step key (-want +got):\n%s", diff)
	}
	if len(d.Steps) != 4 {
		t.Errorf("a refused step was added: %q", order(d))
	}
}

func TestUpdateStep(t *testing.T) {
	d := editFixture()
	cond := &Condition{Field: "a1", Op: OpNotEquals, Value: "no"}
	if err := d.UpdateStep("b", Step{Key: "bb", Title: sv("Bee"), Intro: sv("Om b"), ShowIf: cond, Fields: nil}); err != nil {
		t.Fatal(err)
	}
	if got := order(d); got != "a:a1,a2 bb:b1 c:" {
		t.Errorf("order %q: the step must keep its fields and place", got)
	}
	if s := d.Steps[1]; s.Title["sv"] != "Bee" || s.Intro["sv"] != "Om b" || s.ShowIf != cond {
		t.Errorf("step not updated: %+v", s)
	}
	// The same key again is no conflict with itself.
	if err := d.UpdateStep("bb", Step{Key: "bb", Title: sv("B")}); err != nil {
		t.Errorf("keeping the key: %v", err)
	}
	err := d.UpdateStep("bb", Step{Key: "c", Title: sv("B")})
	want := DefinitionErrors{{Path: "steps[1].key", Step: "c", Key: "error.form.def.step.keyDuplicate", Args: []any{"c"}}}
	if diff := cmp.Diff(want, definitionProblems(t, err)); diff != "" {
		t.Errorf("duplicate step key (-want +got):\n%s", diff)
	}
	if d.Steps[1].Key != "bb" {
		t.Error("a refused update changed the step")
	}
	if err := d.UpdateStep("x", Step{Key: "x"}); !errors.Is(err, ErrStepNotFound) {
		t.Errorf("unknown step: %v", err)
	}
}

func TestRemoveStep(t *testing.T) {
	d := editFixture()
	checkEdit(t, d, d.RemoveStep("b"), nil, "a:a1,a2 c:")
	d = editFixture()
	checkEdit(t, d, d.RemoveStep("x"), ErrStepNotFound, "")
}

func TestAddField(t *testing.T) {
	d := editFixture()
	if err := d.AddField("c", Field{Key: "c1", Type: Email, Label: sv("E-post")}); err != nil {
		t.Fatal(err)
	}
	if got := order(d); got != "a:a1,a2 b:b1 c:c1" {
		t.Errorf("order %q", got)
	}
	err := d.AddField("c", Field{Key: "a2", Type: Email, Label: sv("E-post")})
	want := DefinitionErrors{{Path: "steps[2].fields[1].key", Step: "c", Field: "a2", Key: "error.form.def.field.keyDuplicate", Args: []any{"a2"}}}
	if diff := cmp.Diff(want, definitionProblems(t, err)); diff != "" {
		t.Errorf("duplicate field key (-want +got):\n%s", diff)
	}
	if got := order(d); got != "a:a1,a2 b:b1 c:c1" {
		t.Errorf("a refused field was added: %q", got)
	}
	if err := d.AddField("x", Field{Key: "x1"}); !errors.Is(err, ErrStepNotFound) {
		t.Errorf("unknown step: %v", err)
	}
}

func TestUpdateField(t *testing.T) {
	d := editFixture()
	if err := d.UpdateField("a1", Field{Key: "har_barn", Type: YesNo, Label: sv("Har du barn?"), Required: true}); err != nil {
		t.Fatal(err)
	}
	if got := order(d); got != "a:har_barn,a2 b:b1 c:" {
		t.Errorf("order %q", got)
	}
	if got := d.Steps[0].Fields[1].ShowIf.Field; got != "har_barn" {
		t.Errorf("the field condition still refers to %q", got)
	}
	if got := d.Steps[1].ShowIf.Field; got != "har_barn" {
		t.Errorf("the step condition still refers to %q", got)
	}
	if err := d.Check(); err == nil || !strings.Contains(err.Error(), "noFields") || strings.Contains(err.Error(), "condition") {
		t.Errorf("after the rename only the empty step is a problem: %v", err)
	}

	err := d.UpdateField("b1", Field{Key: "a2", Type: LongText, Label: sv("B1")})
	want := DefinitionErrors{{Path: "steps[1].fields[0].key", Step: "b", Field: "a2", Key: "error.form.def.field.keyDuplicate", Args: []any{"a2"}}}
	if diff := cmp.Diff(want, definitionProblems(t, err)); diff != "" {
		t.Errorf("duplicate field key (-want +got):\n%s", diff)
	}
	if d.Steps[1].Fields[0].Key != "b1" {
		t.Error("a refused update changed the field")
	}
	if err := d.UpdateField("x", Field{Key: "x"}); !errors.Is(err, ErrFieldNotFound) {
		t.Errorf("unknown field: %v", err)
	}
}

func TestRemoveField(t *testing.T) {
	d := editFixture()
	checkEdit(t, d, d.RemoveField("b1"), nil, "a:a1,a2 b: c:")
	d = editFixture()
	checkEdit(t, d, d.RemoveField("x"), ErrFieldNotFound, "")

	// Removing a field that conditions use is left for the check to report, at the conditions.
	d = editFixture()
	if err := d.RemoveField("a1"); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range definitionProblems(t, d.CheckDraft()) {
		paths = append(paths, e.Path+" "+e.Key)
	}
	want := []string{"steps[0].fields[0].showIf.field error.form.def.condition.field", "steps[1].showIf.field error.form.def.condition.field"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestPaths(t *testing.T) {
	d := editFixture()
	for _, tt := range []struct{ got, want string }{
		{d.StepPath("b"), "steps[1]"},
		{d.StepPath("x"), ""},
		{d.FieldPath("b1"), "steps[1].fields[0]"},
		{d.FieldPath("a2"), "steps[0].fields[1]"},
		{d.FieldPath("x"), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}

func TestSuggestKey(t *testing.T) {
	d := editFixture()
	d.Steps[0].Fields = append(d.Steps[0].Fields, Field{Key: "barnets_namn"}, Field{Key: "barnets_namn_2"})
	long := strings.Repeat("Mycket lång etikett ", 5)
	tests := []struct {
		label, want string
	}{
		{"Förälderns namn", "foralderns_namn"},
		{"Barnets namn", "barnets_namn_3"},
		{"  Är du över 18 år?  ", "ar_du_over_18_ar"},
		{"Café & Crème-brûlée", "cafe_creme_brulee"},
		{"E-post", "e_post"},
		{"18 år eller äldre", "falt_18_ar_eller_aldre"},
		{"???", "falt"},
		{"", "falt"},
		{"A1", "a1_2"},
		{long, "mycket_lang_etikett_mycket_lang_etikett_m"},
	}
	for _, tt := range tests {
		got := d.SuggestFieldKey(tt.label)
		if got != tt.want {
			t.Errorf("SuggestFieldKey(%q) = %q, want %q", tt.label, got, tt.want)
		}
		if !keyPattern.MatchString(got) {
			t.Errorf("SuggestFieldKey(%q) = %q is not a valid key", tt.label, got)
		}
	}
	if got := d.SuggestStepKey("B"); got != "b_2" {
		t.Errorf("SuggestStepKey(B) = %q", got)
	}
	if got := d.SuggestStepKey("Om barnet"); got != "om_barnet" {
		t.Errorf("SuggestStepKey(Om barnet) = %q", got)
	}
	if got := d.SuggestStepKey(""); got != "steg" {
		t.Errorf("SuggestStepKey() = %q", got)
	}
	// A suffix on a long key still fits.
	d.Steps[0].Fields = append(d.Steps[0].Fields, Field{Key: "mycket_lang_etikett_mycket_lang_etikett_m"})
	if got := d.SuggestFieldKey(long); got != "mycket_lang_etikett_mycket_lang_etikett_2" || !keyPattern.MatchString(got) {
		t.Errorf("a long taken key: %q", got)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Ja, gärna": "ja_garna", "Övrigt": "ovrigt", " 3 st ": "3_st", "—": ""} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDraft(t *testing.T) {
	for _, ok := range []string{
		`{"steps": []}`,
		`{"steps": [{"key": "a", "title": {"sv": "A"}, "fields": []}]}`,
	} {
		if _, err := ParseDraft([]byte(ok)); err != nil {
			t.Errorf("ParseDraft(%s): %v", ok, err)
		}
		if _, err := Parse([]byte(ok)); err == nil {
			t.Errorf("Parse(%s) accepts an unfinished form", ok)
		}
	}
	if _, err := ParseDraft([]byte(`{"steps": [], "x": 1}`)); !errors.Is(err, ErrJSON) {
		t.Errorf("unknown property: %v", err)
	}
	if _, err := ParseDraft([]byte(`{"steps": []} {}`)); !errors.Is(err, ErrJSON) {
		t.Errorf("trailing data: %v", err)
	}
	_, err := ParseDraft([]byte(`{"steps": [{"key": "A", "title": {"sv": "A"}, "fields": []}]}`))
	if de := definitionProblems(t, err); len(de) != 1 || de[0].Key != "error.form.def.step.key" {
		t.Errorf("bad key: %v", err)
	}
}

func TestClone(t *testing.T) {
	d := editFixture()
	c := d.Clone()
	if diff := cmp.Diff(d, c); diff != "" {
		t.Fatalf("clone differs (-orig +clone):\n%s", diff)
	}
	c.Steps[0].Fields[1].ShowIf.Value = "no"
	c.Steps[0].Fields[0].Label["sv"] = "Ändrad"
	if d.Steps[0].Fields[1].ShowIf.Value != "yes" || d.Steps[0].Fields[0].Label["sv"] != "A1" {
		t.Error("changing the clone changed the original")
	}
	if c := (&Definition{}).Clone(); c.Steps == nil {
		t.Error("the clone of an empty form has nil steps")
	}
}

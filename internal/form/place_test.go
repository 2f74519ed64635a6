package form

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlaces(t *testing.T) {
	d := editFixture() // a:a1,a2 b:b1 c:
	for _, tt := range []struct {
		name string
		got  any
		want any
	}{
		{"StepIndex of the second step", d.StepIndex("b"), 1},
		{"StepIndex of no step", d.StepIndex("x"), -1},
		{"FieldIndex of a field", pair(d.FieldIndex("b1")), [2]int{1, 0}},
		{"FieldIndex of no field", pair(d.FieldIndex("x")), [2]int{-1, -1}},
		{"FieldsBefore the first field", d.FieldsBefore(0, 0), 0},
		{"FieldsBefore a field of the second step", d.FieldsBefore(1, 0), 2},
		{"FieldsBefore a new field at the end of the last step", d.FieldsBefore(2, 0), 3},
		{"StepPath", d.StepPath("c"), "steps[2]"},
		{"StepPath of no step", d.StepPath("x"), ""},
		{"FieldPath", d.FieldPath("a2"), "steps[0].fields[1]"},
		{"FieldPath of no field", d.FieldPath("x"), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func pair(i, j int) [2]int { return [2]int{i, j} }

func TestFieldsGone(t *testing.T) {
	keys := func(fields []Field) []string {
		var out []string
		for _, f := range fields {
			out = append(out, f.Key)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		edit func(*Definition) error
		want []string
	}{
		{"a step removed with its fields", func(d *Definition) error { return d.RemoveStep("a") }, []string{"a1", "a2"}},
		{"a field removed", func(d *Definition) error { return d.RemoveField("b1") }, []string{"b1"}},
		{"a field moved", func(d *Definition) error { return d.MoveField("b1", Up) }, nil},
		{"a field renamed", func(d *Definition) error {
			return d.UpdateField("a2", Field{Key: "a3", Type: ShortText, Label: sv("A3")})
		}, []string{"a2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := editFixture()
			after := d.Clone()
			if err := tt.edit(after); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, keys(d.FieldsGone(after))); diff != "" {
				t.Errorf("FieldsGone (-want +got):\n%s", diff)
			}
		})
	}
}

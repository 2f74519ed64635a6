package form

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChange(t *testing.T) {
	rename := Change{
		Edit: func(d *Definition) error { return d.UpdateField("a1", Field{Key: "a0", Type: YesNo, Label: sv("A0")}) },
		Item: func(d *Definition) string { return d.FieldPath("a0") },
	}
	// Removing a1 leaves the conditions on it (of a2 and of step b) without their field.
	remove := Change{Edit: func(d *Definition) error { return d.RemoveField("a1") }}
	missing := Change{Edit: func(d *Definition) error { return d.RemoveField("x") }}

	t.Run("Apply changes the definition and tells where the item is", func(t *testing.T) {
		d := editFixture()
		path, err := rename.Apply(d)
		if err != nil || path != "steps[0].fields[0]" {
			t.Fatalf("Apply: %q, %v", path, err)
		}
		if d.Steps[1].ShowIf.Field != "a0" {
			t.Errorf("the condition was not renamed: %+v", d.Steps[1].ShowIf)
		}
	})
	t.Run("Apply of a refused edit", func(t *testing.T) {
		d := editFixture()
		if path, err := missing.Apply(d); !errors.Is(err, ErrFieldNotFound) || path != "" {
			t.Errorf("Apply: %q, %v", path, err)
		}
	})
	t.Run("Try checks and leaves the definition as it was", func(t *testing.T) {
		d := editFixture()
		if path, err := rename.Try(d); err != nil || path != "steps[0].fields[0]" {
			t.Errorf("Try rename: %q, %v", path, err)
		}
		_, err := remove.Try(d)
		de, ok := AsDefinitionErrors(err)
		if !ok {
			t.Fatalf("Try remove: %v, want the problems of the conditions", err)
		}
		var paths []string
		for _, e := range de {
			paths = append(paths, e.Path)
		}
		if diff := cmp.Diff([]string{"steps[0].fields[0].showIf.field", "steps[1].showIf.field"}, paths); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if got := order(d); got != fixtureOrder || d.Steps[1].ShowIf.Field != "a1" {
			t.Errorf("Try changed the definition: %s", got)
		}
		if _, err := missing.Try(d); !errors.Is(err, ErrFieldNotFound) {
			t.Errorf("Try of a refused edit: %v", err)
		}
	})
}

func TestDefinitionErrorItem(t *testing.T) {
	for _, tt := range []struct{ path, item, rest string }{
		{"steps[1].fields[0].rules.min", "steps[1].fields[0]", ".rules.min"},
		{"steps[12].showIf.value", "steps[12]", ".showIf.value"},
		{"steps[0].fields[3]", "steps[0].fields[3]", ""},
		{"steps", "", "steps"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			item, rest := DefinitionError{Path: tt.path}.Item()
			if item != tt.item || rest != tt.rest {
				t.Errorf("Item() = %q, %q; want %q, %q", item, rest, tt.item, tt.rest)
			}
		})
	}
}

func TestSettingsAndConditionValues(t *testing.T) {
	if diff := cmp.Diff(Settings{Required: true, Length: true, Pattern: true, Prefill: true}, ShortText.Settings()); diff != "" {
		t.Errorf("short text (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Settings{Required: true, Prefill: true}, Address.Settings()); diff != "" {
		t.Errorf("address (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Settings{Required: true, Options: true, Choices: true}, MultipleChoice.Settings()); diff != "" {
		t.Errorf("multiple choice (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Settings{}, Info.Settings()); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		field Field
		want  []string
	}{
		{Field{Type: Dropdown, Options: []Option{{Value: "a"}, {Value: "b"}}}, []string{"a", "b"}},
		{Field{Type: YesNo}, []string{"yes", "no"}},
		{Field{Type: Consent}, []string{"yes"}},
		{Field{Type: Number}, nil},
	} {
		if diff := cmp.Diff(tt.want, tt.field.ConditionValues()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.field.Type, diff)
		}
	}
}

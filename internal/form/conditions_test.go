package form

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConditionHolds(t *testing.T) {
	tests := []struct {
		name string
		c    *Condition
		a    Answers
		want bool
	}{
		{"nil", nil, nil, true},
		{"equals", &Condition{Field: "f", Op: OpEquals, Value: "a"}, Answers{"f": {"a"}}, true},
		{"equals other", &Condition{Field: "f", Op: OpEquals, Value: "a"}, Answers{"f": {"b"}}, false},
		{"equals unanswered", &Condition{Field: "f", Op: OpEquals, Value: "a"}, Answers{}, false},
		{"equals trims the answer", &Condition{Field: "f", Op: OpEquals, Value: "a"}, Answers{"f": {" a "}}, true},
		{"equals is case sensitive", &Condition{Field: "f", Op: OpEquals, Value: "a"}, Answers{"f": {"A"}}, false},
		{"equals any ticked value", &Condition{Field: "f", Op: OpEquals, Value: "b"}, Answers{"f": {"a", "b"}}, true},
		{"oneOf", &Condition{Field: "f", Op: OpOneOf, Values: []string{"a", "b"}}, Answers{"f": {"b"}}, true},
		{"oneOf none", &Condition{Field: "f", Op: OpOneOf, Values: []string{"a", "b"}}, Answers{"f": {"c"}}, false},
		{"oneOf ticked", &Condition{Field: "f", Op: OpOneOf, Values: []string{"a", "b"}}, Answers{"f": {"c", "a"}}, true},
		{"notEquals", &Condition{Field: "f", Op: OpNotEquals, Value: "a"}, Answers{"f": {"b"}}, true},
		{"notEquals same", &Condition{Field: "f", Op: OpNotEquals, Value: "a"}, Answers{"f": {"a"}}, false},
		{"notEquals unanswered", &Condition{Field: "f", Op: OpNotEquals, Value: "a"}, Answers{}, true},
		{"notEquals none ticked equal", &Condition{Field: "f", Op: OpNotEquals, Value: "a"}, Answers{"f": {"b", "a"}}, false},
		{"unknown operator", &Condition{Field: "f", Op: "like", Value: "a"}, Answers{"f": {"a"}}, false},
		{"numbers compare as text", &Condition{Field: "f", Op: OpEquals, Value: "12.5"}, Answers{"f": {"12,5"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Holds(tt.a); got != tt.want {
				t.Errorf("Holds = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	d := richDefinition(t)
	base := func(extra Answers) Answers {
		a := Answers{"kind": {"company"}}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	tests := []struct {
		name    string
		a       Answers
		visible []string // keys expected visible among the conditional ones
		steps   []string
	}{
		{"company without permit", base(nil),
			[]string{"org", "note"}, []string{"applicant", "matter", "extra", "finish"}},
		{"company with permit and newsletter", base(Answers{"has_permit": {"yes"}, "newsletter": {"yes"}}),
			[]string{"org", "permit_no"}, []string{"applicant", "matter", "extra", "finish"}},
		{"private person: the step and fields depending on it are hidden", Answers{"kind": {"private"}, "has_permit": {"yes"}},
			[]string{"note"}, []string{"applicant", "matter", "finish"}},
		{"nothing answered", Answers{},
			[]string{"note"}, []string{"applicant", "matter", "finish"}},
		{"number compared by value", base(Answers{"amount": {"12,50"}}),
			[]string{"org", "note", "budget"}, []string{"applicant", "matter", "extra", "finish"}},
		{"number not equal", base(Answers{"amount": {"12"}}),
			[]string{"org", "note"}, []string{"applicant", "matter", "extra", "finish"}},
	}
	conditional := []string{"org", "permit_no", "note", "budget", "has_permit", "attachments"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vis := d.Visible(tt.a)
			var got []string
			for _, k := range conditional {
				if vis[k] && k != "has_permit" && k != "attachments" {
					got = append(got, k)
				}
			}
			if diff := cmp.Diff(tt.visible, got); diff != "" {
				t.Errorf("visible fields (-want +got):\n%s", diff)
			}
			extraShown := false
			var steps []string
			for _, s := range d.VisibleSteps(tt.a) {
				steps = append(steps, s.Key)
				extraShown = extraShown || s.Key == "extra"
			}
			if diff := cmp.Diff(tt.steps, steps); diff != "" {
				t.Errorf("VisibleSteps (-want +got):\n%s", diff)
			}
			// Every field of a hidden step is hidden.
			if vis["has_permit"] != extraShown || vis["attachments"] != extraShown {
				t.Errorf("fields of step extra visible = %v/%v, step shown = %v", vis["has_permit"], vis["attachments"], extraShown)
			}
			if !vis["name"] || vis["nope"] {
				t.Errorf("unconditional field name visible = %v, unknown = %v", vis["name"], vis["nope"])
			}
		})
	}
}

func TestVisibleTransitive(t *testing.T) {
	yn := func(key string, c *Condition) Field {
		return Field{Key: key, Type: YesNo, Label: sv(key), ShowIf: c}
	}
	d := &Definition{Steps: []Step{
		{Key: "one", Title: sv("Ett"), Fields: []Field{
			yn("a", nil),
			yn("b", &Condition{Field: "a", Op: OpEquals, Value: "yes"}),
			yn("c", &Condition{Field: "b", Op: OpEquals, Value: "yes"}),
			yn("d", &Condition{Field: "c", Op: OpNotEquals, Value: "yes"}),
		}},
		{Key: "two", Title: sv("Två"), ShowIf: &Condition{Field: "c", Op: OpEquals, Value: "yes"}, Fields: []Field{
			yn("e", nil),
		}},
		{Key: "three", Title: sv("Tre"), Fields: []Field{
			yn("f", &Condition{Field: "e", Op: OpNotEquals, Value: "yes"}),
		}},
	}}
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a    Answers
		want []string
	}{
		{"all yes", Answers{"a": {"yes"}, "b": {"yes"}, "c": {"yes"}, "e": {"yes"}}, []string{"a", "b", "c", "e"}},
		{"a no hides b, and so c and step two, even with answers", Answers{"a": {"no"}, "b": {"yes"}, "c": {"yes"}, "e": {"yes"}}, []string{"a"}},
		{"c no shows d and hides step two; notEquals on hidden e is false", Answers{"a": {"yes"}, "b": {"yes"}, "c": {"no"}}, []string{"a", "b", "c", "d"}},
		{"e no shows f", Answers{"a": {"yes"}, "b": {"yes"}, "c": {"yes"}, "e": {"no"}}, []string{"a", "b", "c", "e", "f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vis := d.Visible(tt.a)
			var got []string
			for _, s := range d.Steps {
				for _, f := range s.Fields {
					if vis[f.Key] {
						got = append(got, f.Key)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("visible (-want +got):\n%s", diff)
			}
		})
	}
}

// An unchecked definition with conditions on later or unknown fields hides those fields rather
// than failing.
func TestVisibleInvalidDefinition(t *testing.T) {
	d := &Definition{Steps: []Step{{Key: "s", Fields: []Field{
		{Key: "a", Type: YesNo, ShowIf: &Condition{Field: "b", Op: OpNotEquals, Value: "yes"}},
		{Key: "b", Type: YesNo, ShowIf: &Condition{Field: "b", Op: OpNotEquals, Value: "yes"}},
		{Key: "c", Type: YesNo, ShowIf: &Condition{Field: "zzz", Op: OpNotEquals, Value: "yes"}},
	}}}}
	want := map[string]bool{"a": false, "b": false, "c": false}
	if diff := cmp.Diff(want, d.Visible(Answers{})); diff != "" {
		t.Errorf("Visible (-want +got):\n%s", diff)
	}
}

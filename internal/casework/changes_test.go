package casework

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/form"
)

func TestChanges(t *testing.T) {
	def, err := form.Parse([]byte(`{"steps": [{"key": "s", "title": {"sv": "Steg"}, "fields": [
		{"key": "place", "type": "short_text", "label": {"sv": "Plats"}, "required": true},
		{"key": "kind", "type": "single_choice", "label": {"sv": "Typ"},
		 "options": [{"value": "a", "label": {"sv": "Lykta"}}, {"value": "b", "label": {"sv": "Stolpe"}}]},
		{"key": "note", "type": "long_text", "label": {"sv": "Övrigt"}}
	]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	before := form.Answers{"place": {"Kungsgatan 12"}, "kind": {"a"}, "note": {"Trasig"}}
	after := form.Answers{"place": {"Kungsgatan 14"}, "kind": {"a"}}
	got := Changes(def, before, after, "sv", nil)
	want := []Change{
		{Step: "Steg", Label: "Plats", Before: []string{"Kungsgatan 12"}, After: []string{"Kungsgatan 14"}},
		{Step: "Steg", Label: "Övrigt", Before: []string{"Trasig"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if got := Changes(def, before, before, "sv", nil); len(got) != 0 {
		t.Errorf("no change reported as %v", got)
	}
	added := Changes(def, form.Answers{"place": {"X"}}, form.Answers{"place": {"X"}, "kind": {"b"}}, "sv", nil)
	if len(added) != 1 || added[0].Label != "Typ" || added[0].After[0] != "Stolpe" || added[0].Before != nil {
		t.Errorf("added answer: %+v", added)
	}
}

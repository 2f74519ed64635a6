package casework

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
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

// A supplement's changes name files by their names, with those added and those taken away.
func TestSupplementsNameFiles(t *testing.T) {
	def, err := form.Parse([]byte(`{"steps": [{"key": "s", "title": {"sv": "Steg"}, "fields": [
		{"key": "place", "type": "short_text", "label": {"sv": "Plats"}, "required": true},
		{"key": "photos", "type": "file", "label": {"sv": "Bilder"}, "upload": {"maxFiles": 3, "maxBytes": 1000, "types": ["image/png"]}}
	]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	d := CaseworkerDossier{
		Dossier: Dossier{
			Version: eservice.Version{Definition: def},
			Files:   []File{{ID: a, Name: "a.png"}, {ID: b, Name: "b.pdf"}, {ID: c, Name: "c.jpg"}},
		},
		Revisions: []Revision{
			{Number: 1, Answers: form.Answers{"place": {"X"}, "photos": {a.String(), b.String()}}},
			{Number: 2, Answers: form.Answers{"place": {"X"}, "photos": {a.String(), c.String()}}, Request: "Byt bild."},
			{Number: 3, Answers: form.Answers{"place": {"Y"}, "photos": {a.String(), c.String()}}},
		},
	}
	got := d.Supplements("sv", nil)
	want := []Supplement{
		{Revision: 3, Changes: []Change{{Step: "Steg", Label: "Plats", Before: []string{"X"}, After: []string{"Y"}}}},
		{Revision: 2, Request: "Byt bild.", Changes: []Change{{Step: "Steg", Label: "Bilder", Files: true,
			Before: []string{"a.png", "b.pdf"}, After: []string{"a.png", "c.jpg"}, Added: []string{"c.jpg"}, Removed: []string{"b.pdf"}}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("supplements (-want +got):\n%s", diff)
	}
	if got := (CaseworkerDossier{Revisions: d.Revisions[:1], Dossier: d.Dossier}).Supplements("sv", nil); got != nil {
		t.Errorf("a case never supplemented has supplements: %v", got)
	}
}

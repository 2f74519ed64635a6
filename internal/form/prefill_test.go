package form

import "testing"

func TestPrefillOnlyOnPersonalFields(t *testing.T) {
	for typ, ok := range map[FieldType]bool{Address: true, PersonalNumber: true, Email: true, Phone: true, ShortText: true, LongText: false, Date: false} {
		d := &Definition{Steps: []Step{{Key: "s", Title: Text{"sv": "Steg"}, Fields: []Field{
			{Key: "f", Type: typ, Label: Text{"sv": "Fält"}, Prefill: true},
		}}}}
		errs, _ := AsDefinitionErrors(d.Check())
		refused := false
		for _, e := range errs {
			if e.Path == "steps[0].fields[0].prefill" && e.Key == "error.form.def.field.prefill" {
				refused = true
			}
		}
		if refused == ok {
			t.Errorf("prefill on %s: refused = %v, errors %v", typ, refused, errs)
		}
	}
}

package form

import "testing"

func TestFormatPhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"070-123 45 67", "070-123 45 67"},
		{"0701234567", "070-123 45 67"},
		{"+46701234567", "070-123 45 67"},
		{"+46 (0)70 123 45 67", "070-123 45 67"},
		{"0046701234567", "070-123 45 67"},
		{"0322-61 60 00", "0322616000"},
		{"+46322616000", "0322616000"},
		{"+47 12 34 56 78", "+4712345678"},
		{"inte ett nummer", "inte ett nummer"},
	} {
		if got := FormatPhone(tt.in); got != tt.want {
			t.Errorf("FormatPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The review (the draft's answers as typed) and the receipt and case page (the answers as
// stored) show a phone number the same way.
func TestSummaryShowsPhoneTheSameTypedOrStored(t *testing.T) {
	d := &Definition{Steps: []Step{{Key: "s", Title: Text{"sv": "S"}, Fields: []Field{
		{Key: "tel", Type: Phone, Label: Text{"sv": "Telefon"}},
		{Key: "kontakt", Type: Contact, Label: Text{"sv": "Kontakt"}},
	}}}}
	typed := Answers{"tel": {"070-123 45 67"}, "kontakt.name": {"Karin"}, "kontakt.phone": {"0701234567"}}
	stored := d.Normalize(typed)
	show := func(a Answers) []string {
		var out []string
		for _, it := range d.Summary(a, "sv", nil)[0].Items {
			out = append(out, it.Values...)
		}
		return out
	}
	a, b := show(typed), show(stored)
	if len(a) != len(b) {
		t.Fatalf("typed %q, stored %q", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("typed shows %q, stored %q", a[i], b[i])
		}
	}
	if a[0] != "070-123 45 67" {
		t.Errorf("the phone field shows %q", a[0])
	}
}

package form

import (
	"testing"
	"time"
)

// A booking field names a resource by its slug, and only a booking field does; its answer is a
// time "start/end", required like a choice, shown in Stockholm time.
func TestBookingField(t *testing.T) {
	def := func(f Field) *Definition {
		return &Definition{Steps: []Step{{Key: "tid", Title: sv("Tid"), Fields: []Field{f}}}}
	}
	booking := Field{Key: "tid", Type: Booking, Label: sv("Tid"), Required: true, Resource: "radgivning-bygglov"}
	if err := def(booking).Check(); err != nil {
		t.Fatalf("a booking field is refused: %v", err)
	}
	for name, tc := range map[string]struct {
		f   Field
		key string
	}{
		"no resource":         {Field{Key: "tid", Type: Booking, Label: sv("Tid")}, "error.form.def.field.resource"},
		"a resource's syntax": {Field{Key: "tid", Type: Booking, Label: sv("Tid"), Resource: "Rådgivning"}, "error.form.def.field.resource"},
		"a resource elsewhere": {Field{Key: "tid", Type: ShortText, Label: sv("Tid"), Resource: "radgivning-bygglov"},
			"error.form.def.field.resourceNotAllowed"},
	} {
		de, ok := AsDefinitionErrors(def(tc.f).Check())
		if !ok || len(de) != 1 || de[0].Key != tc.key || de[0].Path != "steps[0].fields[0].resource" {
			t.Errorf("%s: %v, want %s at the resource", name, de, tc.key)
		}
	}

	start := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC) // 03:00 in Stockholm, summer time from 02:00
	value := BookingValue(start, start.Add(30*time.Minute))
	if value != "2026-03-29T01:00:00Z/2026-03-29T01:30:00Z" {
		t.Errorf("BookingValue = %q", value)
	}
	if s, e, ok := ParseBookingValue(value); !ok || !s.Equal(start) || !e.Equal(start.Add(30*time.Minute)) {
		t.Errorf("ParseBookingValue(%q) = %s, %s, %v", value, s, e, ok)
	}
	for _, bad := range []string{"", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z/2026-03-29T01:00:00Z", "igår/idag"} {
		if _, _, ok := ParseBookingValue(bad); ok {
			t.Errorf("ParseBookingValue(%q) is a time", bad)
		}
	}

	d := def(booking)
	for answer, want := range map[string]string{"": KeyRequiredTime, "kl. 9": KeyTime, value: ""} {
		a := Answers{}
		if answer != "" {
			a["tid"] = []string{answer}
		}
		if got := d.CheckStep("tid", a, testNow).For("tid"); got != want {
			t.Errorf("CheckStep(%q) = %q, want %q", answer, got, want)
		}
	}
	sum := d.Summary(Answers{"tid": {value}}, "sv", nil)
	if item := sum[0].Items[0]; item.Values[0] != "2026-03-29 03:00–03:30" || item.Raw[0] != value {
		t.Errorf("the summary of a booked time: %+v", item)
	}
}

package form

import (
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInputNames(t *testing.T) {
	tests := []struct {
		f    Field
		want []string
	}{
		{Field{Key: "t", Type: ShortText}, []string{"t"}},
		{Field{Key: "m", Type: MultipleChoice}, []string{"m"}},
		{Field{Key: "f", Type: File}, []string{"f"}},
		{Field{Key: "i", Type: Info}, nil},
		{Field{Key: "addr", Type: Address}, []string{"addr.street", "addr.care_of", "addr.postal_code", "addr.city"}},
		{Field{Key: "who", Type: Contact}, []string{"who.name", "who.email", "who.phone"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.f.Type), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.f.InputNames()); diff != "" {
				t.Errorf("InputNames (-want +got):\n%s", diff)
			}
		})
	}
	d := richDefinition(t)
	s, _ := d.Step("extra")
	if diff := cmp.Diff([]string{"has_permit", "permit_no", "attachments"}, s.InputNames()); diff != "" {
		t.Errorf("Step.InputNames (-want +got):\n%s", diff)
	}
}

func TestCollect(t *testing.T) {
	d := richDefinition(t)
	applicant, _ := d.Step("applicant")
	matter, _ := d.Step("matter")
	extra, _ := d.Step("extra")
	tests := []struct {
		name string
		step Step
		form url.Values
		want Answers
	}{
		{"trims, drops blanks and unknown inputs", applicant, url.Values{
			"name":             {"  Anna  "},
			"pnr":              {""},
			"contact.email":    {" anna@example.se "},
			"addr.postal_code": {"123 45", "999 99"},
			"addr.city":        {"   "},
			"kind":             {"company"}, // not in this step
			"csrf":             {"token"},
		}, Answers{
			"name":             {"Anna"},
			"contact.email":    {"anna@example.se"},
			"addr.postal_code": {"123 45"},
		}},
		{"multiple choice keeps every ticked value once", matter, url.Values{
			"topics": {"a", "", "c", "a"},
			"area":   {"", "north"},
		}, Answers{
			"topics": {"a", "c"},
			"area":   {"north"},
		}},
		{"line breaks and control characters", matter, url.Values{
			"description": {"Rad ett\r\nRad två\r\tslut\x00"},
			"ref":         {"AB\n12\x0034"},
			"amount":      {"12\xff"},
		}, Answers{
			"description": {"Rad ett\nRad två\n\tslut"},
			"ref":         {"AB 1234"},
			"amount":      {"12\xff"}, // kept, for the check to refuse
		}},
		{"file fields are skipped", extra, url.Values{
			"has_permit":  {"yes"},
			"attachments": {"id1"},
		}, Answers{"has_permit": {"yes"}}},
		{"nothing posted", extra, nil, Answers{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.step.Collect(tt.form)); diff != "" {
				t.Errorf("Collect (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrune(t *testing.T) {
	d := richDefinition(t)
	a := Answers{
		"name":        {"Anna"},
		"kind":        {"private"},
		"org":         {"556036-0793"}, // hidden for a private person
		"has_permit":  {"yes"},         // hidden step
		"attachments": {"id1"},         // hidden step
		"unknown":     {"x"},
		"about":       {"info has no input"},
		"addr.street": {"Storgatan 1"},
		"addr.floor":  {"3"},
		"email":       {},
		"newsletter":  {"yes"},
		"note":        {"hidden when newsletter is yes"},
	}
	before := cloneAnswers(a)
	want := Answers{
		"name":        {"Anna"},
		"kind":        {"private"},
		"addr.street": {"Storgatan 1"},
		"newsletter":  {"yes"},
	}
	got := d.Prune(a)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Prune (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, a); diff != "" {
		t.Errorf("Prune modified its argument:\n%s", diff)
	}
	got["name"][0] = "changed"
	if a["name"][0] != "Anna" {
		t.Error("Prune shares value slices with its argument")
	}
}

func TestRemovePersonal(t *testing.T) {
	d := richDefinition(t)
	a := richAnswers()
	a["email"] = []string{"anna@example.se"}
	a["phone"] = []string{"0701234567"}
	a["note"] = []string{"Ring mig på kvällen"}
	a["unknown"] = []string{"x"}
	before := cloneAnswers(a)
	got := d.RemovePersonal(a)
	want := richAnswers()
	for _, k := range []string{"pnr", "contact.name", "contact.email", "contact.phone"} {
		delete(want, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RemovePersonal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, a); diff != "" {
		t.Errorf("RemovePersonal modified its argument:\n%s", diff)
	}
	for _, f := range []Field{
		{Type: Contact}, {Type: PersonalNumber}, {Type: Email}, {Type: Phone}, {Type: LongText, Personal: true},
	} {
		if !f.IsPersonal() {
			t.Errorf("%+v: IsPersonal false", f)
		}
	}
	for _, f := range []Field{{Type: Address}, {Type: ShortText}, {Type: File}, {Type: OrgNumber}} {
		if f.IsPersonal() {
			t.Errorf("%+v: IsPersonal true", f)
		}
	}
}

func TestNormalize(t *testing.T) {
	d := richDefinition(t)
	a := Answers{
		"name":             {"  Anna "},
		"pnr":              {"121212-1212"},
		"contact.email":    {" anna@example.se "},
		"contact.phone":    {"070-123 45 67"},
		"addr.postal_code": {"12345"},
		"phone":            {"+46 (0)70 123 45 67"},
		"org":              {"16556036-0793"},
		"amount":           {"1 000,50"},
		"children":         {"+007"},
		"budget":           {"-0,0"},
		"topics":           {" a", "", "c "},
		"email":            {" "},
		"description":      {"  rad\nrad  "},
		"unknown":          {"  kept as is "},
		"ref":              {"invalid stays"},
	}
	invalid := Answers{
		"pnr":              {"19121212-1213"},
		"phone":            {"12"},
		"org":              {"556036-0794"},
		"addr.postal_code": {"1234"},
		"amount":           {"tolv"},
		"contact.phone":    {"x"},
	}
	want := Answers{
		"name":             {"Anna"},
		"pnr":              {"201212121212"}, // the latest year ending in 12
		"contact.email":    {"anna@example.se"},
		"contact.phone":    {"+46701234567"},
		"addr.postal_code": {"123 45"},
		"phone":            {"+46701234567"},
		"org":              {"5560360793"},
		"amount":           {"1000.50"},
		"children":         {"7"},
		"budget":           {"0.0"},
		"topics":           {"a", "c"},
		"description":      {"rad\nrad"},
		"unknown":          {"  kept as is "},
		"ref":              {"invalid stays"},
	}
	before := cloneAnswers(a)
	got := d.normalizeAt(a, testNow)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, a); diff != "" {
		t.Errorf("Normalize modified its argument:\n%s", diff)
	}
	if diff := cmp.Diff(want, d.normalizeAt(got, testNow)); diff != "" {
		t.Errorf("Normalize is not idempotent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(invalid, d.Normalize(invalid)); diff != "" {
		t.Errorf("Normalize changed invalid values (-want +got):\n%s", diff)
	}
	// The normalized answers are still valid.
	all := richAnswers()
	if errs := d.CheckAll(d.Normalize(all), testNow); len(errs) != 0 {
		t.Errorf("CheckAll(Normalize(valid)) = %v", errs)
	}
}

func TestPhoneNumber(t *testing.T) {
	for in, want := range map[string]string{
		"070-123 45 67":       "+46701234567",
		"08-123 456 78":       "+46812345678",
		"+46 70 123 45 67":    "+46701234567",
		"+46 (0)70-123 45 67": "+46701234567",
		"0046 70 123 45 67":   "+46701234567",
		"+1 (202) 555-0100":   "+12025550100",
		"+358 40 123 4567":    "+358401234567",
		"+46701234567":        "+46701234567",
	} {
		got, ok := normalizePhone(in)
		if !ok || got != want {
			t.Errorf("normalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "00", "+", "112", "070-ABC", "+4600701234567", "+0701234567", "070 123 45 67 89 01 23"} {
		if got, ok := normalizePhone(in); ok {
			t.Errorf("normalizePhone(%q) = %q, ok", in, got)
		}
	}
}

func cloneAnswers(a Answers) Answers {
	out := Answers{}
	for k, v := range a {
		out[k] = slices.Clone(v)
	}
	return out
}

// FieldsOfType gives the fields of one type across the steps, in form order.
func TestFieldsOfType(t *testing.T) {
	d := &Definition{Steps: []Step{
		{Key: "a", Fields: []Field{{Key: "namn", Type: ShortText}, {Key: "bilaga", Type: File}}},
		{Key: "b", Fields: []Field{{Key: "intyg", Type: File}, {Key: "tid", Type: Booking}}},
	}}
	var keys []string
	for _, f := range d.FieldsOfType(File) {
		keys = append(keys, f.Key)
	}
	if !slices.Equal(keys, []string{"bilaga", "intyg"}) {
		t.Errorf("file fields %v, want bilaga, intyg", keys)
	}
	if got := d.FieldsOfType(Number); len(got) != 0 {
		t.Errorf("number fields %v, want none", got)
	}
}

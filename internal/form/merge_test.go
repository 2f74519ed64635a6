package form

import (
	"maps"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/minasidor/minasidor/internal/apperr"
)

// mergeDefinition has a first step whose answer hides a field of the second, and a second step
// with every kind of input, a field whose condition is on the same step, and a file field; the
// third step has a text and a file field of its own.
func mergeDefinition() *Definition {
	upload := &Upload{MaxFiles: 3, MaxBytes: 1 << 20, Types: []string{"application/pdf"}}
	return &Definition{Steps: []Step{
		{Key: "start", Title: sv("Start"), Fields: []Field{
			{Key: "pets", Type: YesNo, Label: sv("Har du husdjur?")},
		}},
		{Key: "about", Title: sv("Om dig"), Fields: []Field{
			{Key: "name", Type: ShortText, Label: sv("Namn")},
			{Key: "story", Type: LongText, Label: sv("Berätta")},
			{Key: "kind", Type: SingleChoice, Label: sv("Boende"), Options: []Option{{Value: "house", Label: sv("Hus")}, {Value: "other", Label: sv("Annat")}}},
			{Key: "other_kind", Type: ShortText, Label: sv("Vilket?"), ShowIf: &Condition{Field: "kind", Op: OpEquals, Value: "other"}},
			{Key: "colours", Type: MultipleChoice, Label: sv("Färger"), Options: []Option{{Value: "red", Label: sv("Röd")}, {Value: "blue", Label: sv("Blå")}}},
			{Key: "agree", Type: Consent, Label: sv("Jag godkänner")},
			{Key: "addr", Type: Address, Label: sv("Adress")},
			{Key: "pet_name", Type: ShortText, Label: sv("Djurets namn"), ShowIf: &Condition{Field: "pets", Op: OpEquals, Value: "yes"}},
			{Key: "pet_photo", Type: File, Label: sv("Foto på djuret"), Upload: upload, ShowIf: &Condition{Field: "pets", Op: OpEquals, Value: "yes"}},
			{Key: "note", Type: Info, Help: sv("Tänk på att svara sant.")},
			{Key: "certificate", Type: File, Label: sv("Intyg"), Upload: upload},
		}},
		{Key: "more", Title: sv("Mer"), Fields: []Field{
			{Key: "extra", Type: ShortText, Label: sv("Övrigt")},
			{Key: "appendix", Type: File, Label: sv("Bilaga"), Upload: upload},
		}},
	}}
}

func TestMergeStep(t *testing.T) {
	d := mergeDefinition()
	about, _ := d.Step("about")
	// stored are the answers before the post: the first step says there are pets, the second
	// step was saved once, the third has answers of its own.
	stored := Answers{
		"pets":            {"yes"},
		"name":            {"Anna"},
		"story":           {"Förra gången."},
		"kind":            {"house"},
		"colours":         {"red", "blue"},
		"agree":           {"yes"},
		"addr.street":     {"Storgatan 1"},
		"addr.city":       {"Småstad"},
		"pet_name":        {"Misse"},
		"pet_photo":       {"photo-1"},
		"certificate":     {"file-1", "file-2"},
		"extra":           {"Annat steg"},
		"appendix":        {"file-9"},
		"not_in_the_form": {"kept"},
	}
	// unchanged is a post of the page as it was shown, with the stored files.
	unchanged := url.Values{
		"name": {"Anna"}, "story": {"Förra gången."}, "kind": {"house"}, "colours": {"red", "blue"}, "agree": {"yes"},
		"addr.street": {"Storgatan 1"}, "addr.city": {"Småstad"}, "pet_name": {"Misse"},
	}
	storedFiles := Answers{"pet_photo": {"photo-1"}, "certificate": {"file-1", "file-2"}, "appendix": {"file-9"}}
	with := changed[Answers]
	post := func(changes url.Values, removed ...string) url.Values { return changed(unchanged, changes, removed...) }

	// kept is the outcome of a post whose answers are all stored.
	kept := func(a Answers) MergedStep { return MergedStep{Answers: a, Keep: a} }

	tests := []struct {
		name   string
		stored Answers
		posted url.Values
		files  Answers
		want   MergedStep
	}{
		{
			name: "the page posted as it was shown changes nothing", stored: stored, posted: unchanged, files: storedFiles,
			want: kept(stored),
		},
		{
			name: "text is replaced, cleaned and trimmed; a cleared text has no answer", stored: stored,
			posted: post(url.Values{"name": {"  Anna\tBerg \x07"}, "story": {"Rad ett\r\nRad två  "}, "addr.street": {"   "}}),
			files:  storedFiles,
			want:   kept(with(stored, Answers{"name": {"Anna Berg"}, "story": {"Rad ett\nRad två"}}, "addr.street")),
		},
		{
			name: "a choice is replaced and keeps its first value", stored: stored,
			posted: post(url.Values{"kind": {"other", "house"}, "other_kind": {"Husbåt"}}), files: storedFiles,
			want: kept(with(stored, Answers{"kind": {"other"}, "other_kind": {"Husbåt"}})),
		},
		{
			name: "a multiple choice keeps every ticked value once; unticked boxes are cleared", stored: stored,
			posted: post(url.Values{"colours": {"blue", "blue"}}, "agree"), files: storedFiles,
			want: kept(with(stored, Answers{"colours": {"blue"}}, "agree")),
		},
		{
			name: "no box ticked clears a multiple choice", stored: stored, posted: post(nil, "colours"), files: storedFiles,
			want: kept(with(stored, nil, "colours")),
		},
		{
			name: "a field whose condition is on the same step takes what was posted, whether it holds or not", stored: stored,
			posted: post(url.Values{"other_kind": {"Husbåt"}}), files: storedFiles,
			want: kept(with(stored, Answers{"other_kind": {"Husbåt"}})),
		},
		{
			name:   "fields hidden by an earlier step keep their answers and files, whatever was posted",
			stored: with(stored, Answers{"pets": {"no"}}),
			posted: post(url.Values{"pet_name": {"Fido"}, "pet_photo": {"forged"}}),
			files:  storedFiles,
			want:   kept(with(stored, Answers{"pets": {"no"}})),
		},
		{
			name: "a shown field left out of the post is cleared", stored: stored, posted: post(nil, "pet_name"), files: storedFiles,
			want: kept(with(stored, nil, "pet_name")),
		},
		{
			name: "file fields take their files after the post: one removed, one added", stored: stored,
			posted: post(url.Values{"certificate": {"forged"}}),
			files:  Answers{"pet_photo": {"photo-1"}, "certificate": {"file-2", "file-3"}, "appendix": {"file-9"}},
			want:   kept(with(stored, Answers{"certificate": {"file-2", "file-3"}})),
		},
		{
			name: "a file field without files has no answer; other steps' files are kept", stored: stored, posted: unchanged,
			files: Answers{"pet_photo": {"photo-1"}},
			want:  kept(with(stored, nil, "certificate")),
		},
		{
			name: "other steps' answers are kept, and not taken from the post", stored: stored,
			posted: post(url.Values{"extra": {"Smugglat"}, "pets": {"no"}, "appendix": {"forged"}}), files: storedFiles,
			want: kept(stored),
		},
		{
			name: "text that is not valid UTF-8 is checked but not kept", stored: stored,
			posted: post(url.Values{"story": {"G\xf6tgatan"}, "addr.city": {"\xff"}}), files: storedFiles,
			want: MergedStep{
				Answers:    with(stored, Answers{"story": {"G\xf6tgatan"}, "addr.city": {"\xff"}}),
				Keep:       with(stored, nil, "story", "addr.city"),
				Unreadable: apperr.FieldErrors{{Field: "story", Key: KeyEncoding}, {Field: "addr.city", Key: KeyEncoding}},
			},
		},
		{
			name: "the first post of a step, with nothing stored", stored: nil,
			posted: url.Values{"name": {"Anna"}, "colours": {"red"}, "pet_name": {"Fido"}}, files: Answers{},
			want: kept(Answers{"name": {"Anna"}, "colours": {"red"}}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := with(tt.stored, nil)
			got := d.MergeStep(tt.stored, about, tt.posted, tt.files)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("MergeStep (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, with(tt.stored, nil), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the stored answers were changed (-before +after):\n%s", diff)
			}
		})
	}
}

// changed returns a copy of base with the changes and without the keys removed.
func changed[M ~map[string][]string](base, changes M, removed ...string) M {
	out := M{}
	maps.Copy(out, base)
	maps.Copy(out, changes)
	for _, k := range removed {
		delete(out, k)
	}
	return out
}

func TestPageFields(t *testing.T) {
	d := mergeDefinition()
	about, _ := d.Step("about")
	keys := func(fields []Field) []string {
		var out []string
		for _, f := range fields {
			out = append(out, f.Key)
		}
		return out
	}
	all := []string{"name", "story", "kind", "other_kind", "colours", "agree", "addr", "pet_name", "pet_photo", "note", "certificate"}
	for _, tt := range []struct {
		name    string
		answers Answers
		want    []string
	}{
		{"an earlier answer shows the pet's fields", Answers{"pets": {"yes"}}, all},
		{"an earlier answer hides the pet's fields", Answers{"pets": {"no"}},
			[]string{"name", "story", "kind", "other_kind", "colours", "agree", "addr", "note", "certificate"}},
		{"a condition on the same step is on the page whether it holds or not", Answers{"pets": {"yes"}, "kind": {"house"}}, all},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, keys(d.PageFields(about, tt.answers))); diff != "" {
				t.Errorf("PageFields (-want +got):\n%s", diff)
			}
		})
	}
}

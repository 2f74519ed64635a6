package form

import (
	"strings"
	"testing"
)

func TestFirstAnswer(t *testing.T) {
	d := &Definition{Steps: []Step{
		{Key: "a", Title: Text{"sv": "A"}, Fields: []Field{
			{Key: "ok", Type: YesNo, Label: Text{"sv": "Stämmer det?"}},
			{Key: "barn", Type: ShortText, Label: Text{"sv": "Barnets namn"}},
		}},
		{Key: "b", Title: Text{"sv": "B"}, Fields: []Field{{Key: "gata", Type: ShortText, Label: Text{"sv": "Gata"}}}},
	}}
	for _, tt := range []struct {
		name string
		a    Answers
		want string
	}{
		{"nothing yet", Answers{}, ""},
		{"yes or no tells nothing", Answers{"ok": {"yes"}}, ""},
		{"the first telling answer", Answers{"ok": {"yes"}, "barn": {"Elsa Bergström"}, "gata": {"Kungsgatan 12"}}, "Elsa Bergström"},
		{"a later step", Answers{"gata": {"Kungsgatan 12"}}, "Kungsgatan 12"},
		{"shortened", Answers{"barn": {strings.Repeat("å", 80)}}, strings.Repeat("å", 59) + "…"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.FirstAnswer(tt.a, "sv"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

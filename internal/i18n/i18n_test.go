package i18n

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every key must exist in every language, and no message may be empty.
func TestEveryLanguageHasTheSameKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := c.Keys(Default)
	if len(want) == 0 {
		t.Fatal("the default catalogue is empty")
	}
	for _, l := range Langs {
		if diff := cmp.Diff(want, c.Keys(l)); diff != "" {
			t.Errorf("keys of %q differ from %q (-%s +%s):\n%s", l, Default, Default, l, diff)
		}
		for _, k := range c.Keys(l) {
			if strings.TrimSpace(c.msgs[l][k]) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
		}
	}
}

// A message with verbs must have the same verbs in every language, or Sprintf garbles one.
func TestFormatVerbsAgree(t *testing.T) {
	c := MustLoad()
	for _, k := range c.Keys(Default) {
		want := verbs(c.msgs[Default][k])
		for _, l := range Langs {
			if got := verbs(c.msgs[l][k]); !cmp.Equal(got, want) {
				t.Errorf("%s %q has verbs %v, %s has %v", l, k, got, Default, want)
			}
		}
	}
}

func verbs(s string) []string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return out
}

func TestPrinter(t *testing.T) {
	c := MustLoad()
	if got := c.Printer(English).T("lang.name"); got != "English" {
		t.Errorf("en lang.name = %q", got)
	}
	if got := c.Printer("fi").Lang; got != Swedish {
		t.Errorf("unsupported language falls back to %q", got)
	}
	if got := c.Printer(Swedish).T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	ctx := WithPrinter(context.Background(), c.Printer(English))
	if got := T(ctx, "lang.name"); got != "English" {
		t.Errorf("T from context = %q", got)
	}
	if got := T(context.Background(), "lang.name"); got != "Svenska" {
		t.Errorf("T without printer = %q", got)
	}
}

func TestParse(t *testing.T) {
	for tag, want := range map[string]bool{"sv": true, "EN": true, " en ": true, "fi": false, "": false} {
		if _, ok := Parse(tag); ok != want {
			t.Errorf("Parse(%q) ok = %v", tag, ok)
		}
	}
}

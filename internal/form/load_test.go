package form

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
)

func TestParse(t *testing.T) {
	valid := `{"steps":[{"key":"s","title":{"sv":"Steg"},"fields":[{"key":"f","type":"short_text","label":{"sv":"Fält"}}]}]}`
	tests := []struct {
		name    string
		in      string
		wantKey string // apperr key of the error; "" for success
	}{
		{"valid", valid, ""},
		{"valid with trailing white space", valid + "\n\t ", ""},
		{"empty", "", ErrJSON.Key},
		{"syntax", `{"steps":[`, ErrJSON.Key},
		{"unknown property", `{"steps":[],"title":"x"}`, ErrJSON.Key},
		{"unknown field property", `{"steps":[{"key":"s","title":{"sv":"S"},"fields":[{"key":"f","type":"short_text","label":{"sv":"F"},"placeholder":"x"}]}]}`, ErrJSON.Key},
		{"wrong type", `{"steps":{}}`, ErrJSON.Key},
		{"trailing data", valid + `{}`, ErrJSON.Key},
		{"trailing garbage", valid + `x`, ErrJSON.Key},
		{"null", `null`, ErrDefinition.Key},
		{"no steps", `{"steps":[]}`, ErrDefinition.Key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.in))
			if tt.wantKey == "" {
				if err != nil || d == nil {
					t.Fatalf("Parse = %v, %v", d, err)
				}
				return
			}
			if d != nil || err == nil {
				t.Fatalf("Parse = %v, %v; want an error", d, err)
			}
			if apperr.KindOf(err) != apperr.Invalid || apperr.KeyOf(err) != tt.wantKey {
				t.Errorf("Parse error %v: kind %v key %q, want invalid %q", err, apperr.KindOf(err), apperr.KeyOf(err), tt.wantKey)
			}
			if _, ok := AsDefinitionErrors(err); ok != (tt.wantKey == ErrDefinition.Key) {
				t.Errorf("AsDefinitionErrors ok = %v", ok)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	d := richDefinition(t)
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	d2, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(JSON()): %v\n%s", err, b)
	}
	if diff := cmp.Diff(d, d2); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// The export keeps texts readable: no \u003c escapes for <, > and &.
	d.Steps[0].Title["sv"] = "Bygg & <bo>"
	if b, err = d.JSON(); err != nil {
		t.Fatal(err)
	}
	if !contains(b, `"Bygg & <bo>"`) {
		t.Errorf("JSON() escapes HTML: %s", b)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

func TestRichDefinitionIsValid(t *testing.T) {
	b, err := os.ReadFile("testdata/rich.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(b); err != nil {
		var des DefinitionErrors
		errors.As(err, &des)
		t.Fatalf("Parse: %v", des)
	}
}

func TestTextIn(t *testing.T) {
	tx := Text{"sv": "Hej", "en": "Hello", "de": " "}
	for lang, want := range map[string]string{"sv": "Hej", "en": "Hello", "de": "Hej", "fi": "Hej", "": "Hej"} {
		if got := tx.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := Text(nil).In("en"); got != "" {
		t.Errorf("nil In = %q", got)
	}
}

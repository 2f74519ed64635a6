package form

import (
	"net/url"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/minasidor/minasidor/internal/apperr"
)

func FuzzParse(f *testing.F) {
	rich, err := os.ReadFile("testdata/rich.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rich)
	base, err := baseDefinition().JSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	f.Add([]byte(`{"steps":[{"key":"s","title":{"sv":"S"},"fields":[{"key":"f","type":"short_text","label":{"sv":"F"},"rules":{"pattern":"a|b","patternMessage":{"sv":"x"}}}]}]}`))
	f.Add([]byte(`{"steps":[{"key":"s","title":{"sv":"S"},"intro":{},"fields":[{"key":"n","type":"number","label":{"sv":"N"},"rules":{"min":-0,"max":1e300}},{"key":"m","type":"short_text","label":{"sv":"M"},"showIf":{"field":"n","op":"equals","value":"1,5","values":[]}}]}]}`))
	f.Add([]byte(`{"steps":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Fatalf("Parse error of kind %v: %v", k, err)
			}
			return
		}
		b, err := d.JSON()
		if err != nil {
			t.Fatalf("JSON: %v", err)
		}
		d2, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse(JSON()) = %v\n%s", err, b)
		}
		if diff := cmp.Diff(d, d2, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		// Any valid definition can be used with any answers.
		a := Answers{}
		for _, s := range d.Steps {
			for _, name := range s.InputNames() {
				a[name] = []string{"yes"}
			}
		}
		d.CheckAll(a, testNow)
		d.Summary(a, "en", nil)
	})
}

func FuzzCheckAnswers(f *testing.F) {
	d := richDefinition(f)
	var inputs []string
	for _, s := range d.Steps {
		inputs = append(inputs, s.InputNames()...)
	}
	f.Add("company", "yes", "19121212-1212", uint64(0xffffffffffffffff))
	f.Add("private", "12,5", "070-123 45 67", uint64(0x5555555555555555))
	f.Add("a", "556036-0793", "123 45", uint64(0xaaaaaaaaaaaaaaaa))
	f.Add(" yes ", "2026-05-17", "anna@example.se", uint64(0x123456789abcdef))
	f.Add("1 000,50", "\x00\xff", "+46 (0)70 123 45 67", uint64(0xfedcba9876543210))
	f.Add("−0,0", "121212+1212", "16556036-0793", uint64(0x0f0f0f0f0f0f0f0f))
	f.Fuzz(func(t *testing.T, x, y, z string, mask uint64) {
		// Each input gets no answer, x, y, or both x and z, by two bits of the mask.
		a := Answers{}
		for i, name := range inputs {
			switch (mask >> (2 * (i % 32))) & 3 {
			case 1:
				a[name] = []string{x}
			case 2:
				a[name] = []string{y}
			case 3:
				a[name] = []string{x, z}
			}
		}
		errs := d.CheckAll(a, testNow)
		d.FirstInvalidStep(errs)
		for _, s := range d.Steps {
			d.CheckStep(s.Key, a, testNow)
		}
		d.Summary(a, "sv", func(k string) string { return k })
		d.Summary(a, "en", nil)
		d.RemovePersonal(a)

		pruned := d.Prune(a)
		if diff := cmp.Diff(pruned, d.Prune(pruned)); diff != "" {
			t.Fatalf("Prune is not idempotent:\n%s", diff)
		}

		n1 := d.normalizeAt(a, testNow)
		n2 := d.normalizeAt(n1, testNow)
		if diff := cmp.Diff(n1, n2); diff != "" {
			t.Fatalf("Normalize is not idempotent (-once +twice):\n%s", diff)
		}
		if len(errs) == 0 {
			if errs := d.CheckAll(n1, testNow); len(errs) != 0 {
				t.Fatalf("valid answers are invalid after Normalize: %v", errs)
			}
		}

		form := url.Values{}
		for k, v := range a {
			form[k] = v
		}
		for _, s := range d.Steps {
			c1 := s.Collect(form)
			c2 := s.Collect(url.Values(c1))
			if diff := cmp.Diff(c1, c2); diff != "" {
				t.Fatalf("Collect is not idempotent (-once +twice):\n%s", diff)
			}
		}
	})
}

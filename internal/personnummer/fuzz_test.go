package personnummer

import (
	"fmt"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"198112189876", "19811218-9876", "19811218+9876", "8112189876", "811218-9876",
		"121212+1212", "19790865-9852", "790865-9852", "20000229-9857", "000229-9857",
		"19000229-9808", "19811218-9877", "20250615-9801", "251231+9803", "251231-9803",
		" 811218-9876 ", "", "-", "+", "00000000-0000", "99999999-9999", "811260-9808",
		"19811291-9801", "١٩٨١١٢١٨٩٨٧٦",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseAt(s, testNow)
		if err != nil {
			if !n.IsZero() {
				t.Fatalf("ParseAt(%q) returned %q with error %v", s, n.String(), err)
			}
			return
		}
		c := n.String()
		if len(c) != 12 || !allDigits(c) {
			t.Fatalf("ParseAt(%q).String() = %q, not 12 digits", s, c)
		}
		if Luhn(c[2:11]) != int(c[11]-'0') {
			t.Fatalf("ParseAt(%q) = %q fails the Luhn check", s, c)
		}
		if !utf8.ValidString(n.Formatted()) || len(n.Formatted()) != 13 || n.Formatted()[8] != '-' {
			t.Fatalf("Formatted() = %q", n.Formatted())
		}
		for _, form := range []string{c, n.Formatted()} {
			m, err := ParseAt(form, testNow)
			if err != nil {
				t.Fatalf("ParseAt(%q) = %q, but ParseAt(%q) fails: %v", s, c, form, err)
			}
			if m != n {
				t.Fatalf("round trip of %q: %q != %q", s, m.String(), c)
			}
		}
		b := n.BirthDate()
		if b.After(testNow) {
			t.Fatalf("ParseAt(%q): birth date %v after now", s, b)
		}
		day := b.Day()
		if n.IsCoordination() {
			day += 60
		}
		if fmt.Sprintf("%04d%02d%02d", b.Year(), b.Month(), day) != c[:8] {
			t.Fatalf("ParseAt(%q): birth date %v does not match %q", s, b, c)
		}
		if n.Age(testNow) < 0 {
			t.Fatalf("ParseAt(%q): negative age", s)
		}
		if n.Masked() != c[:8]+"-****" {
			t.Fatalf("Masked() = %q", n.Masked())
		}
		var back Number
		if err := back.Scan(c); err != nil || back != n {
			t.Fatalf("Scan(%q) = %q, %v", c, back.String(), err)
		}
	})
}

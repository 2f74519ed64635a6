package personnummer

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
)

// testNow is the "today" of the tests: 15 June 2025.
var testNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

func TestParseAtValid(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string // canonical
		coord bool
		birth string // YYYY-MM-DD
	}{
		{"12 digits", "198112189876", "198112189876", false, "1981-12-18"},
		{"12 digits with hyphen", "19811218-9876", "198112189876", false, "1981-12-18"},
		{"12 digits with plus ignores sign", "19811218+9876", "198112189876", false, "1981-12-18"},
		{"10 digits", "8112189876", "198112189876", false, "1981-12-18"},
		{"10 digits with hyphen", "811218-9876", "198112189876", false, "1981-12-18"},
		{"surrounding white space", " \t811218-9876\r\n", "198112189876", false, "1981-12-18"},
		{"tax agency test number with plus", "121212+1212", "191212121212", false, "1912-12-12"},
		{"same digits with hyphen is this century", "121212-1212", "201212121212", false, "2012-12-12"},
		{"plus goes back 100 years", "191231+9801", "191912319801", false, "1919-12-31"},
		{"hyphen within the last 100 years", "191231-9801", "201912319801", false, "2019-12-31"},
		{"plus from the year of turning 100", "251231+9803", "192512319803", false, "1925-12-31"},
		{"coordination number", "19790865-9852", "197908659852", true, "1979-08-05"},
		{"coordination number 10 digits", "790865-9852", "197908659852", true, "1979-08-05"},
		{"coordination number day 91", "19811291-9801", "198112919801", true, "1981-12-31"},
		{"leap day 2000", "20000229-9857", "200002299857", false, "2000-02-29"},
		{"leap day 2000 in 10 digits", "000229-9857", "200002299857", false, "2000-02-29"},
		{"leap day 2024", "20240229-9800", "202402299800", false, "2024-02-29"},
		{"born today", "20250615-9801", "202506159801", false, "2025-06-15"},
		{"born today in 10 digits", "250615-9801", "202506159801", false, "2025-06-15"},
		{"born this year", "250101-9802", "202501019802", false, "2025-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseAt(tt.in, testNow)
			if err != nil {
				t.Fatalf("ParseAt(%q): %v", tt.in, err)
			}
			got := struct {
				Canonical string
				Coord     bool
				Birth     string
			}{n.String(), n.IsCoordination(), n.BirthDate().Format(time.DateOnly)}
			want := struct {
				Canonical string
				Coord     bool
				Birth     string
			}{tt.want, tt.coord, tt.birth}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseAt(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseAtInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrFormat},
		{"white space only", "   ", ErrFormat},
		{"too short", "19811218-987", ErrFormat},
		{"13 digits", "1981121898760", ErrFormat},
		{"9 digits", "811218987", ErrFormat},
		{"space as separator", "19811218 9876", ErrFormat},
		{"other separator", "19811218/9876", ErrFormat},
		{"separator in the wrong place", "1981121-89876", ErrFormat},
		{"two separators", "811218--9876", ErrFormat},
		{"letter", "19811218-987a", ErrFormat},
		{"letter in date", "1981121x-9876", ErrFormat},
		{"non-ascii digits", "١٩٨١١٢١٨٩٨٧٦", ErrFormat},
		{"full-width digits", "１９８１１２１８９８７６", ErrFormat},
		{"inner white space", "198112 189876", ErrFormat},
		{"sign first", "-811218-9876", ErrFormat},
		{"month 13", "19811318-9800", ErrDate},
		{"month 00", "19810018-9876", ErrDate},
		{"30 February", "19810230-9807", ErrDate},
		{"day 00", "19811200-9801", ErrDate},
		{"day 32", "19811232-9876", ErrDate},
		{"coordination day 60 (day 0)", "19811260-9808", ErrDate},
		{"coordination day 92 (day 32)", "19811292-9800", ErrDate},
		{"coordination 30 February", "19790290-9808", ErrDate},
		{"no leap day 1900", "19000229-9808", ErrDate},
		{"wrong check digit", "19811218-9877", ErrCheckDigit},
		{"wrong check digit 10 digits", "8112189870", ErrCheckDigit},
		{"wrong check digit coordination", "19790865-9853", ErrCheckDigit},
		{"tomorrow", "20250616-9800", ErrFuture},
		{"later this year in 10 digits", "251231-9803", ErrFuture},
		{"future year", "20300101-9805", ErrFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseAt(tt.in, testNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseAt(%q) = %v, %v; want error %v", tt.in, n, err, tt.want)
			}
			if !n.IsZero() {
				t.Errorf("ParseAt(%q) returned non-zero Number %q with an error", tt.in, n.String())
			}
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Errorf("kind = %v, want invalid", k)
			}
			if strings.Contains(err.Error(), "9876") || strings.Contains(err.Error(), "1218") {
				t.Errorf("error %q contains part of the input", err)
			}
		})
	}
}

func TestParseUsesNow(t *testing.T) {
	// Parse resolves the century against time.Now: someone born in 1990 has not yet turned 100.
	n, err := Parse("900723-9842")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("199007239842", n.String()); diff != "" {
		t.Error(diff)
	}
	if _, err := Parse("20991231-9804"); !errors.Is(err, ErrFuture) {
		t.Errorf("far future: %v", err)
	}
}

func TestMustParse(t *testing.T) {
	if got := MustParse("19811218-9876").String(); got != "198112189876" {
		t.Errorf("MustParse = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse of an invalid number did not panic")
		}
	}()
	MustParse("19811218-9877")
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"811218987", 6},
		{"121212121", 2},
		{"559900012", 1}, // organisation number 559900-0121
		{"000000000", 0},
		{"", 0},
		{"7992739871", 3}, // the textbook example 79927398713
		{"81121898a", -1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Luhn(tt.in); got != tt.want {
				t.Errorf("Luhn(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestNumberMethods(t *testing.T) {
	type view struct {
		String, Formatted, Masked string
		Coord                     bool
		Birth                     string
		Age                       int
	}
	tests := []struct {
		in   string
		now  time.Time
		want view
	}{
		{"19811218-9876", testNow, view{"198112189876", "19811218-9876", "19811218-****", false, "1981-12-18", 43}},
		{"19811218-9876", time.Date(2025, 12, 18, 0, 0, 0, 0, time.UTC), view{"198112189876", "19811218-9876", "19811218-****", false, "1981-12-18", 44}},
		{"19811218-9876", time.Date(2025, 12, 17, 23, 59, 0, 0, time.UTC), view{"198112189876", "19811218-9876", "19811218-****", false, "1981-12-18", 43}},
		{"19790865-9852", testNow, view{"197908659852", "19790865-9852", "19790865-****", true, "1979-08-05", 45}},
		{"20000229-9857", time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), view{"200002299857", "20000229-9857", "20000229-****", false, "2000-02-29", 24}},
		{"20000229-9857", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), view{"200002299857", "20000229-9857", "20000229-****", false, "2000-02-29", 25}},
		{"20250615-9801", testNow, view{"202506159801", "20250615-9801", "20250615-****", false, "2025-06-15", 0}},
	}
	for _, tt := range tests {
		t.Run(tt.in+"@"+tt.now.Format(time.DateOnly), func(t *testing.T) {
			n, err := ParseAt(tt.in, testNow)
			if err != nil {
				t.Fatal(err)
			}
			got := view{n.String(), n.Formatted(), n.Masked(), n.IsCoordination(), n.BirthDate().Format(time.DateOnly), n.Age(tt.now)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestZeroNumber(t *testing.T) {
	var n Number
	got := []string{n.String(), n.Formatted(), n.Masked(), n.LogValue().String()}
	if diff := cmp.Diff([]string{"", "", "", ""}, got); diff != "" {
		t.Error(diff)
	}
	if !n.IsZero() || n.IsCoordination() || !n.BirthDate().IsZero() {
		t.Error("zero Number is not empty")
	}
	if v, err := n.Value(); v != nil || err != nil {
		t.Errorf("Value() = %v, %v; want NULL", v, err)
	}
}

func TestLogNeverRevealsNumber(t *testing.T) {
	n := MustParse("19811218-9876")
	var buf bytes.Buffer
	// Without the time: its nanoseconds may hold the digits looked for ("…54.15259876Z").
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, noTime), slog.NewJSONHandler(&buf, noTime)} {
		log := slog.New(h)
		log.Info("login", "pnr", n)
		log.Info("login", slog.Any("pnr", n), slog.Group("user", "pnr", n))
		log.With("pnr", n).Info("login")
		ptr := &n
		log.Info("login", "pnr", ptr)
	}
	out := buf.String()
	for _, part := range []string{"9876", "19811218", "811218"} {
		if strings.Contains(out, part) {
			t.Errorf("log output contains %q:\n%s", part, out)
		}
	}
	if !strings.Contains(out, "[redacted]") {
		t.Errorf("log output lacks the redaction marker:\n%s", out)
	}
}

func TestScanValue(t *testing.T) {
	n := MustParse("19790865-9852")
	v, err := n.Value()
	if err != nil {
		t.Fatal(err)
	}
	var back Number
	if err := back.Scan(v); err != nil {
		t.Fatal(err)
	}
	if back != n {
		t.Errorf("Scan(Value()) = %q, want %q", back.String(), n.String())
	}
	if err := back.Scan([]byte("198112189876")); err != nil || back.String() != "198112189876" {
		t.Errorf("Scan([]byte) = %q, %v", back.String(), err)
	}
	if err := back.Scan(nil); err != nil || !back.IsZero() {
		t.Errorf("Scan(nil) = %q, %v", back.String(), err)
	}
	for _, bad := range []any{"19811218-9876", "198112189877", "198113189800", 198112189876} {
		if err := back.Scan(bad); err == nil {
			t.Errorf("Scan(%v) accepted", bad)
		}
	}
}

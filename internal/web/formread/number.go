package formread

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/i18n"
)

// spaces are removed from typed numbers: "1 000" is a thousand.
var spaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")

// parseWhole reads a whole number; blank is nil.
func parseWhole(s string) (*int, bool) {
	s = spaces.Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// decimalSyntax is a number with a decimal comma or point.
var decimalSyntax = regexp.MustCompile(`^[-+−]?(\d+([.,]\d*)?|[.,]\d+)$`)

// parseDecimal reads a number with a decimal comma or point; blank is nil.
func parseDecimal(s string) (*float64, bool) {
	s = spaces.Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	if !decimalSyntax.MatchString(s) {
		return nil, false
	}
	x, err := strconv.ParseFloat(strings.NewReplacer(",", ".", "−", "-").Replace(s), 64)
	if err != nil {
		return nil, false
	}
	return &x, true
}

func formatInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// formatDecimal writes a number as the language writes it: with a decimal comma in Swedish.
func formatDecimal(x *float64, lang string) string {
	if x == nil {
		return ""
	}
	s := strconv.FormatFloat(*x, 'f', -1, 64)
	if lang == string(i18n.Swedish) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

package form

import "strings"

// FormatPhone writes a phone number the one way the portal shows it, whether it comes as the
// citizen typed it (a draft on the review page) or as stored (+46701234567, on the receipt and
// the case page): a Swedish mobile number as 070-123 45 67, another Swedish number in its
// national form (0322616000), a foreign number in its international form (+4712345678). Text
// that is not a phone number is returned as it is.
func FormatPhone(s string) string {
	n, ok := normalizePhone(s)
	if !ok {
		return strings.TrimSpace(s)
	}
	national, swedish := strings.CutPrefix(n, "+46")
	switch {
	case !swedish:
		return n
	case len(national) == 9 && national[0] == '7': // 07X-XXX XX XX
		return "0" + national[:2] + "-" + national[2:5] + " " + national[5:7] + " " + national[7:]
	}
	return "0" + national
}

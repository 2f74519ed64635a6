package form

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// withCheck completes 11 digits YYYYMMDDNNN with their check digit.
func withCheck(s string) string {
	return s + string(rune('0'+personnummer.Luhn(s[2:])))
}

func fe(pairs ...string) apperr.FieldErrors {
	var out apperr.FieldErrors
	for i := 0; i < len(pairs); i += 2 {
		out.Add(pairs[i], pairs[i+1])
	}
	return out
}

func TestCheckField(t *testing.T) {
	req := func(f Field) Field { f.Required = true; return f }
	withRules := func(f Field, r Rules) Field { f.Rules = r; return f }
	short := Field{Key: "t", Type: ShortText, Label: sv("T")}
	long := Field{Key: "t", Type: LongText, Label: sv("T")}
	num := Field{Key: "n", Type: Number, Label: sv("N")}
	date := Field{Key: "d", Type: Date, Label: sv("D")}
	email := Field{Key: "e", Type: Email, Label: sv("E")}
	phone := Field{Key: "p", Type: Phone, Label: sv("P")}
	pnr := Field{Key: "pnr", Type: PersonalNumber, Label: sv("P")}
	org := Field{Key: "org", Type: OrgNumber, Label: sv("O")}
	opts := []Option{{Value: "a", Label: sv("A")}, {Value: "b", Label: sv("B")}, {Value: "c", Label: sv("C")}}
	single := Field{Key: "c", Type: SingleChoice, Label: sv("C"), Options: opts}
	dropdown := Field{Key: "c", Type: Dropdown, Label: sv("C"), Options: opts}
	multi := Field{Key: "m", Type: MultipleChoice, Label: sv("M"), Options: opts}
	yesNo := Field{Key: "y", Type: YesNo, Label: sv("Y")}
	consent := Field{Key: "ok", Type: Consent, Label: sv("OK")}
	addr := Field{Key: "addr", Type: Address, Label: sv("A")}
	contact := Field{Key: "who", Type: Contact, Label: sv("W")}
	file := Field{Key: "f", Type: File, Label: sv("F"), Upload: &Upload{MaxFiles: 3, MaxBytes: 1 << 20, Types: []string{"application/pdf"}}}
	info := Field{Key: "i", Type: Info, Label: sv("I")}
	fullAddr := func(postal string) Answers {
		return Answers{"addr.street": {"Storgatan 1"}, "addr.postal_code": {postal}, "addr.city": {"Småstad"}}
	}
	// Stockholm is ahead of UTC: at 22:30 UTC on 16 May it is already 17 May there.
	lateEvening := time.Date(2026, 5, 16, 22, 30, 0, 0, time.UTC)

	tests := []struct {
		name  string
		field Field
		a     Answers
		now   time.Time // testNow when zero
		want  apperr.FieldErrors
	}{
		{"short optional empty", short, Answers{}, time.Time{}, nil},
		{"short optional blank", short, Answers{"t": {"  "}}, time.Time{}, nil},
		{"short required missing", req(short), Answers{}, time.Time{}, fe("t", KeyRequired)},
		{"short required blank", req(short), Answers{"t": {" ", ""}}, time.Time{}, fe("t", KeyRequired)},
		{"short valid", req(short), Answers{"t": {"Hej"}}, time.Time{}, nil},
		{"short default limit", short, Answers{"t": {strings.Repeat("å", DefaultShortTextMax)}}, time.Time{}, nil},
		{"short over default limit", short, Answers{"t": {strings.Repeat("å", DefaultShortTextMax+1)}}, time.Time{}, fe("t", KeyTooLong)},
		{"short maxLength in characters", withRules(short, Rules{MaxLength: intp(5)}), Answers{"t": {"åäöåä"}}, time.Time{}, nil},
		{"short over maxLength", withRules(short, Rules{MaxLength: intp(5)}), Answers{"t": {"åäöåäx"}}, time.Time{}, fe("t", KeyTooLong)},
		{"short maxLength above default", withRules(short, Rules{MaxLength: intp(500)}), Answers{"t": {strings.Repeat("x", 500)}}, time.Time{}, nil},
		{"short under minLength", withRules(short, Rules{MinLength: intp(3)}), Answers{"t": {"ab"}}, time.Time{}, fe("t", KeyTooShort)},
		{"short pattern matches", withRules(short, Rules{Pattern: "[A-Z]{2}[0-9]{4}"}), Answers{"t": {"AB1234"}}, time.Time{}, nil},
		{"short pattern must match the whole answer", withRules(short, Rules{Pattern: "[A-Z]{2}[0-9]{4}"}), Answers{"t": {"AB12345"}}, time.Time{}, fe("t", KeyPattern)},
		{"short pattern with alternatives is anchored", withRules(short, Rules{Pattern: "a|b"}), Answers{"t": {"ab"}}, time.Time{}, fe("t", KeyPattern)},
		{"short line break", short, Answers{"t": {"a\nb"}}, time.Time{}, fe("t", KeyCharacters)},
		{"short NUL", short, Answers{"t": {"a\x00b"}}, time.Time{}, fe("t", KeyCharacters)},
		{"short invalid UTF-8", short, Answers{"t": {"a\xffb"}}, time.Time{}, fe("t", KeyEncoding)},
		{"short two values", short, Answers{"t": {"a", "b"}}, time.Time{}, fe("t", KeyInvalid)},
		{"long with line breaks and tabs", req(long), Answers{"t": {"a\r\nb\n\tc"}}, time.Time{}, nil},
		{"long default limit", long, Answers{"t": {strings.Repeat("ö", DefaultLongTextMax)}}, time.Time{}, nil},
		{"long over default limit", long, Answers{"t": {strings.Repeat("ö", DefaultLongTextMax+1)}}, time.Time{}, fe("t", KeyTooLong)},
		{"long over maxLength", withRules(long, Rules{MaxLength: intp(10)}), Answers{"t": {strings.Repeat("x", 11)}}, time.Time{}, fe("t", KeyTooLong)},
		{"long required missing", req(long), nil, time.Time{}, fe("t", KeyRequired)},
		{"long control character", long, Answers{"t": {"a\x1bb"}}, time.Time{}, fe("t", KeyCharacters)},

		{"number whole", req(num), Answers{"n": {"12"}}, time.Time{}, nil},
		{"number decimal comma", num, Answers{"n": {"12,5"}}, time.Time{}, nil},
		{"number decimal point", num, Answers{"n": {"12.5"}}, time.Time{}, nil},
		{"number negative", num, Answers{"n": {"-3"}}, time.Time{}, nil},
		{"number minus sign", num, Answers{"n": {"−3"}}, time.Time{}, nil},
		{"number grouped", num, Answers{"n": {"1 000 000"}}, time.Time{}, nil},
		{"number leading comma", num, Answers{"n": {",5"}}, time.Time{}, nil},
		{"number word", num, Answers{"n": {"tolv"}}, time.Time{}, fe("n", KeyNumber)},
		{"number exponent", num, Answers{"n": {"1e3"}}, time.Time{}, fe("n", KeyNumber)},
		{"number trailing comma", num, Answers{"n": {"12,"}}, time.Time{}, fe("n", KeyNumber)},
		{"number two commas", num, Answers{"n": {"1,2,3"}}, time.Time{}, fe("n", KeyNumber)},
		{"number sign only", num, Answers{"n": {"-"}}, time.Time{}, fe("n", KeyNumber)},
		{"number required missing", req(num), Answers{}, time.Time{}, fe("n", KeyRequired)},
		{"integer whole with zero decimals", withRules(num, Rules{Integer: true}), Answers{"n": {"3,00"}}, time.Time{}, nil},
		{"integer with decimals", withRules(num, Rules{Integer: true}), Answers{"n": {"3,5"}}, time.Time{}, fe("n", KeyInteger)},
		{"number at min", withRules(num, Rules{Min: floatp(0)}), Answers{"n": {"0"}}, time.Time{}, nil},
		{"number below min", withRules(num, Rules{Min: floatp(0)}), Answers{"n": {"-0,01"}}, time.Time{}, fe("n", KeyTooSmall)},
		{"number at max", withRules(num, Rules{Max: floatp(10)}), Answers{"n": {"10"}}, time.Time{}, nil},
		{"number above max", withRules(num, Rules{Max: floatp(10)}), Answers{"n": {"10,01"}}, time.Time{}, fe("n", KeyTooLarge)},

		{"date valid", req(date), Answers{"d": {"2026-05-17"}}, time.Time{}, nil},
		{"date leap day", date, Answers{"d": {"2028-02-29"}}, time.Time{}, nil},
		{"date not a leap year", date, Answers{"d": {"2026-02-29"}}, time.Time{}, fe("d", KeyDate)},
		{"date without zeros", date, Answers{"d": {"2026-5-17"}}, time.Time{}, fe("d", KeyDate)},
		{"date Swedish slashes", date, Answers{"d": {"17/5/2026"}}, time.Time{}, fe("d", KeyDate)},
		{"date year zero", date, Answers{"d": {"0000-01-01"}}, time.Time{}, fe("d", KeyDate)},
		{"date required missing", req(date), Answers{}, time.Time{}, fe("d", KeyRequired)},
		{"date today is not too early", withRules(date, Rules{MinDate: "today"}), Answers{"d": {"2026-05-17"}}, time.Time{}, nil},
		{"date yesterday too early", withRules(date, Rules{MinDate: "today"}), Answers{"d": {"2026-05-16"}}, time.Time{}, fe("d", KeyDateTooEarly)},
		{"date today in Stockholm", withRules(date, Rules{MinDate: "today"}), Answers{"d": {"2026-05-16"}}, lateEvening, fe("d", KeyDateTooEarly)},
		{"date within today+10", withRules(date, Rules{MaxDate: "today+10"}), Answers{"d": {"2026-05-27"}}, time.Time{}, nil},
		{"date after today+10", withRules(date, Rules{MaxDate: "today+10"}), Answers{"d": {"2026-05-28"}}, time.Time{}, fe("d", KeyDateTooLate)},
		{"date before today-1 ok", withRules(date, Rules{MaxDate: "today-1"}), Answers{"d": {"2026-05-16"}}, time.Time{}, nil},
		{"date today after today-1", withRules(date, Rules{MaxDate: "today-1"}), Answers{"d": {"2026-05-17"}}, time.Time{}, fe("d", KeyDateTooLate)},
		{"date before a fixed minDate", withRules(date, Rules{MinDate: "2026-01-01"}), Answers{"d": {"2025-12-31"}}, time.Time{}, fe("d", KeyDateTooEarly)},

		{"email valid", req(email), Answers{"e": {"anna.andersson@example.se"}}, time.Time{}, nil},
		{"email 254 bytes", email, Answers{"e": {strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".se"}}, time.Time{}, nil},
		{"email with name", email, Answers{"e": {"Anna <anna@example.se>"}}, time.Time{}, fe("e", KeyEmail)},
		{"email without domain dot", email, Answers{"e": {"anna@localhost"}}, time.Time{}, fe("e", KeyEmail)},
		{"email domain ends with dot", email, Answers{"e": {"anna@example."}}, time.Time{}, fe("e", KeyEmail)},
		{"email no at", email, Answers{"e": {"anna"}}, time.Time{}, fe("e", KeyEmail)},
		{"email too long", email, Answers{"e": {strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".se"}}, time.Time{}, fe("e", KeyEmail)},
		{"email required missing", req(email), Answers{}, time.Time{}, fe("e", KeyRequired)},

		{"phone Swedish", req(phone), Answers{"p": {"070-123 45 67"}}, time.Time{}, nil},
		{"phone international", phone, Answers{"p": {"+46 70 123 45 67"}}, time.Time{}, nil},
		{"phone with 00", phone, Answers{"p": {"0046701234567"}}, time.Time{}, nil},
		{"phone with (0)", phone, Answers{"p": {"+46 (0)70 123 45 67"}}, time.Time{}, nil},
		{"phone other country", phone, Answers{"p": {"+1 202 555 0100"}}, time.Time{}, nil},
		{"phone too short", phone, Answers{"p": {"12"}}, time.Time{}, fe("p", KeyPhone)},
		{"phone letters", phone, Answers{"p": {"070-ABC"}}, time.Time{}, fe("p", KeyPhone)},
		{"phone double trunk zero", phone, Answers{"p": {"+4600701234567"}}, time.Time{}, fe("p", KeyPhone)},

		{"pnr 12 digits", req(pnr), Answers{"pnr": {"19121212-1212"}}, time.Time{}, nil},
		{"pnr 10 digits", pnr, Answers{"pnr": {"1212121212"}}, time.Time{}, nil},
		{"pnr coordination number", pnr, Answers{"pnr": {withCheck("19121272121")}}, time.Time{}, nil},
		{"pnr check digit", pnr, Answers{"pnr": {"19121212-1213"}}, time.Time{}, fe("pnr", "error.pnr.checkdigit")},
		{"pnr format", pnr, Answers{"pnr": {"19121212"}}, time.Time{}, fe("pnr", "error.pnr.format")},
		{"pnr date", pnr, Answers{"pnr": {withCheck("19121312121")}}, time.Time{}, fe("pnr", "error.pnr.date")},
		{"pnr future", pnr, Answers{"pnr": {withCheck("20260518121")}}, time.Time{}, fe("pnr", "error.pnr.future")},
		{"pnr required missing", req(pnr), Answers{}, time.Time{}, fe("pnr", KeyRequired)},

		{"org with hyphen", req(org), Answers{"org": {"556036-0793"}}, time.Time{}, nil},
		{"org 10 digits", org, Answers{"org": {"5560360793"}}, time.Time{}, nil},
		{"org 16 prefix", org, Answers{"org": {"16556036-0793"}}, time.Time{}, nil},
		{"org 12 digits", org, Answers{"org": {"165560360793"}}, time.Time{}, nil},
		{"org municipality", org, Answers{"org": {"212000-0142"}}, time.Time{}, nil},
		{"org check digit", org, Answers{"org": {"556036-0794"}}, time.Time{}, fe("org", KeyOrgNumberCheck)},
		{"org too short", org, Answers{"org": {"55603607"}}, time.Time{}, fe("org", KeyOrgNumber)},
		{"org personal identity number", org, Answers{"org": {"1212121212"}}, time.Time{}, fe("org", KeyOrgNumber)},
		{"org century prefix", org, Answers{"org": {"191212121212"}}, time.Time{}, fe("org", KeyOrgNumber)},
		{"org required missing", req(org), Answers{}, time.Time{}, fe("org", KeyRequired)},

		{"single choice valid", req(single), Answers{"c": {"b"}}, time.Time{}, nil},
		{"single choice unknown", single, Answers{"c": {"z"}}, time.Time{}, fe("c", KeyOption)},
		{"single choice two values", single, Answers{"c": {"a", "b"}}, time.Time{}, fe("c", KeyInvalid)},
		{"single choice required missing", req(single), Answers{}, time.Time{}, fe("c", KeyRequiredChoice)},
		{"dropdown valid", dropdown, Answers{"c": {"c"}}, time.Time{}, nil},
		{"dropdown unknown", dropdown, Answers{"c": {"A"}}, time.Time{}, fe("c", KeyOption)},
		{"dropdown required missing", req(dropdown), Answers{}, time.Time{}, fe("c", KeyRequiredChoice)},

		{"multiple choice valid", req(multi), Answers{"m": {"a", "c"}}, time.Time{}, nil},
		{"multiple choice unknown", multi, Answers{"m": {"a", "z"}}, time.Time{}, fe("m", KeyOption)},
		{"multiple choice repeated", multi, Answers{"m": {"a", "a"}}, time.Time{}, fe("m", KeyInvalid)},
		{"multiple choice required missing", req(multi), Answers{"m": {""}}, time.Time{}, fe("m", KeyRequiredChoices)},
		{"multiple choice optional empty ignores minChoices", withRules(multi, Rules{MinChoices: intp(2)}), Answers{}, time.Time{}, nil},
		{"multiple choice too few", withRules(multi, Rules{MinChoices: intp(2)}), Answers{"m": {"a"}}, time.Time{}, fe("m", KeyTooFewChoices)},
		{"multiple choice too many", withRules(multi, Rules{MaxChoices: intp(2)}), Answers{"m": {"a", "b", "c"}}, time.Time{}, fe("m", KeyTooManyChoices)},
		{"multiple choice at maxChoices", withRules(multi, Rules{MaxChoices: intp(2)}), Answers{"m": {"a", "b"}}, time.Time{}, nil},

		{"yes", req(yesNo), Answers{"y": {"yes"}}, time.Time{}, nil},
		{"no", req(yesNo), Answers{"y": {"no"}}, time.Time{}, nil},
		{"yes_no other", yesNo, Answers{"y": {"ja"}}, time.Time{}, fe("y", KeyOption)},
		{"yes_no required missing", req(yesNo), Answers{}, time.Time{}, fe("y", KeyRequiredChoice)},

		{"consent given", req(consent), Answers{"ok": {"yes"}}, time.Time{}, nil},
		{"consent required missing", req(consent), Answers{}, time.Time{}, fe("ok", KeyRequiredConsent)},
		{"consent optional missing", consent, Answers{}, time.Time{}, nil},
		{"consent other value", consent, Answers{"ok": {"no"}}, time.Time{}, fe("ok", KeyOption)},

		{"address optional empty", addr, Answers{}, time.Time{}, nil},
		{"address valid", req(addr), fullAddr("123 45"), time.Time{}, nil},
		{"address postal code without space", addr, fullAddr("12345"), time.Time{}, nil},
		{"address postal code short", addr, fullAddr("1234"), time.Time{}, fe("addr.postal_code", KeyPostalCode)},
		{"address postal code leading zero", addr, fullAddr("01234"), time.Time{}, fe("addr.postal_code", KeyPostalCode)},
		{"address postal code letters", addr, fullAddr("SE-123 45"), time.Time{}, fe("addr.postal_code", KeyPostalCode)},
		{"address required missing", req(addr), Answers{}, time.Time{}, fe(
			"addr.street", KeyRequiredStreet, "addr.postal_code", KeyRequiredPostalCode, "addr.city", KeyRequiredCity)},
		{"address optional partly filled", addr, Answers{"addr.city": {"Småstad"}}, time.Time{}, fe(
			"addr.street", KeyRequiredStreet, "addr.postal_code", KeyRequiredPostalCode)},
		{"address care of only", addr, Answers{"addr.care_of": {"Berg"}}, time.Time{}, fe(
			"addr.street", KeyRequiredStreet, "addr.postal_code", KeyRequiredPostalCode, "addr.city", KeyRequiredCity)},
		{"address street too long", addr, Answers{"addr.street": {strings.Repeat("s", 201)}, "addr.postal_code": {"12345"}, "addr.city": {"X"}}, time.Time{}, fe("addr.street", KeyTooLong)},
		{"address city control character", addr, Answers{"addr.street": {"S 1"}, "addr.postal_code": {"12345"}, "addr.city": {"X\x07"}}, time.Time{}, fe("addr.city", KeyCharacters)},

		{"contact required missing", req(contact), Answers{}, time.Time{}, fe("who.name", KeyRequiredName, "who.email", KeyRequiredReach)},
		{"contact with e-mail", req(contact), Answers{"who.name": {"Anna"}, "who.email": {"anna@example.se"}}, time.Time{}, nil},
		{"contact with phone", req(contact), Answers{"who.name": {"Anna"}, "who.phone": {"0701234567"}}, time.Time{}, nil},
		{"contact without a way to reach", req(contact), Answers{"who.name": {"Anna"}}, time.Time{}, fe("who.email", KeyRequiredReach)},
		{"contact bad e-mail and phone", contact, Answers{"who.name": {"Anna"}, "who.email": {"anna@"}, "who.phone": {"1"}}, time.Time{}, fe("who.email", KeyEmail, "who.phone", KeyPhone)},
		{"contact optional empty", contact, Answers{}, time.Time{}, nil},
		{"contact optional e-mail only", contact, Answers{"who.email": {"anna@example.se"}}, time.Time{}, fe("who.name", KeyRequiredName)},

		{"file required missing", req(file), Answers{}, time.Time{}, fe("f", KeyRequiredFile)},
		{"file within max", req(file), Answers{"f": {"id1", "id2", "id3"}}, time.Time{}, nil},
		{"file too many", file, Answers{"f": {"id1", "id2", "id3", "id4"}}, time.Time{}, fe("f", KeyTooManyFiles)},
		{"file id twice", file, Answers{"f": {"id1", "id1"}}, time.Time{}, fe("f", KeyInvalid)},

		{"info has no answer", info, Answers{"i": {"x"}}, time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Definition{Steps: []Step{{Key: "s", Title: sv("S"), Fields: []Field{tt.field}}}}
			if err := d.Check(); err != nil {
				t.Fatalf("test definition: %v", err)
			}
			now := tt.now
			if now.IsZero() {
				now = testNow
			}
			got := d.CheckStep("s", tt.a, now)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckStep (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckAll(t *testing.T) {
	d := richDefinition(t)

	t.Run("all valid", func(t *testing.T) {
		got := d.CheckAll(richAnswers(), testNow)
		if got == nil || len(got) != 0 {
			t.Errorf("CheckAll = %#v, want an empty map", got)
		}
		if key, ok := d.FirstInvalidStep(got); ok {
			t.Errorf("FirstInvalidStep = %q", key)
		}
	})

	t.Run("problems in several steps", func(t *testing.T) {
		a := richAnswers()
		delete(a, "description")
		a["permit_no"] = nil
		a["pnr"] = []string{"19121212-1213"}
		got := d.CheckAll(a, testNow)
		want := map[string]apperr.FieldErrors{
			"applicant": fe("pnr", "error.pnr.checkdigit"),
			"matter":    fe("description", KeyRequired),
			"extra":     fe("permit_no", KeyRequired),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CheckAll (-want +got):\n%s", diff)
		}
		if key, _ := d.FirstInvalidStep(got); key != "applicant" {
			t.Errorf("FirstInvalidStep = %q, want applicant", key)
		}
		delete(got, "applicant")
		if key, _ := d.FirstInvalidStep(got); key != "matter" {
			t.Errorf("FirstInvalidStep = %q, want matter", key)
		}
	})

	t.Run("hidden fields and steps are not checked", func(t *testing.T) {
		a := richAnswers()
		a["kind"] = []string{"private"}
		a["org"] = []string{"not a number"}   // org is hidden for a private person
		a["has_permit"] = []string{"perhaps"} // the step extra is hidden
		if got := d.CheckAll(a, testNow); len(got) != 0 {
			t.Errorf("CheckAll = %v, want none", got)
		}
		if got := d.CheckStep("extra", a, testNow); got != nil {
			t.Errorf("CheckStep(extra) = %v, want nil", got)
		}
	})

	t.Run("unknown step", func(t *testing.T) {
		if got := d.CheckStep("nope", Answers{}, testNow); got != nil {
			t.Errorf("CheckStep(nope) = %v", got)
		}
	})

	t.Run("one step", func(t *testing.T) {
		a := richAnswers()
		a["start"] = []string{"2026-05-16"}
		a["children"] = []string{"2,5"}
		want := fe("children", KeyInteger, "start", KeyDateTooEarly)
		if diff := cmp.Diff(want, d.CheckStep("matter", a, testNow)); diff != "" {
			t.Errorf("CheckStep(matter) (-want +got):\n%s", diff)
		}
		if got := d.CheckStep("applicant", a, testNow); got != nil {
			t.Errorf("CheckStep(applicant) = %v", got)
		}
	})
}

// A text answer that is not valid UTF-8 is refused on its input, whatever the field type, and
// never read with replacement characters; the field's other checks wait for it.
func TestUnreadableAnswers(t *testing.T) {
	opts := []Option{{Value: "a", Label: sv("A")}, {Value: "b", Label: sv("B")}}
	fields := map[string]Field{
		"short":    {Key: "f", Type: ShortText, Label: sv("F"), Required: true, Rules: Rules{MinLength: intp(10)}},
		"long":     {Key: "f", Type: LongText, Label: sv("F")},
		"email":    {Key: "f", Type: Email, Label: sv("F")},
		"phone":    {Key: "f", Type: Phone, Label: sv("F")},
		"number":   {Key: "f", Type: Number, Label: sv("F")},
		"date":     {Key: "f", Type: Date, Label: sv("F")},
		"pnr":      {Key: "f", Type: PersonalNumber, Label: sv("F")},
		"org":      {Key: "f", Type: OrgNumber, Label: sv("F")},
		"single":   {Key: "f", Type: SingleChoice, Label: sv("F"), Options: opts},
		"dropdown": {Key: "f", Type: Dropdown, Label: sv("F"), Options: opts},
		"multi":    {Key: "f", Type: MultipleChoice, Label: sv("F"), Options: opts},
		"yesno":    {Key: "f", Type: YesNo, Label: sv("F")},
		"consent":  {Key: "f", Type: Consent, Label: sv("F"), Required: true},
		"address":  {Key: "f", Type: Address, Label: sv("F"), Required: true},
		"contact":  {Key: "f", Type: Contact, Label: sv("F"), Required: true},
		"file":     {Key: "f", Type: File, Label: sv("F"), Upload: &Upload{MaxFiles: 3, MaxBytes: 1 << 20, Types: []string{"application/pdf"}}},
	}
	tests := []struct {
		name, field string
		a           Answers
		want        apperr.FieldErrors
	}{
		{"short text, required and too short", "short", Answers{"f": {"ab\xc3"}}, fe("f", KeyEncoding)},
		{"short text of one bad byte", "short", Answers{"f": {"\xff"}}, fe("f", KeyEncoding)},
		{"short text in Latin-1", "short", Answers{"f": {"G\xf6teborg"}}, fe("f", KeyEncoding)},
		{"short text cut in a character", "short", Answers{"f": {"Malm\xc3"}}, fe("f", KeyEncoding)},
		{"short text with an encoded surrogate", "short", Answers{"f": {"a\xed\xa0\x80bcdefghij"}}, fe("f", KeyEncoding)},
		{"short text, valid: letters and an emoji", "short", Answers{"f": {"Åsa Öberg 😀"}}, nil},
		{"long text with line breaks", "long", Answers{"f": {"Rad ett\nRad \xfe två"}}, fe("f", KeyEncoding)},
		{"e-mail", "email", Answers{"f": {"anna\xff@example.se"}}, fe("f", KeyEncoding)},
		{"phone", "phone", Answers{"f": {"070\xff1234567"}}, fe("f", KeyEncoding)},
		{"number", "number", Answers{"f": {"12\xff"}}, fe("f", KeyEncoding)},
		{"date", "date", Answers{"f": {"2026-05-17\xff"}}, fe("f", KeyEncoding)},
		{"personal number", "pnr", Answers{"f": {"\xff"}}, fe("f", KeyEncoding)},
		{"organisation number", "org", Answers{"f": {"\xff"}}, fe("f", KeyEncoding)},
		{"single choice", "single", Answers{"f": {"a\xff"}}, fe("f", KeyEncoding)},
		{"dropdown", "dropdown", Answers{"f": {"\xff"}}, fe("f", KeyEncoding)},
		{"multiple choice, one value bad", "multi", Answers{"f": {"a", "b\xff"}}, fe("f", KeyEncoding)},
		{"yes or no", "yesno", Answers{"f": {"yes\xff"}}, fe("f", KeyEncoding)},
		{"consent", "consent", Answers{"f": {"\xffyes"}}, fe("f", KeyEncoding)},
		{"address, two parts bad", "address", Answers{"f.street": {"Storgatan\xff 1"}, "f.postal_code": {"123 45"}, "f.city": {"G\xf6teborg"}},
			fe("f.street", KeyEncoding, "f.city", KeyEncoding)},
		{"address, valid", "address", Answers{"f.street": {"Storgatan 1"}, "f.postal_code": {"123 45"}, "f.city": {"Göteborg"}}, nil},
		{"contact e-mail", "contact", Answers{"f.name": {"Anna"}, "f.email": {"anna@exampl\xe9.se"}}, fe("f.email", KeyEncoding)},
		{"file id", "file", Answers{"f": {"id\xff"}}, fe("f", KeyEncoding)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Definition{Steps: []Step{{Key: "s", Title: sv("S"), Fields: []Field{fields[tt.field]}}}}
			got := d.CheckStep("s", tt.a, testNow)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckStep (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, d.Steps[0].Unreadable(tt.a)); diff != "" {
				t.Errorf("Unreadable (-want +got):\n%s", diff)
			}
		})
	}
}

// The bytes reach the check as they were posted: Collect does not replace them.
func TestCollectKeepsUnreadableAnswers(t *testing.T) {
	step := Step{Key: "s", Title: sv("S"), Fields: []Field{
		{Key: "name", Type: ShortText, Label: sv("N")},
		{Key: "text", Type: LongText, Label: sv("T")},
		{Key: "ok", Type: ShortText, Label: sv("O")},
	}}
	got := step.Collect(map[string][]string{"name": {"G\xf6ran"}, "text": {"a\r\nb\xff"}, "ok": {" Åsa "}})
	want := Answers{"name": {"G\xf6ran"}, "text": {"a\r\nb\xff"}, "ok": {"Åsa"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Collect (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fe("name", KeyEncoding, "text", KeyEncoding), step.Unreadable(got)); diff != "" {
		t.Errorf("Unreadable (-want +got):\n%s", diff)
	}
}

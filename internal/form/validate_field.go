package form

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// The message keys of answer problems (FieldError.Key); their texts are in MESSAGES.md. A personal
// identity number that is not valid has the key of the personnummer package's error instead
// (error.pnr.format, error.pnr.date, error.pnr.checkdigit, error.pnr.future).
const (
	KeyRequired           = "error.field.required"            // a required text, number, date... is empty
	KeyRequiredChoice     = "error.field.required.choice"     // single_choice, dropdown, yes_no
	KeyRequiredChoices    = "error.field.required.choices"    // multiple_choice: nothing ticked
	KeyRequiredConsent    = "error.field.required.consent"    // consent not given
	KeyRequiredFile       = "error.field.required.file"       // no file attached
	KeyRequiredStreet     = "error.field.required.street"     // address: street missing
	KeyRequiredPostalCode = "error.field.required.postalCode" // address: postal code missing
	KeyRequiredCity       = "error.field.required.city"       // address: city missing
	KeyRequiredName       = "error.field.required.name"       // contact: name missing
	KeyRequiredReach      = "error.field.required.reach"      // contact: neither e-mail nor phone (on key.email)
	KeyInvalid            = "error.field.invalid"             // several values for one input, repeated choices, bad file ids
	KeyCharacters         = "error.field.characters"          // control characters
	KeyEncoding           = "error.field.encoding"            // text that is not valid UTF-8: it cannot be read
	KeyTooShort           = "error.field.tooShort"
	KeyTooLong            = "error.field.tooLong"
	KeyPattern            = "error.field.pattern" // the page shows the field's PatternMessage when it has one
	KeyNumber             = "error.field.number"
	KeyInteger            = "error.field.integer"
	KeyTooSmall           = "error.field.tooSmall"
	KeyTooLarge           = "error.field.tooLarge"
	KeyDate               = "error.field.date"
	KeyDateTooEarly       = "error.field.dateTooEarly"
	KeyDateTooLate        = "error.field.dateTooLate"
	KeyEmail              = "error.field.email"
	KeyPhone              = "error.field.phone"
	KeyPersonalNumber     = "error.field.personalNumber" // fallback; normally an error.pnr.* key
	KeyOrgNumber          = "error.field.orgNumber"
	KeyOrgNumberCheck     = "error.field.orgNumber.checkdigit"
	KeyOption             = "error.field.option" // a value that is not one of the options
	KeyTooFewChoices      = "error.field.tooFewChoices"
	KeyTooManyChoices     = "error.field.tooManyChoices"
	KeyPostalCode         = "error.field.postalCode"
	KeyTooManyFiles       = "error.field.tooManyFiles"
	KeyRequiredTime       = "error.field.required.time" // booking: no time chosen
	KeyTime               = "error.field.time"          // booking: not a time ("start/end")
)

// Length limits of the parts of compound fields, in characters.
const (
	maxStreetLength = 200 // street and care_of
	maxCityLength   = 100
	maxNameLength   = 200
)

// fieldChecker validates the answers of single fields.
type fieldChecker struct {
	a     Answers
	now   time.Time // in Stockholm
	today time.Time // now's date in Stockholm at midnight UTC
	errs  *apperr.FieldErrors
}

func (c fieldChecker) add(input, key string) { c.errs.Add(input, key) }

// values returns the non-blank values of an input, trimmed.
func (c fieldChecker) values(name string) []string {
	var out []string
	for _, v := range c.a[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// single returns the one value of a single-valued input, or "" when it has none. When it has
// more than one it reports KeyInvalid and returns ok false.
func (c fieldChecker) single(name string) (string, bool) {
	vals := c.values(name)
	switch len(vals) {
	case 0:
		return "", true
	case 1:
		return vals[0], true
	}
	c.add(name, KeyInvalid)
	return "", false
}

func (c fieldChecker) check(f *Field) {
	if f.Type == Info || c.unreadable(f) {
		return
	}
	switch f.Type {
	case Address:
		c.address(f)
		return
	case Contact:
		c.contact(f)
		return
	case MultipleChoice:
		c.multipleChoice(f)
		return
	case File:
		c.file(f)
		return
	}

	name := f.Key
	v, ok := c.single(name)
	if !ok {
		return
	}
	if v == "" {
		if f.Required {
			switch f.Type {
			case SingleChoice, Dropdown, YesNo:
				c.add(name, KeyRequiredChoice)
			case Booking:
				c.add(name, KeyRequiredTime)
			case Consent:
				c.add(name, KeyRequiredConsent)
			default:
				c.add(name, KeyRequired)
			}
		}
		return
	}
	if hasControl(v, f.Type == LongText) {
		c.add(name, KeyCharacters)
		return
	}

	switch f.Type {
	case ShortText, LongText:
		c.text(f, v)
	case Number:
		c.number(f, v)
	case Date:
		c.date(f, v)
	case Email:
		if !ValidEmail(v) {
			c.add(name, KeyEmail)
		}
	case Phone:
		if _, ok := normalizePhone(v); !ok {
			c.add(name, KeyPhone)
		}
	case PersonalNumber:
		if _, err := personnummer.ParseAt(v, c.now); err != nil {
			key := apperr.KeyOf(err)
			if key == "" {
				key = KeyPersonalNumber
			}
			c.add(name, key)
		}
	case OrgNumber:
		if _, problem := parseOrgNumber(v); problem != "" {
			c.add(name, problem)
		}
	case SingleChoice, Dropdown:
		if !hasOption(f, v) {
			c.add(name, KeyOption)
		}
	case YesNo:
		if v != "yes" && v != "no" {
			c.add(name, KeyOption)
		}
	case Consent:
		if v != "yes" {
			c.add(name, KeyOption)
		}
	case Booking:
		if _, _, ok := ParseBookingValue(v); !ok {
			c.add(name, KeyTime)
		}
	}
}

// unreadable reports KeyEncoding on each input of the field that has a value that is not valid
// UTF-8, and whether there was one: such an answer is refused, never read with replacement
// characters. The field's other checks wait until it is typed again.
func (c fieldChecker) unreadable(f *Field) bool {
	found := false
	for _, name := range f.InputNames() {
		if !readable(c.a[name]) {
			c.add(name, KeyEncoding)
			found = true
		}
	}
	return found
}

func readable(vals []string) bool {
	for _, v := range vals {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

func hasOption(f *Field, v string) bool {
	return slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v })
}

func (c fieldChecker) text(f *Field, v string) {
	n := utf8.RuneCountInString(v)
	maxLen := DefaultShortTextMax
	if f.Type == LongText {
		maxLen = DefaultLongTextMax
	} else if strings.ContainsAny(v, "\n\r\t") {
		c.add(f.Key, KeyCharacters)
		return
	}
	if f.Rules.MaxLength != nil {
		maxLen = *f.Rules.MaxLength
	}
	switch {
	case n > maxLen:
		c.add(f.Key, KeyTooLong)
		return
	case f.Rules.MinLength != nil && n < *f.Rules.MinLength:
		c.add(f.Key, KeyTooShort)
		return
	}
	if f.Type == ShortText && f.Rules.Pattern != "" {
		if re, err := compilePattern(f.Rules.Pattern); err == nil && !re.MatchString(v) {
			c.add(f.Key, KeyPattern)
		}
	}
}

func (c fieldChecker) number(f *Field, v string) {
	canon, ok := parseNumber(v)
	if !ok {
		c.add(f.Key, KeyNumber)
		return
	}
	if _, frac, _ := strings.Cut(canon, "."); f.Rules.Integer && strings.Trim(frac, "0") != "" {
		c.add(f.Key, KeyInteger)
		return
	}
	x := numberValue(canon)
	switch {
	case f.Rules.Min != nil && x < *f.Rules.Min:
		c.add(f.Key, KeyTooSmall)
	case f.Rules.Max != nil && x > *f.Rules.Max:
		c.add(f.Key, KeyTooLarge)
	}
}

func (c fieldChecker) date(f *Field, v string) {
	d, ok := parseDate(v)
	if !ok {
		c.add(f.Key, KeyDate)
		return
	}
	if f.Rules.MinDate != "" {
		if l, err := parseDateLimit(f.Rules.MinDate); err == nil && d.Before(l.on(c.today)) {
			c.add(f.Key, KeyDateTooEarly)
			return
		}
	}
	if f.Rules.MaxDate != "" {
		if l, err := parseDateLimit(f.Rules.MaxDate); err == nil && d.After(l.on(c.today)) {
			c.add(f.Key, KeyDateTooLate)
		}
	}
}

func (c fieldChecker) multipleChoice(f *Field) {
	vals := c.values(f.Key)
	if len(vals) == 0 {
		if f.Required {
			c.add(f.Key, KeyRequiredChoices)
		}
		return
	}
	for i, v := range vals {
		if !hasOption(f, v) {
			c.add(f.Key, KeyOption)
			return
		}
		if slices.Contains(vals[:i], v) {
			c.add(f.Key, KeyInvalid)
			return
		}
	}
	switch {
	case f.Rules.MinChoices != nil && len(vals) < *f.Rules.MinChoices:
		c.add(f.Key, KeyTooFewChoices)
	case f.Rules.MaxChoices != nil && len(vals) > *f.Rules.MaxChoices:
		c.add(f.Key, KeyTooManyChoices)
	}
}

func (c fieldChecker) file(f *Field) {
	ids := c.values(f.Key)
	switch {
	case len(ids) == 0:
		if f.Required {
			c.add(f.Key, KeyRequiredFile)
		}
		return
	case f.Upload != nil && len(ids) > f.Upload.MaxFiles:
		c.add(f.Key, KeyTooManyFiles)
		return
	}
	for i, id := range ids {
		if hasControl(id, false) || slices.Contains(ids[:i], id) {
			c.add(f.Key, KeyInvalid)
			return
		}
	}
}

// parts returns the single values of the parts of a compound field by part name, and false when
// a part had several values (reported).
func (c fieldChecker) parts(f *Field, names []string) (map[string]string, bool) {
	vals := map[string]string{}
	ok := true
	for _, p := range names {
		v, one := c.single(f.Key + "." + p)
		ok = ok && one
		vals[p] = v
	}
	return vals, ok
}

// textPart checks the characters and length of a part; false when it reported a problem.
func (c fieldChecker) textPart(input, v string, maxLen int) bool {
	switch {
	case v == "":
		return true
	case hasControl(v, false):
		c.add(input, KeyCharacters)
		return false
	case utf8.RuneCountInString(v) > maxLen:
		c.add(input, KeyTooLong)
		return false
	}
	return true
}

// address checks an address. When the field is required, or any part is filled in, street,
// postal code and city are needed; care_of is optional.
func (c fieldChecker) address(f *Field) {
	p, ok := c.parts(f, AddressParts)
	if !ok {
		return
	}
	if !f.Required && p["street"] == "" && p["care_of"] == "" && p["postal_code"] == "" && p["city"] == "" {
		return
	}
	in := func(part string) string { return f.Key + "." + part }
	if p["street"] == "" {
		c.add(in("street"), KeyRequiredStreet)
	} else {
		c.textPart(in("street"), p["street"], maxStreetLength)
	}
	c.textPart(in("care_of"), p["care_of"], maxStreetLength)
	if p["postal_code"] == "" {
		c.add(in("postal_code"), KeyRequiredPostalCode)
	} else if _, ok := parsePostalCode(p["postal_code"]); !ok {
		c.add(in("postal_code"), KeyPostalCode)
	}
	if p["city"] == "" {
		c.add(in("city"), KeyRequiredCity)
	} else {
		c.textPart(in("city"), p["city"], maxCityLength)
	}
}

// contact checks a contact block. When the field is required, or any part is filled in, a name
// and at least one way to reach the person (e-mail or phone) are needed; the missing way is
// reported on the e-mail input.
func (c fieldChecker) contact(f *Field) {
	p, ok := c.parts(f, ContactParts)
	if !ok {
		return
	}
	if !f.Required && p["name"] == "" && p["email"] == "" && p["phone"] == "" {
		return
	}
	in := func(part string) string { return f.Key + "." + part }
	if p["name"] == "" {
		c.add(in("name"), KeyRequiredName)
	} else {
		c.textPart(in("name"), p["name"], maxNameLength)
	}
	if p["email"] == "" && p["phone"] == "" {
		c.add(in("email"), KeyRequiredReach)
		return
	}
	if p["email"] != "" && !ValidEmail(p["email"]) {
		c.add(in("email"), KeyEmail)
	}
	if p["phone"] != "" {
		if _, ok := normalizePhone(p["phone"]); !ok {
			c.add(in("phone"), KeyPhone)
		}
	}
}

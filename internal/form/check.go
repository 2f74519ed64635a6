package form

import (
	"errors"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
)

// Limits of a definition, enforced by Check.
const (
	// DefaultShortTextMax is the longest short_text answer, in characters, when the field sets
	// no maxLength rule.
	DefaultShortTextMax = 200
	// DefaultLongTextMax is the longest long_text answer, in characters, without a maxLength rule.
	DefaultLongTextMax = 5000
	// MaxShortTextLength is the highest maxLength (and minLength) a short_text field may set.
	MaxShortTextLength = 1000
	// MaxLongTextLength is the highest maxLength (and minLength) a long_text field may set.
	MaxLongTextLength = 20000
	// MaxUploadBytes is the highest per-file limit (Upload.MaxBytes) of a file field: 25 MiB.
	MaxUploadBytes = 25 << 20
	// MaxUploadFiles is the highest number of files (Upload.MaxFiles) of a file field.
	MaxUploadFiles = 20
	// maxPatternLength limits the size of a pattern rule.
	maxPatternLength = 500
)

// Accepts reports whether the upload limits accept a file of the content type, compared without
// parameters and case: "text/plain; charset=utf-8" matches "text/plain".
func (u *Upload) Accepts(contentType string) bool {
	if u == nil {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return slices.Contains(u.Types, mt)
}

// keyPattern is the syntax of step and field keys. It has no dots, so "key.part" input names
// cannot clash with keys.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// ValidKey reports whether k has the syntax of a key: a lower-case letter, then up to 40 of a–z,
// 0–9 and underscores.
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// DefinitionError is one problem of a form definition, for the form editor.
type DefinitionError struct {
	// Path locates the problem in the JSON, with indexes from zero:
	// "steps[1].fields[2].showIf.field".
	Path string
	// Step and Field are the keys of the step and field concerned, as written (possibly invalid
	// or empty); Field is empty for a problem of the step itself.
	Step  string
	Field string
	// Key is the catalogue key of the message, starting with "error.form.def."; Args are the
	// values for its verbs, as listed in MESSAGES.md.
	Key  string
	Args []any
}

// DefinitionErrors are all the problems Check found, in the order of the definition.
type DefinitionErrors []DefinitionError

func (de DefinitionErrors) Error() string {
	parts := make([]string, len(de))
	for i, e := range de {
		parts[i] = e.Path + ": " + e.Key
		if len(e.Args) > 0 {
			parts[i] += fmt.Sprint(e.Args)
		}
	}
	return "form definition: " + strings.Join(parts, "; ")
}

// ErrDefinition is the error of Check (and Parse) for a definition with problems: kind
// apperr.Invalid; the problems are in its chain as DefinitionErrors.
var ErrDefinition = apperr.New(apperr.Invalid, "error.form.definition")

// AsDefinitionErrors returns the problems in err's chain, as returned by Check or Parse.
func AsDefinitionErrors(err error) (DefinitionErrors, bool) {
	var de DefinitionErrors
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

// fieldRef is what a condition needs to know of the field it refers to.
type fieldRef struct {
	step    int // index of its step
	ordinal int // position in the whole form
	field   *Field
}

// checker collects the problems of one definition.
type checker struct {
	errs   DefinitionErrors
	fields map[string]fieldRef // the first field of each key
}

func (c *checker) add(path, step, field, key string, args ...any) {
	c.errs = append(c.errs, DefinitionError{Path: path, Step: step, Field: field, Key: "error.form.def." + key, Args: args})
}

// Check reports every problem of the definition that the form editor must fix before the form
// can be used; nil when there is none. The error is ErrDefinition wrapping DefinitionErrors
// (see AsDefinitionErrors).
//
// Checked: at least one step; step keys valid and unique, Swedish step titles, at least one field
// per step; field keys valid and unique in the whole form, known types, Swedish labels (an info
// field needs a label or a help text, and cannot be required); options exactly on the choice
// types, with unique, non-empty, trimmed values and Swedish labels; rules only on the types they
// fit, with sensible values, min not above max, compiling patterns and valid date limits; upload
// limits exactly on file fields, within MaxUploadFiles and MaxUploadBytes and with types from
// AllowedUploadTypes; conditions with a known operator and the values it needs, on a field that
// comes earlier in the form (for a step: in an earlier step) and whose answer can be compared
// (see Condition.Holds), with values the field can have.
func (d *Definition) Check() error {
	c := &checker{fields: map[string]fieldRef{}}
	if len(d.Steps) == 0 {
		c.add("steps", "", "", "noSteps")
	}
	ordinal := 0
	for i := range d.Steps {
		for j := range d.Steps[i].Fields {
			f := &d.Steps[i].Fields[j]
			if _, dup := c.fields[f.Key]; !dup && f.Key != "" {
				c.fields[f.Key] = fieldRef{step: i, ordinal: ordinal, field: f}
			}
			ordinal++
		}
	}
	stepKeys := map[string]bool{}
	seenFields := map[string]bool{}
	ordinal = 0
	for i := range d.Steps {
		s := &d.Steps[i]
		p := fmt.Sprintf("steps[%d]", i)
		switch {
		case !keyPattern.MatchString(s.Key):
			c.add(p+".key", s.Key, "", "step.key")
		case stepKeys[s.Key]:
			c.add(p+".key", s.Key, "", "step.keyDuplicate", s.Key)
		}
		stepKeys[s.Key] = true
		if !s.Title.hasSwedish() {
			c.add(p+".title", s.Key, "", "step.title")
		}
		if s.ShowIf != nil {
			c.condition(s.ShowIf, p+".showIf", s.Key, "", i, -1)
		}
		if len(s.Fields) == 0 {
			c.add(p+".fields", s.Key, "", "step.noFields")
		}
		for j := range s.Fields {
			f := &s.Fields[j]
			fp := fmt.Sprintf("%s.fields[%d]", p, j)
			switch {
			case !keyPattern.MatchString(f.Key):
				c.add(fp+".key", s.Key, f.Key, "field.key")
			case seenFields[f.Key]:
				c.add(fp+".key", s.Key, f.Key, "field.keyDuplicate", f.Key)
			}
			seenFields[f.Key] = true
			c.field(f, fp, s.Key)
			if f.ShowIf != nil {
				c.condition(f.ShowIf, fp+".showIf", s.Key, f.Key, i, ordinal)
			}
			ordinal++
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return apperr.Wrap(apperr.Invalid, ErrDefinition.Key, c.errs)
}

// knownTypes are all field types.
var knownTypes = []FieldType{
	ShortText, LongText, Number, Date, Email, Phone, PersonalNumber, OrgNumber, Address,
	SingleChoice, MultipleChoice, Dropdown, YesNo, File, Info, Consent, Contact, Booking,
}

// resourcePattern is the syntax of a bookable resource's slug (booking_resource.slug).
var resourcePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,60}$`)

// Known reports whether t is one of the field types.
func (t FieldType) Known() bool { return slices.Contains(knownTypes, t) }

// hasOptions reports whether fields of the type have options.
func (t FieldType) hasOptions() bool {
	return t == SingleChoice || t == MultipleChoice || t == Dropdown
}

// prefillable are the types that Prefill may fill from the account.
var prefillable = []FieldType{Address, PersonalNumber, Email, Phone, ShortText}

func (c *checker) field(f *Field, p, step string) {
	add := func(path, key string, args ...any) { c.add(path, step, f.Key, key, args...) }
	if !f.Type.Known() {
		add(p+".type", "field.type", string(f.Type))
	}
	if f.Type == Info {
		if !f.Label.hasSwedish() && !f.Help.hasSwedish() {
			add(p+".label", "field.infoText")
		}
		if f.Required {
			add(p+".required", "field.infoRequired")
		}
	} else if !f.Label.hasSwedish() {
		add(p+".label", "field.label")
	}
	if f.Prefill && !slices.Contains(prefillable, f.Type) {
		add(p+".prefill", "field.prefill")
	}

	switch {
	case f.Type.hasOptions() && len(f.Options) == 0:
		add(p+".options", "options.missing")
	case !f.Type.hasOptions() && len(f.Options) > 0:
		add(p+".options", "options.notAllowed")
	}
	if f.Type.hasOptions() {
		values := map[string]bool{}
		for k, o := range f.Options {
			op := fmt.Sprintf("%s.options[%d]", p, k)
			switch {
			case !validValue(o.Value):
				add(op+".value", "option.value")
			case values[o.Value]:
				add(op+".value", "option.valueDuplicate", o.Value)
			}
			values[o.Value] = true
			if !o.Label.hasSwedish() {
				add(op+".label", "option.label")
			}
		}
	}

	switch {
	case f.Type == Booking && !resourcePattern.MatchString(f.Resource):
		add(p+".resource", "field.resource")
	case f.Type != Booking && f.Resource != "":
		add(p+".resource", "field.resourceNotAllowed")
	}

	c.rules(f, p+".rules", step)

	switch {
	case f.Type == File && f.Upload == nil:
		add(p+".upload", "upload.missing")
	case f.Type != File && f.Upload != nil:
		add(p+".upload", "upload.notAllowed")
	case f.Type == File:
		u := f.Upload
		if u.MaxFiles < 1 || u.MaxFiles > MaxUploadFiles {
			add(p+".upload.maxFiles", "upload.maxFiles", MaxUploadFiles)
		}
		if u.MaxBytes < 1 || u.MaxBytes > MaxUploadBytes {
			add(p+".upload.maxBytes", "upload.maxBytes", MaxUploadBytes>>20)
		}
		if len(u.Types) == 0 {
			add(p+".upload.types", "upload.types")
		}
		for k, t := range u.Types {
			tp := fmt.Sprintf("%s.upload.types[%d]", p, k)
			switch {
			case !slices.Contains(AllowedUploadTypes, t):
				add(tp, "upload.type", t)
			case slices.Contains(u.Types[:k], t):
				add(tp, "upload.typeDuplicate", t)
			}
		}
	}
}

// validValue reports whether s can be an option value or a compared value: not empty, without
// surrounding white space (answers are trimmed) and without control characters.
func validValue(s string) bool {
	return s != "" && s == strings.TrimSpace(s) && !hasControl(s, false)
}

func (c *checker) rules(f *Field, p, step string) {
	r := &f.Rules
	add := func(rule, key string, args ...any) { c.add(p+"."+rule, step, f.Key, key, args...) }
	fits := func(rule string, set bool, types ...FieldType) bool {
		if set && !slices.Contains(types, f.Type) {
			add(rule, "rule.notAllowed", rule)
			return false
		}
		return set
	}
	intRange := func(minName string, minV *int, maxName string, maxV *int, limit int, types ...FieldType) {
		minOK := fits(minName, minV != nil, types...)
		maxOK := fits(maxName, maxV != nil, types...)
		if minOK && *minV < 0 {
			add(minName, "rule.negative", minName)
			minOK = false
		}
		if maxOK && *maxV < 1 {
			add(maxName, "rule.atLeastOne", maxName)
			maxOK = false
		}
		if limit > 0 {
			if minOK && *minV > limit {
				add(minName, "rule.tooLarge", minName, limit)
				minOK = false
			}
			if maxOK && *maxV > limit {
				add(maxName, "rule.tooLarge", maxName, limit)
				maxOK = false
			}
		}
		if minOK && maxOK && *minV > *maxV {
			add(minName, "rule.range", minName, maxName)
		}
	}

	lengthLimit := 0
	switch f.Type {
	case ShortText:
		lengthLimit = MaxShortTextLength
	case LongText:
		lengthLimit = MaxLongTextLength
	}
	intRange("minLength", r.MinLength, "maxLength", r.MaxLength, lengthLimit, ShortText, LongText)

	if fits("pattern", r.Pattern != "", ShortText) {
		if len(r.Pattern) > maxPatternLength {
			add("pattern", "rule.patternTooLong", maxPatternLength)
		} else if _, err := compilePattern(r.Pattern); err != nil {
			add("pattern", "rule.pattern")
		}
	}
	if fits("patternMessage", len(r.PatternMessage) > 0, ShortText) {
		switch {
		case r.Pattern == "":
			add("patternMessage", "rule.patternMessageAlone")
		case !r.PatternMessage.hasSwedish():
			add("patternMessage", "rule.patternMessageSwedish")
		}
	}

	minOK := fits("min", r.Min != nil, Number)
	maxOK := fits("max", r.Max != nil, Number)
	if minOK && maxOK && *r.Min > *r.Max {
		add("min", "rule.range", "min", "max")
	}
	fits("integer", r.Integer, Number)

	minOK = fits("minDate", r.MinDate != "", Date)
	maxOK = fits("maxDate", r.MaxDate != "", Date)
	var minD, maxD dateLimit
	var err error
	if minOK {
		if minD, err = parseDateLimit(r.MinDate); err != nil {
			add("minDate", "rule.date", "minDate")
			minOK = false
		}
	}
	if maxOK {
		if maxD, err = parseDateLimit(r.MaxDate); err != nil {
			add("maxDate", "rule.date", "maxDate")
			maxOK = false
		}
	}
	if minOK && maxOK && minD.after(maxD) {
		add("minDate", "rule.range", "minDate", "maxDate")
	}

	intRange("minChoices", r.MinChoices, "maxChoices", r.MaxChoices, 0, MultipleChoice)
	if f.Type == MultipleChoice && r.MinChoices != nil && len(f.Options) > 0 && *r.MinChoices > len(f.Options) {
		add("minChoices", "rule.minChoices", len(f.Options))
	}
}

// comparableTypes are the types a condition may refer to.
var comparableTypes = []FieldType{SingleChoice, Dropdown, MultipleChoice, YesNo, Consent, ShortText, Number}

// condition checks a condition of the step with index stepIdx; ordinal is the position in the
// form of the field whose condition it is, or -1 for the step's own condition.
func (c *checker) condition(cond *Condition, p, step, field string, stepIdx, ordinal int) {
	add := func(path, key string, args ...any) { c.add(path, step, field, key, args...) }
	switch cond.Op {
	case OpEquals, OpNotEquals:
		if cond.Value == "" || len(cond.Values) > 0 {
			add(p+".value", "condition.value", cond.Op)
		}
	case OpOneOf:
		if cond.Value != "" || len(cond.Values) == 0 {
			add(p+".values", "condition.values")
		}
	default:
		add(p+".op", "condition.op", cond.Op)
	}

	ref, ok := c.fields[cond.Field]
	switch {
	case !ok:
		add(p+".field", "condition.field", cond.Field)
		return
	case ordinal < 0 && ref.step >= stepIdx:
		add(p+".field", "condition.stepOrder", cond.Field)
		return
	case ordinal >= 0 && ref.ordinal >= ordinal:
		add(p+".field", "condition.order", cond.Field)
		return
	case !slices.Contains(comparableTypes, ref.field.Type):
		add(p+".field", "condition.fieldType", cond.Field)
		return
	}

	check := func(vp, v string) {
		if !validValue(v) {
			add(vp, "condition.valueFormat")
			return
		}
		switch ref.field.Type {
		case SingleChoice, Dropdown, MultipleChoice:
			if !slices.ContainsFunc(ref.field.Options, func(o Option) bool { return o.Value == v }) {
				add(vp, "condition.option", v, cond.Field)
			}
		case YesNo:
			if v != "yes" && v != "no" {
				add(vp, "condition.yesNo", v)
			}
		case Consent:
			if v != "yes" {
				add(vp, "condition.consent", v)
			}
		case Number:
			if _, ok := parseNumber(v); !ok {
				add(vp, "condition.number", v)
			}
		}
	}
	if cond.Value != "" { // a missing value is reported above
		check(p+".value", cond.Value)
	}
	for k, v := range cond.Values {
		check(fmt.Sprintf("%s.values[%d]", p, k), v)
	}
}

// incomplete are the problems a definition being built may have for a while: a new form has no
// steps yet, a new step no fields. Publishing needs them fixed too.
var incomplete = []string{"error.form.def.noSteps", "error.form.def.step.noFields"}

// CheckDraft is Check for a definition being built in the editor: it tolerates the problems of a
// form that is not finished yet (no steps, a step without fields), and reports every other one.
func (d *Definition) CheckDraft() error {
	err := d.Check()
	de, ok := AsDefinitionErrors(err)
	if !ok {
		return err
	}
	de = slices.DeleteFunc(slices.Clone(de), func(e DefinitionError) bool { return slices.Contains(incomplete, e.Key) })
	if len(de) == 0 {
		return nil
	}
	return apperr.Wrap(apperr.Invalid, ErrDefinition.Key, de)
}

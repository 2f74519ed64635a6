package formread

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// Field is a field's form as typed.
type Field struct {
	Type, Key, LabelSv, LabelEn, HelpSv, HelpEn string
	Required, Personal, Prefill, Integer        bool
	Options                                     string // one per line: "value | Swedish | English"
	MinLength, MaxLength                        string
	Pattern, PatternMessageSv, PatternMessageEn string
	Min, Max, MinDate, MaxDate                  string
	MinChoices, MaxChoices                      string
	MaxFiles, MaxMB                             string
	UploadTypes                                 []string
	Resource                                    string // a booking field's resource, by slug
	Cond                                        Condition
}

// ReadField reads a posted field form.
func ReadField(v url.Values) Field {
	yes := func(name string) bool { return v.Get(name) == "yes" }
	return Field{
		Type: v.Get("type"), Key: strings.TrimSpace(v.Get("key")),
		LabelSv: v.Get("label_sv"), LabelEn: v.Get("label_en"), HelpSv: v.Get("help_sv"), HelpEn: v.Get("help_en"),
		Required: yes("required"), Personal: yes("personal"), Prefill: yes("prefill"), Integer: yes("integer"),
		Options:   v.Get("options"),
		MinLength: v.Get("min_length"), MaxLength: v.Get("max_length"),
		Pattern: v.Get("pattern"), PatternMessageSv: v.Get("pattern_message_sv"), PatternMessageEn: v.Get("pattern_message_en"),
		Min: v.Get("min"), Max: v.Get("max"), MinDate: v.Get("min_date"), MaxDate: v.Get("max_date"),
		MinChoices: v.Get("min_choices"), MaxChoices: v.Get("max_choices"),
		MaxFiles: v.Get("upload_max_files"), MaxMB: v.Get("upload_max_mb"), UploadTypes: v["upload_types"],
		Resource: strings.TrimSpace(v.Get("resource")),
		Cond:     readCondition(v),
	}
}

// NewField is the form of a new field of the type, with the usual upload limits for a file.
func NewField(t form.FieldType) Field {
	in := Field{Type: string(t), Cond: Condition{Op: form.OpEquals}}
	in.WithUploadDefaults()
	return in
}

// WithUploadDefaults fills in the usual limits of a file field when none are typed: one file of
// at most 10 MB, a PDF or a photo.
func (in *Field) WithUploadDefaults() {
	if in.Type == string(form.File) && in.MaxFiles == "" && in.MaxMB == "" && len(in.UploadTypes) == 0 {
		in.MaxFiles, in.MaxMB = "1", "10"
		in.UploadTypes = []string{"application/pdf", "image/jpeg", "image/png"}
	}
}

// FieldOf writes a field into its form, with numbers as the language (sv, en) writes them.
func FieldOf(f form.Field, lang string) Field {
	in := Field{Type: string(f.Type), Key: f.Key, LabelSv: f.Label["sv"], LabelEn: f.Label["en"],
		HelpSv: f.Help["sv"], HelpEn: f.Help["en"], Required: f.Required, Personal: f.Personal, Prefill: f.Prefill,
		Cond: ConditionOf(f.ShowIf), Options: formatOptions(f.Options), Resource: f.Resource}
	r := f.Rules
	in.MinLength, in.MaxLength = formatInt(r.MinLength), formatInt(r.MaxLength)
	in.Pattern, in.PatternMessageSv, in.PatternMessageEn = r.Pattern, r.PatternMessage["sv"], r.PatternMessage["en"]
	in.Min, in.Max, in.Integer = formatDecimal(r.Min, lang), formatDecimal(r.Max, lang), r.Integer
	in.MinDate, in.MaxDate = r.MinDate, r.MaxDate
	in.MinChoices, in.MaxChoices = formatInt(r.MinChoices), formatInt(r.MaxChoices)
	if u := f.Upload; u != nil {
		mb := float64(u.MaxBytes) / (1 << 20)
		in.MaxFiles, in.MaxMB, in.UploadTypes = strconv.Itoa(u.MaxFiles), formatDecimal(&mb, lang), slices.Clone(u.Types)
	}
	return in
}

// Parse returns the typed field: only the settings its type has are taken. The key is empty when
// none was typed. A number that cannot be read is an error at its input, and the rule is left out.
func (in Field) Parse() (form.Field, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	t := form.FieldType(in.Type)
	has := t.Settings()
	f := form.Field{Key: in.Key, Type: t, Label: Text(in.LabelSv, in.LabelEn), Help: Text(in.HelpSv, in.HelpEn),
		Required: has.Required && in.Required, Prefill: has.Prefill && in.Prefill, Personal: in.Personal,
		ShowIf: in.Cond.Parse()}
	if f.Label == nil {
		f.Label = form.Text{}
	}
	whole := func(name, value string) *int {
		n, ok := parseWhole(value)
		if !ok {
			errs.Add(name, "error.editor.whole")
		}
		return n
	}
	decimal := func(name, value string) *float64 {
		x, ok := parseDecimal(value)
		if !ok {
			errs.Add(name, "error.editor.number")
		}
		return x
	}
	if has.Options {
		var ok bool
		if f.Options, ok = parseOptions(in.Options); !ok {
			errs.Add("options", "error.editor.optionLine")
		}
	}
	if has.Length {
		f.Rules.MinLength, f.Rules.MaxLength = whole("min_length", in.MinLength), whole("max_length", in.MaxLength)
	}
	if has.Pattern {
		f.Rules.Pattern = strings.TrimSpace(in.Pattern)
		f.Rules.PatternMessage = Text(in.PatternMessageSv, in.PatternMessageEn)
	}
	if has.Number {
		f.Rules.Min, f.Rules.Max, f.Rules.Integer = decimal("min", in.Min), decimal("max", in.Max), in.Integer
	}
	if has.Dates {
		f.Rules.MinDate, f.Rules.MaxDate = strings.TrimSpace(in.MinDate), strings.TrimSpace(in.MaxDate)
	}
	if has.Choices {
		f.Rules.MinChoices, f.Rules.MaxChoices = whole("min_choices", in.MinChoices), whole("max_choices", in.MaxChoices)
	}
	if has.Resource {
		f.Resource = in.Resource
	}
	if has.Upload {
		u := &form.Upload{Types: slices.Compact(slices.Clone(in.UploadTypes))}
		if u.Types == nil {
			u.Types = []string{}
		}
		if n := whole("upload_max_files", in.MaxFiles); n != nil {
			u.MaxFiles = *n
		}
		if mb := decimal("upload_max_mb", in.MaxMB); mb != nil {
			u.MaxBytes = math.MaxInt64
			if *mb < 1<<20 {
				u.MaxBytes = int64(math.Round(*mb * (1 << 20)))
			}
		}
		f.Upload = u
	}
	return f, errs
}

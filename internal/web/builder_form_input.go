package web

import (
	"context"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// The forms of the form editor: reading a posted step or field form into the definition's types,
// writing a step or field back into a form, and placing the problems of a refused change at the
// inputs they concern. All parsing of the editor's forms is here.

// conditionInput is the "show only when" part of a form, as typed.
type conditionInput struct {
	Field string // "" for always shown
	Op    string
	Value string // one value, or one per line for oneOf
}

func readConditionInput(v url.Values) conditionInput {
	c := conditionInput{Field: strings.TrimSpace(v.Get("show_if_field")), Op: v.Get("show_if_op"), Value: v.Get("show_if_value")}
	if c.Op == "" {
		c.Op = form.OpEquals
	}
	return c
}

func conditionInputOf(c *form.Condition) conditionInput {
	if c == nil {
		return conditionInput{Op: form.OpEquals}
	}
	in := conditionInput{Field: c.Field, Op: c.Op, Value: c.Value}
	if c.Op == form.OpOneOf {
		in.Value = strings.Join(c.Values, "\n")
	}
	return in
}

// condition is the typed condition; nil when no field is chosen.
func (c conditionInput) condition() *form.Condition {
	if c.Field == "" {
		return nil
	}
	cond := &form.Condition{Field: c.Field, Op: c.Op}
	if c.Op == form.OpOneOf {
		for line := range strings.Lines(c.Value) {
			if v := strings.TrimSpace(line); v != "" {
				cond.Values = append(cond.Values, v)
			}
		}
	} else {
		cond.Value = strings.TrimSpace(c.Value)
	}
	return cond
}

// stepInput is a step's form as typed.
type stepInput struct {
	Key, TitleSv, TitleEn, IntroSv, IntroEn string
	Cond                                    conditionInput
}

func readStepInput(v url.Values) stepInput {
	return stepInput{Key: strings.TrimSpace(v.Get("key")), TitleSv: v.Get("title_sv"), TitleEn: v.Get("title_en"),
		IntroSv: v.Get("intro_sv"), IntroEn: v.Get("intro_en"), Cond: readConditionInput(v)}
}

func stepInputOf(s form.Step) stepInput {
	return stepInput{Key: s.Key, TitleSv: s.Title["sv"], TitleEn: s.Title["en"], IntroSv: s.Intro["sv"], IntroEn: s.Intro["en"],
		Cond: conditionInputOf(s.ShowIf)}
}

// step is the typed step, without fields; its key is empty when none was typed.
func (in stepInput) step() form.Step {
	return form.Step{Key: in.Key, Title: editorText(in.TitleSv, in.TitleEn), Intro: editorText(in.IntroSv, in.IntroEn),
		ShowIf: in.Cond.condition()}
}

// editorText is a text of the form's Swedish and English inputs, trimmed; nil when both are blank.
func editorText(sv, en string) form.Text {
	t := form.Text{}
	if s := strings.TrimSpace(sv); s != "" {
		t["sv"] = s
	}
	if s := strings.TrimSpace(en); s != "" {
		t["en"] = s
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

// fieldInput is a field's form as typed.
type fieldInput struct {
	Type, Key, LabelSv, LabelEn, HelpSv, HelpEn string
	Required, Personal, Prefill, Integer        bool
	Options                                     string // one per line: "value | Swedish | English"
	MinLength, MaxLength                        string
	Pattern, PatternMessageSv, PatternMessageEn string
	Min, Max, MinDate, MaxDate                  string
	MinChoices, MaxChoices                      string
	MaxFiles, MaxMB                             string
	UploadTypes                                 []string
	Cond                                        conditionInput
}

func readFieldInput(v url.Values) fieldInput {
	yes := func(name string) bool { return v.Get(name) == "yes" }
	return fieldInput{
		Type: v.Get("type"), Key: strings.TrimSpace(v.Get("key")),
		LabelSv: v.Get("label_sv"), LabelEn: v.Get("label_en"), HelpSv: v.Get("help_sv"), HelpEn: v.Get("help_en"),
		Required: yes("required"), Personal: yes("personal"), Prefill: yes("prefill"), Integer: yes("integer"),
		Options:   v.Get("options"),
		MinLength: v.Get("min_length"), MaxLength: v.Get("max_length"),
		Pattern: v.Get("pattern"), PatternMessageSv: v.Get("pattern_message_sv"), PatternMessageEn: v.Get("pattern_message_en"),
		Min: v.Get("min"), Max: v.Get("max"), MinDate: v.Get("min_date"), MaxDate: v.Get("max_date"),
		MinChoices: v.Get("min_choices"), MaxChoices: v.Get("max_choices"),
		MaxFiles: v.Get("upload_max_files"), MaxMB: v.Get("upload_max_mb"), UploadTypes: v["upload_types"],
		Cond: readConditionInput(v),
	}
}

// newFieldInput is the form of a new field of the type, with the usual upload limits for a file.
func newFieldInput(t form.FieldType) fieldInput {
	in := fieldInput{Type: string(t), Cond: conditionInput{Op: form.OpEquals}}
	in.withUploadDefaults()
	return in
}

// withUploadDefaults fills in the usual limits of a file field when none are typed: one file of
// at most 10 MB, a PDF or a photo.
func (in *fieldInput) withUploadDefaults() {
	if in.Type == string(form.File) && in.MaxFiles == "" && in.MaxMB == "" && len(in.UploadTypes) == 0 {
		in.MaxFiles, in.MaxMB = "1", "10"
		in.UploadTypes = []string{"application/pdf", "image/jpeg", "image/png"}
	}
}

// fieldInputOf writes a field into its form.
func fieldInputOf(f form.Field, lang string) fieldInput {
	in := fieldInput{Type: string(f.Type), Key: f.Key, LabelSv: f.Label["sv"], LabelEn: f.Label["en"],
		HelpSv: f.Help["sv"], HelpEn: f.Help["en"], Required: f.Required, Personal: f.Personal, Prefill: f.Prefill,
		Cond: conditionInputOf(f.ShowIf)}
	var lines []string
	for _, o := range f.Options {
		line := o.Value + " | " + o.Label["sv"]
		if en := o.Label["en"]; en != "" {
			line += " | " + en
		}
		lines = append(lines, line)
	}
	in.Options = strings.Join(lines, "\n")
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

// fieldTraits are the settings a field type has in the form.
type fieldTraits struct {
	require, prefill, options, length, pattern, number, dates, choices, upload bool
}

func traitsOf(t form.FieldType) fieldTraits {
	return fieldTraits{
		require: t != form.Info,
		prefill: t.Prefillable(),
		options: t.HasOptions(),
		length:  t == form.ShortText || t == form.LongText,
		pattern: t == form.ShortText,
		number:  t == form.Number,
		dates:   t == form.Date,
		choices: t == form.MultipleChoice,
		upload:  t == form.File,
	}
}

// field reads the typed field: only the settings its type has are taken. The key is empty when
// none was typed. A number that cannot be read is an error at its input, and the rule is left out.
func (in fieldInput) field() (form.Field, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	t := form.FieldType(in.Type)
	tr := traitsOf(t)
	f := form.Field{Key: in.Key, Type: t, Label: editorText(in.LabelSv, in.LabelEn), Help: editorText(in.HelpSv, in.HelpEn),
		Required: tr.require && in.Required, Prefill: tr.prefill && in.Prefill, Personal: in.Personal,
		ShowIf: in.Cond.condition()}
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
	if tr.options {
		var ok bool
		if f.Options, ok = parseOptions(in.Options); !ok {
			errs.Add("options", "error.editor.optionLine")
		}
	}
	if tr.length {
		f.Rules.MinLength, f.Rules.MaxLength = whole("min_length", in.MinLength), whole("max_length", in.MaxLength)
	}
	if tr.pattern {
		f.Rules.Pattern = strings.TrimSpace(in.Pattern)
		f.Rules.PatternMessage = editorText(in.PatternMessageSv, in.PatternMessageEn)
	}
	if tr.number {
		f.Rules.Min, f.Rules.Max, f.Rules.Integer = decimal("min", in.Min), decimal("max", in.Max), in.Integer
	}
	if tr.dates {
		f.Rules.MinDate, f.Rules.MaxDate = strings.TrimSpace(in.MinDate), strings.TrimSpace(in.MaxDate)
	}
	if tr.choices {
		f.Rules.MinChoices, f.Rules.MaxChoices = whole("min_choices", in.MinChoices), whole("max_choices", in.MaxChoices)
	}
	if tr.upload {
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

// parseOptions reads the options, one per line: "value | Swedish text | English text",
// "value | Swedish text", or only the Swedish text, whose value is then made from it (unique
// among the options). Blank lines are skipped; ok is false for a line of more than three parts.
func parseOptions(text string) (opts []form.Option, ok bool) {
	ok = true
	var made []int // the options whose value is to be made from their text
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		switch len(parts) {
		case 1:
			made = append(made, len(opts))
			opts = append(opts, form.Option{Label: editorText(parts[0], "")})
		case 2:
			opts = append(opts, form.Option{Value: parts[0], Label: editorText(parts[1], "")})
		case 3:
			opts = append(opts, form.Option{Value: parts[0], Label: editorText(parts[1], parts[2])})
		default:
			ok = false
		}
	}
	used := map[string]bool{}
	for _, o := range opts {
		used[o.Value] = true
	}
	for _, i := range made {
		base := form.Slug(opts[i].Label["sv"])
		if base == "" {
			base = opts[i].Label["sv"]
		}
		v := base
		for n := 2; used[v]; n++ {
			v = base + "_" + strconv.Itoa(n)
		}
		used[v] = true
		opts[i].Value = v
	}
	for i := range opts {
		if opts[i].Label == nil {
			opts[i].Label = form.Text{}
		}
	}
	return opts, ok
}

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

// uploadTypeNames are the readable names of the allowed upload types: "editor.filetype.<name>".
var uploadTypeNames = map[string]string{
	"application/pdf": "pdf",
	"image/jpeg":      "jpeg",
	"image/png":       "png",
	"image/gif":       "gif",
	"image/webp":      "webp",
	"text/plain":      "text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
	"application/msword": "doc",
}

// fieldTypeChoices are the field types with their names, for a select.
func fieldTypeChoices(ctx context.Context) []templates.Choice {
	var out []templates.Choice
	for _, t := range form.FieldTypes() {
		out = append(out, templates.Choice{Value: string(t), Label: i18n.T(ctx, "editor.type."+string(t))})
	}
	return out
}

// conditionView is the "show only when" part of a form: the fields a condition can use are the
// first before of the form, of the types a condition can compare. A field typed that is not one
// of them is offered too, so that the form shows what was typed.
func conditionView(ctx context.Context, d *form.Definition, before int, c conditionInput) templates.EditorCondition {
	l := lang(ctx)
	v := templates.EditorCondition{Field: c.Field, Op: c.Op, Value: c.Value,
		Fields: []templates.Choice{{Value: "", Label: i18n.T(ctx, "editor.condition.always")}},
		Ops: []templates.Choice{
			{Value: form.OpEquals, Label: i18n.T(ctx, "editor.condition.op.equals")},
			{Value: form.OpNotEquals, Label: i18n.T(ctx, "editor.condition.op.notEquals")},
			{Value: form.OpOneOf, Label: i18n.T(ctx, "editor.condition.op.oneOf")},
		}}
	found := c.Field == ""
	n := 0
	for _, s := range d.Steps {
		for _, f := range s.Fields {
			if n >= before {
				break
			}
			n++
			if !f.Type.Comparable() {
				continue
			}
			label := fieldName(f, l)
			v.Fields = append(v.Fields, templates.Choice{Value: f.Key, Label: label + " (" + f.Key + ")"})
			found = found || f.Key == c.Field
			if values := valuesText(ctx, f); values != "" {
				v.Values = append(v.Values, templates.EditorValues{Label: label, Values: values})
			}
		}
	}
	if !found {
		label := c.Field
		if f, ok := d.Field(c.Field); ok {
			label = fieldName(f, l) + " (" + f.Key + ")"
		}
		v.Fields = append(v.Fields, templates.Choice{Value: c.Field, Label: label})
	}
	return v
}

// fieldName is the field's label; for an information text without one, the start of its text;
// else its key.
func fieldName(f form.Field, lang string) string {
	if l := f.Label.In(lang); l != "" {
		return l
	}
	if h := f.Help.In(lang); h != "" {
		return shorten(h, 60)
	}
	return f.Key
}

// valuesText lists the values a condition on the field can compare, with what they mean:
// "ja (Ja), nej (Nej)"; "" for a field whose answers are free text or numbers.
func valuesText(ctx context.Context, f form.Field) string {
	var parts []string
	for _, v := range fieldValues(f) {
		parts = append(parts, v+" ("+valueName(ctx, f, v)+")")
	}
	return strings.Join(parts, ", ")
}

func fieldValues(f form.Field) []string {
	switch {
	case f.Type.HasOptions():
		var vs []string
		for _, o := range f.Options {
			vs = append(vs, o.Value)
		}
		return vs
	case f.Type == form.YesNo:
		return []string{"yes", "no"}
	case f.Type == form.Consent:
		return []string{"yes"}
	}
	return nil
}

// valueName is what a compared value means to the admin: an option's text, yes or no.
func valueName(ctx context.Context, f form.Field, v string) string {
	switch {
	case f.Type.HasOptions():
		for _, o := range f.Options {
			if o.Value == v && o.Label.In(lang(ctx)) != "" {
				return o.Label.In(lang(ctx))
			}
		}
	case f.Type == form.YesNo && v == "yes":
		return i18n.T(ctx, "form.yes")
	case f.Type == form.YesNo && v == "no":
		return i18n.T(ctx, "form.no")
	case f.Type == form.Consent && v == "yes":
		return i18n.T(ctx, "form.consent.given")
	}
	return v
}

// conditionSummary says when a step or field is shown: "Visas när ”Har du barn?” är ”Ja”".
func conditionSummary(ctx context.Context, d *form.Definition, c *form.Condition) string {
	if c == nil {
		return ""
	}
	ref, ok := d.Field(c.Field)
	label := c.Field
	if ok {
		label = fieldName(ref, lang(ctx))
	}
	switch c.Op {
	case form.OpEquals:
		return i18n.T(ctx, "editor.condition.summary.equals", label, valueName(ctx, ref, c.Value))
	case form.OpNotEquals:
		return i18n.T(ctx, "editor.condition.summary.notEquals", label, valueName(ctx, ref, c.Value))
	case form.OpOneOf:
		names := make([]string, len(c.Values))
		for i, v := range c.Values {
			names[i] = valueName(ctx, ref, v)
		}
		return i18n.T(ctx, "editor.condition.summary.oneOf", label, strings.Join(names, i18n.T(ctx, "editor.condition.summary.or")))
	}
	return i18n.T(ctx, "editor.condition.summary.unknown", label)
}

// fieldFormView is the form of a field as typed. before is how many fields of the form come
// before it (the ones its condition may use).
func fieldFormView(ctx context.Context, head templates.BuilderHead, d *form.Definition, in fieldInput, before int) templates.EditorFieldView {
	tr := traitsOf(form.FieldType(in.Type))
	v := templates.EditorFieldView{Head: head, Types: fieldTypeChoices(ctx), Type: in.Type, Key: in.Key,
		LabelSv: in.LabelSv, LabelEn: in.LabelEn, HelpSv: in.HelpSv, HelpEn: in.HelpEn,
		Required: in.Required, Personal: in.Personal, Prefill: in.Prefill,
		CanRequire: tr.require, CanPrefill: tr.prefill, HasOptions: tr.options, HasLength: tr.length, HasPattern: tr.pattern,
		HasNumber: tr.number, HasDates: tr.dates, HasChoices: tr.choices, HasUpload: tr.upload,
		Options: in.Options, MinLength: in.MinLength, MaxLength: in.MaxLength, Pattern: in.Pattern,
		PatternMessageSv: in.PatternMessageSv, PatternMessageEn: in.PatternMessageEn, Min: in.Min, Max: in.Max, Integer: in.Integer,
		MinDate: in.MinDate, MaxDate: in.MaxDate, MinChoices: in.MinChoices, MaxChoices: in.MaxChoices,
		MaxFiles: in.MaxFiles, MaxMB: in.MaxMB,
		Condition: conditionView(ctx, d, before, in.Cond)}
	if !form.FieldType(in.Type).Known() {
		v.Types = append(v.Types, templates.Choice{Value: in.Type, Label: in.Type})
	}
	for _, t := range form.AllowedUploadTypes {
		v.UploadTypes = append(v.UploadTypes, templates.OptionView{Value: t, Label: uploadTypeName(ctx, t), Checked: slices.Contains(in.UploadTypes, t)})
	}
	return v
}

func uploadTypeName(ctx context.Context, t string) string {
	if name, ok := uploadTypeNames[t]; ok {
		return i18n.T(ctx, "editor.filetype."+name)
	}
	return t
}

// stepFormView is the form of a step as typed; before is how many fields come before the step.
func stepFormView(ctx context.Context, head templates.BuilderHead, d *form.Definition, in stepInput, before int) templates.EditorStepView {
	return templates.EditorStepView{Head: head, Key: in.Key, TitleSv: in.TitleSv, TitleEn: in.TitleEn,
		IntroSv: in.IntroSv, IntroEn: in.IntroEn, Condition: conditionView(ctx, d, before, in.Cond)}
}

// fieldsBefore counts the fields of the form before field j of step i.
func fieldsBefore(d *form.Definition, i, j int) int {
	n := j
	for _, s := range d.Steps[:i] {
		n += len(s.Fields)
	}
	return n
}

// locateField returns the step and field index of the field with the key, or -1, -1.
func locateField(d *form.Definition, key string) (int, int) {
	for i, s := range d.Steps {
		for j, f := range s.Fields {
			if f.Key == key {
				return i, j
			}
		}
	}
	return -1, -1
}

// locateStep returns the index of the step with the key, or -1.
func locateStep(d *form.Definition, key string) int {
	return slices.IndexFunc(d.Steps, func(s form.Step) bool { return s.Key == key })
}

// workingForm is the form being edited: the draft version's, else the published one's, else an
// empty form.
func (s *Server) workingForm(ctx context.Context, e eservice.EService) (*form.Definition, error) {
	v, _, err := s.eservices.Working(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	if v.Definition == nil {
		return &form.Definition{Steps: []form.Step{}}, nil
	}
	return v.Definition, nil
}

// formChange is a change of the form: op changes a definition, and item says where the step or
// field it is about is afterwards ("steps[1].fields[0]"), for its problems.
type formChange struct {
	action, target string
	op             func(*form.Definition) error
	item           func(*form.Definition) string
}

// apply makes the change on the draft version; path is the changed item's path when the change
// got as far as the check.
func (s *Server) applyChange(ctx context.Context, e eservice.EService, c formChange) (path string, err error) {
	_, err = s.eservices.EditDraft(ctx, staffFrom(ctx).Actor(), e.ID, c.action, c.target, func(d *form.Definition) error {
		if err := c.op(d); err != nil {
			return err
		}
		if c.item != nil {
			path = c.item(d)
		}
		return nil
	})
	return path, err
}

// try makes the change on a copy of d and checks it as EditDraft would, storing nothing.
func (c formChange) try(d *form.Definition) (path string, err error) {
	d = d.Clone()
	if err := c.op(d); err != nil {
		return "", err
	}
	if c.item != nil {
		path = c.item(d)
	}
	return path, d.CheckDraft()
}

// itemPath is the path of the step or field a problem's path is in.
var itemPath = regexp.MustCompile(`^steps\[\d+\](\.fields\[\d+\])?`)

// placeProblems splits the problems of a refused change: those of the changed step or field (at
// path; every problem when path is empty, as when the change itself was refused) go to the input
// that inputName names for the rest of their path, the others are listed with links to where
// they are fixed.
func placeProblems(ctx context.Context, eserviceID string, d *form.Definition, de form.DefinitionErrors, path string, inputName func(string) string) ([]templates.FieldMessage, []templates.DefinitionProblem) {
	var own []templates.FieldMessage
	var others form.DefinitionErrors
	for _, e := range de {
		item := itemPath.FindString(e.Path)
		name := ""
		if path == "" || item == path {
			name = inputName(strings.TrimPrefix(e.Path, item))
		}
		if name == "" {
			others = append(others, e)
			continue
		}
		own = append(own, templates.FieldMessage{Field: name, Message: editorMessage(ctx, e)})
	}
	var problems []templates.DefinitionProblem
	if len(others) > 0 {
		problems = definitionProblems(ctx, eserviceID, d, others)
	}
	return own, problems
}

// ruleInputs are the inputs of the rules, by the rules' names in the definition.
var ruleInputs = map[string]string{
	"minLength": "min_length", "maxLength": "max_length", "pattern": "pattern", "patternMessage": "pattern_message_sv",
	"min": "min", "max": "max", "integer": "integer", "minDate": "min_date", "maxDate": "max_date",
	"minChoices": "min_choices", "maxChoices": "max_choices",
}

// editorMessage translates a problem for the editor's forms: a rule is named by its input's label.
func editorMessage(ctx context.Context, e form.DefinitionError) string {
	args := slices.Clone(e.Args)
	if strings.HasPrefix(e.Key, "error.form.def.rule.") {
		for i, a := range args {
			if name, ok := a.(string); ok && ruleInputs[name] != "" {
				args[i] = "”" + i18n.T(ctx, "editor.rule."+name) + "”"
			}
		}
	}
	return i18n.T(ctx, e.Key, args...)
}

// conditionInputName is the input of a condition's problem.
func conditionInputName(tail string) string {
	switch {
	case tail == ".showIf.op":
		return "show_if_op"
	case strings.HasPrefix(tail, ".showIf.value"):
		return "show_if_value"
	}
	return "show_if_field"
}

// fieldInputName is the input of the field form that a problem's path in the field names.
func fieldInputName(tail string) string {
	switch {
	case tail == ".key":
		return "key"
	case tail == ".type":
		return "type"
	case tail == ".label":
		return "label_sv"
	case tail == ".help":
		return "help_sv"
	case tail == ".required":
		return "required"
	case tail == ".prefill":
		return "prefill"
	case strings.HasPrefix(tail, ".options"):
		return "options"
	case strings.HasPrefix(tail, ".rules."):
		return ruleInputs[strings.TrimPrefix(tail, ".rules.")]
	case tail == ".upload", tail == ".upload.maxFiles":
		return "upload_max_files"
	case tail == ".upload.maxBytes":
		return "upload_max_mb"
	case strings.HasPrefix(tail, ".upload.types"):
		return "upload_types"
	case strings.HasPrefix(tail, ".showIf"):
		return conditionInputName(tail)
	}
	return ""
}

// stepInputName is the input of the step form that a problem's path in the step names.
func stepInputName(tail string) string {
	switch {
	case tail == ".key":
		return "key"
	case tail == ".title":
		return "title_sv"
	case tail == ".intro":
		return "intro_sv"
	case strings.HasPrefix(tail, ".showIf"):
		return conditionInputName(tail)
	}
	return ""
}

// newStepInputName is the input of the editor's add-step form that a problem's path names.
func newStepInputName(tail string) string {
	switch tail {
	case ".key":
		return "new_step_key"
	case ".title":
		return "new_step_title"
	}
	return ""
}

// moveDelta reads the direction of a move button: "upp" is one place up, "ned" one down.
func moveDelta(direction string) (int, error) {
	switch direction {
	case "upp":
		return -1, nil
	case "ned":
		return 1, nil
	}
	return 0, form.ErrCannotMove
}

// refusal is what a refused change shows at its form: the messages at the inputs and the
// problems the change causes elsewhere in the form.
type refusal struct {
	Errors []templates.FieldMessage
	Others []templates.DefinitionProblem
}

// change makes the change of a step's or field's form. When the form has errors of its own
// (formErrs), nothing is stored: the change is only tried, for the problems it would have besides.
// A refused change is returned as a refusal, with a nil error; another failure as the error.
func (s *Server) change(ctx context.Context, e eservice.EService, d *form.Definition, c formChange, formErrs apperr.FieldErrors, inputName func(string) string) (*refusal, error) {
	var path string
	var err error
	if len(formErrs) == 0 {
		path, err = s.applyChange(ctx, e, c)
	} else {
		path, err = c.try(d)
	}
	de, refused := form.AsDefinitionErrors(err)
	if err != nil && !refused {
		return nil, err
	}
	if !refused && len(formErrs) == 0 {
		return nil, nil
	}
	own, others := placeProblems(ctx, e.ID.String(), d, de, path, inputName)
	return &refusal{Errors: append(fieldMessages(ctx, formErrs), own...), Others: others}, nil
}

package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// stepLinks are where a step page's forms and links lead: the draft's own pages, or the admin's
// preview, which stores nothing (no file links, no saving for later, no deleting).
type stepLinks struct {
	step    func(key string) string
	file    func(id uuid.UUID) string // nil: files are shown by name only
	delete  string                    // "": no button that deletes the draft
	preview *templates.PreviewInfo
}

// draftLinks are the links of a citizen's draft.
func draftLinks(j journey) stepLinks {
	base := "/utkast/" + j.Draft.ID.String()
	return stepLinks{step: j.stepURL, file: func(id uuid.UUID) string { return base + "/filer/" + id.String() }, delete: base + "/radera"}
}

// stepView builds the page of one step from the draft's answers, the step's errors and files.
func (s *Server) stepView(ctx context.Context, j journey, step form.Step, errs apperr.FieldErrors, files []draft.File) templates.StepView {
	return s.stepViewWith(ctx, j, draftLinks(j), step, errs, files)
}

// stepViewWith is stepView with the links of a draft or of the preview.
func (s *Server) stepViewWith(ctx context.Context, j journey, links stepLinks, step form.Step, errs apperr.FieldErrors, files []draft.File) templates.StepView {
	lang := string(i18n.FromContext(ctx).Lang)
	def := j.Version.Definition
	a := j.Draft.Answers
	visible := def.VisibleSteps(a)
	v := templates.StepView{
		Action:        links.step(step.Key),
		EService:      j.EService.Title.In(lang),
		Municipality:  j.EService.Municipality,
		Count:         len(visible),
		Title:         step.Title.In(lang),
		Intro:         step.Intro.In(lang),
		LoggedIn:      s.citizenID(ctx) != uuid.Nil,
		LoginURL:      loginPath(links.step(step.Key)),
		DeleteAction:  links.delete,
		Supplementing: j.CaseRef,
		Preview:       links.preview,
	}
	reached := true
	for i, st := range visible {
		item := templates.ProgressItem{Title: st.Title.In(lang), Current: st.Key == step.Key}
		if item.Current {
			v.Number = i + 1
			v.First = i == 0
			reached = false
		} else if reached {
			item.Done = true
		}
		if item.Done {
			item.URL = links.step(st.Key)
		}
		v.Progress = append(v.Progress, item)
	}

	sameStep := map[string]form.Field{}
	for _, f := range step.Fields {
		sameStep[f.Key] = f
	}
	for _, f := range def.PageFields(step, a) {
		dep, dependsHere := conditionInStep(f, sameStep)
		fv := fieldView(ctx, lang, j, links, f, a, errs, files)
		if dependsHere {
			fv.CondField, fv.CondOp = f.ShowIf.Field, f.ShowIf.Op
			values := f.ShowIf.Values
			if f.ShowIf.Op != form.OpOneOf {
				values = []string{f.ShowIf.Value}
			}
			fv.CondValues = strings.Join(values, ",")
			fv.ConditionHint = conditionHint(ctx, lang, dep, f.ShowIf)
		}
		if f.Type == form.File {
			v.Multipart = true
		}
		v.Fields = append(v.Fields, fv)
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, templates.FieldMessage{
			Field:   e.Field,
			Message: i18n.T(ctx, "form.error.field", inputLabel(ctx, lang, def, e.Field), fieldMessage(ctx, lang, def, e)),
		})
	}
	return v
}

// inputLabel names an input for the error summary: the field's label, and for a part of an
// address or contact block the part too.
func inputLabel(ctx context.Context, lang string, def *form.Definition, input string) string {
	key, part, _ := strings.Cut(input, ".")
	f, ok := def.Field(key)
	if !ok {
		return input
	}
	if part != "" {
		return f.Label.In(lang) + " – " + i18n.T(ctx, "form.part."+part)
	}
	return f.Label.In(lang)
}

// fieldMessage is the text of an answer's error: the e-service's own pattern message where it
// has one, what the field allows when the answer is outside its limits, the catalogue's
// otherwise.
func fieldMessage(ctx context.Context, lang string, def *form.Definition, e apperr.FieldError) string {
	key, _, _ := strings.Cut(e.Field, ".")
	f, ok := def.Field(key)
	switch {
	case ok && e.Key == form.KeyPattern && f.Rules.PatternMessage.In(lang) != "":
		return f.Rules.PatternMessage.In(lang)
	case ok && form.IsLimitError(e.Key):
		if l, ok := form.LimitOf(&f, lang); ok {
			return i18n.T(ctx, l.Key, l.Args...)
		}
	}
	return i18n.T(ctx, e.Key)
}

// conditionInStep reports whether the field's condition depends on a field of the same step:
// then the page shows it and lets the browser (or the next post) decide.
func conditionInStep(f form.Field, sameStep map[string]form.Field) (form.Field, bool) {
	if f.ShowIf == nil {
		return form.Field{}, false
	}
	dep, ok := sameStep[f.ShowIf.Field]
	return dep, ok
}

// conditionHint tells, without JavaScript, when a conditional field applies.
func conditionHint(ctx context.Context, lang string, dep form.Field, c *form.Condition) string {
	values := c.Values
	if c.Op != form.OpOneOf {
		values = []string{c.Value}
	}
	var labels []string
	for _, val := range values {
		labels = append(labels, "”"+optionLabel(ctx, lang, dep, val)+"”")
	}
	key := "form.condition.equals"
	if c.Op == form.OpNotEquals {
		key = "form.condition.notequals"
	}
	return i18n.T(ctx, key, strings.Join(labels, " / "), dep.Label.In(lang))
}

func optionLabel(ctx context.Context, lang string, f form.Field, value string) string {
	switch f.Type {
	case form.YesNo, form.Consent:
		return i18n.T(ctx, "form."+value)
	}
	for _, o := range f.Options {
		if o.Value == value {
			return o.Label.In(lang)
		}
	}
	return value
}

func fieldView(ctx context.Context, lang string, j journey, links stepLinks, f form.Field, a form.Answers, errs apperr.FieldErrors, files []draft.File) templates.FieldView {
	first := func(name string) string {
		if v := a[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	fv := templates.FieldView{
		Key:      f.Key,
		Type:     string(f.Type),
		Label:    f.Label.In(lang),
		Help:     f.Help.In(lang),
		Required: f.Required,
		Value:    first(f.Key),
	}
	if key := errs.For(f.Key); key != "" {
		fv.Error = fieldMessage(ctx, lang, j.Version.Definition, apperr.FieldError{Field: f.Key, Key: key})
	}
	if l, ok := form.LimitOf(&f, lang); ok {
		fv.Limit = i18n.T(ctx, l.Key, l.Args...)
	}
	switch f.Type {
	case form.ShortText:
		fv.InputType = "text"
	case form.Number:
		fv.InputType, fv.InputMode = "text", "decimal"
	case form.Date:
		fv.InputType = "date"
	case form.Email:
		fv.InputType, fv.Autocomplete = "email", "email"
	case form.Phone:
		fv.InputType, fv.Autocomplete = "tel", "tel"
	case form.PersonalNumber, form.OrgNumber:
		fv.InputType, fv.InputMode = "text", "numeric"
	case form.YesNo:
		for _, val := range []string{"yes", "no"} {
			fv.Options = append(fv.Options, templates.OptionView{Value: val, Label: i18n.T(ctx, "form."+val), Checked: fv.Value == val})
		}
	case form.SingleChoice, form.Dropdown, form.MultipleChoice:
		chosen := map[string]bool{}
		for _, val := range a[f.Key] {
			chosen[val] = true
		}
		for _, o := range f.Options {
			fv.Options = append(fv.Options, templates.OptionView{Value: o.Value, Label: o.Label.In(lang), Checked: chosen[o.Value]})
		}
	case form.Address:
		fv.Parts = parts(ctx, f, a, errs, []partSpec{
			{"street", "street-address", false}, {"care_of", "", true}, {"postal_code", "postal-code", false}, {"city", "address-level2", false},
		})
	case form.Contact:
		fv.Parts = parts(ctx, f, a, errs, []partSpec{{"name", "name", false}, {"email", "email", true}, {"phone", "tel", true}})
	case form.File:
		fv.MaxFiles = f.Upload.MaxFiles
		fv.Accept = strings.Join(f.Upload.Types, ",")
		fv.FileLimit = i18n.T(ctx, "form.file.limits", f.Upload.MaxFiles, byteSize(f.Upload.MaxBytes), typeNames(ctx, f.Upload.Types))
		for _, file := range files {
			if file.Field == f.Key {
				view := templates.FileView{ID: file.ID.String(), Name: file.Name, Submitted: file.Submitted}
				if file.Size > 0 {
					view.Size = byteSize(file.Size)
				}
				if links.file != nil {
					view.URL = links.file(file.ID)
				}
				fv.Files = append(fv.Files, view)
			}
		}
	}
	return fv
}

type partSpec struct {
	name, autocomplete string
	optional           bool
}

func parts(ctx context.Context, f form.Field, a form.Answers, errs apperr.FieldErrors, specs []partSpec) []templates.PartView {
	var out []templates.PartView
	for _, p := range specs {
		name := f.Key + "." + p.name
		pv := templates.PartView{
			Name:         name,
			Label:        i18n.T(ctx, "form.part."+p.name),
			Autocomplete: p.autocomplete,
			InputType:    "text",
			Error:        translated(ctx, errs.For(name)),
			Optional:     p.optional,
		}
		switch p.name {
		case "email":
			pv.InputType = "email"
		case "phone":
			pv.InputType = "tel"
		}
		if v := a[name]; len(v) > 0 {
			pv.Value = v[0]
		}
		out = append(out, pv)
	}
	return out
}

func translated(ctx context.Context, key string) string {
	if key == "" {
		return ""
	}
	return i18n.T(ctx, key)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// typeNames names content types for people, by the one list of upload types (form.UploadTypes);
// a type that is not in it is shown as it is.
func typeNames(ctx context.Context, types []string) string {
	names := make([]string, 0, len(types))
	for _, t := range types {
		if key, ok := form.UploadTypeKey(t); ok {
			t = i18n.T(ctx, key)
		}
		names = append(names, t)
	}
	return strings.Join(names, ", ")
}

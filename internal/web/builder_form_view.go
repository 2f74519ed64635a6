package web

import (
	"context"
	"slices"

	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// The views of the form editor's step and field forms, as typed.

// fieldFormView is the form of a field as typed. before is how many fields of the form come
// before it (the ones its condition may use).
func fieldFormView(ctx context.Context, head templates.BuilderHead, d *form.Definition, in formread.Field, before int) templates.EditorFieldView {
	has := form.FieldType(in.Type).Settings()
	v := templates.EditorFieldView{Head: head, Types: fieldTypeChoices(ctx), Type: in.Type, Key: in.Key,
		LabelSv: in.LabelSv, LabelEn: in.LabelEn, HelpSv: in.HelpSv, HelpEn: in.HelpEn,
		Required: in.Required, Personal: in.Personal, Prefill: in.Prefill,
		CanRequire: has.Required, CanPrefill: has.Prefill, HasOptions: has.Options, HasLength: has.Length, HasPattern: has.Pattern,
		HasNumber: has.Number, HasDates: has.Dates, HasChoices: has.Choices, HasUpload: has.Upload,
		Options: in.Options, MinLength: in.MinLength, MaxLength: in.MaxLength, Pattern: in.Pattern,
		PatternMessageSv: in.PatternMessageSv, PatternMessageEn: in.PatternMessageEn, Min: in.Min, Max: in.Max, Integer: in.Integer,
		MinDate: in.MinDate, MaxDate: in.MaxDate, MinChoices: in.MinChoices, MaxChoices: in.MaxChoices,
		MaxFiles: in.MaxFiles, MaxMB: in.MaxMB, HasResource: has.Resource, Resource: in.Resource,
		Condition: conditionView(ctx, d, before, in.Cond)}
	if !form.FieldType(in.Type).Known() {
		v.Types = append(v.Types, templates.Choice{Value: in.Type, Label: in.Type})
	}
	for _, t := range form.AllowedUploadTypes {
		v.UploadTypes = append(v.UploadTypes, templates.OptionView{Value: t, Label: uploadTypeName(ctx, t), Checked: slices.Contains(in.UploadTypes, t)})
	}
	return v
}

// stepFormView is the form of a step as typed; before is how many fields come before the step.
func stepFormView(ctx context.Context, head templates.BuilderHead, d *form.Definition, in formread.Step, before int) templates.EditorStepView {
	return templates.EditorStepView{Head: head, Key: in.Key, TitleSv: in.TitleSv, TitleEn: in.TitleEn,
		IntroSv: in.IntroSv, IntroEn: in.IntroEn, Condition: conditionView(ctx, d, before, in.Cond)}
}

// fieldTypeChoices are the field types with their names, for a select.
func fieldTypeChoices(ctx context.Context) []templates.Choice {
	var out []templates.Choice
	for _, t := range form.FieldTypes() {
		out = append(out, templates.Choice{Value: string(t), Label: i18n.T(ctx, "editor.type."+string(t))})
	}
	return out
}

// uploadTypeName is the readable name of an upload type, from the one list in internal/form.
func uploadTypeName(ctx context.Context, t string) string {
	if key, ok := form.UploadTypeKey(t); ok {
		return i18n.T(ctx, key)
	}
	return t
}

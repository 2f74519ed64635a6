package web

import (
	"context"
	"strings"

	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/formread"
	"github.com/minasidor/minasidor/templates"
)

// How the form editor shows conditions: in a step's or field's form, and in words on the editor
// page.

// conditionView is the "show only when" part of a form: the fields a condition can use are the
// first before of the form, of the types a condition can compare. A field typed that is not one
// of them is offered too, so that the form shows what was typed.
func conditionView(ctx context.Context, d *form.Definition, before int, c formread.Condition) templates.EditorCondition {
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
	for _, v := range f.ConditionValues() {
		parts = append(parts, v+" ("+valueName(ctx, f, v)+")")
	}
	return strings.Join(parts, ", ")
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

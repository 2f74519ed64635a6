package formread

import (
	"net/url"
	"strings"

	"github.com/minasidor/minasidor/internal/form"
)

// Condition is the "show only when" part of a step's or field's form, as typed.
type Condition struct {
	Field string // "" for always shown
	Op    string
	Value string // one value, or one per line for oneOf
}

func readCondition(v url.Values) Condition {
	c := Condition{Field: strings.TrimSpace(v.Get("show_if_field")), Op: v.Get("show_if_op"), Value: v.Get("show_if_value")}
	if c.Op == "" {
		c.Op = form.OpEquals
	}
	return c
}

// ConditionOf writes a condition into its part of a form.
func ConditionOf(c *form.Condition) Condition {
	if c == nil {
		return Condition{Op: form.OpEquals}
	}
	in := Condition{Field: c.Field, Op: c.Op, Value: c.Value}
	if c.Op == form.OpOneOf {
		in.Value = strings.Join(c.Values, "\n")
	}
	return in
}

// Parse returns the typed condition; nil when no field is chosen.
func (c Condition) Parse() *form.Condition {
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

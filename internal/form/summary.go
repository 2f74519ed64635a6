package form

import (
	"strings"

	"github.com/minasidor/minasidor/internal/personnummer"
)

// SummaryStep is one step on the "check your answers" page or a receipt.
type SummaryStep struct {
	Key   string
	Title string
	Items []SummaryItem
}

// SummaryItem is the answer to one field, ready for display.
type SummaryItem struct {
	Field string    // the field key
	Input string    // the first input name, for the anchor of the change link (#input)
	Label string    // the field's label in the language
	Type  FieldType // for display choices, such as keeping the line breaks of a long_text
	// Values are the display values, empty for an unanswered required field: option labels
	// instead of option values (in the order of the options), the translated yes, no and
	// consent texts, an address or contact block as lines, numbers with a decimal comma except in
	// English, personal identity numbers as YYYYMMDD-NNNN, organisation numbers as NNNNNN-NNNN
	// and phone numbers as FormatPhone writes them, typed or stored. File fields hold the file ids as given: the caller replaces them by names.
	// A booking field's time is "2026-12-10 09:00–09:30" in Stockholm; its Raw has the answer,
	// for a caller that writes it in words.
	Values []string
	Raw    []string
}

// Summary returns the shown steps and their shown fields that are answered or required, with
// texts in lang (falling back to Swedish). tr translates the catalogue keys "form.yes",
// "form.no" and "form.consent.given"; a nil tr returns the keys. Info fields are left out.
func (d *Definition) Summary(a Answers, lang string, tr func(key string) string) []SummaryStep {
	if tr == nil {
		tr = func(key string) string { return key }
	}
	v := d.visibility(a)
	var out []SummaryStep
	for i, s := range d.Steps {
		if !v.steps[i] {
			continue
		}
		st := SummaryStep{Key: s.Key, Title: s.Title.In(lang)}
		for _, f := range s.Fields {
			if f.Type == Info || !v.fields[f.Key] {
				continue
			}
			vals := displayValues(&f, a, lang, tr)
			if len(vals) == 0 && !f.Required {
				continue
			}
			item := SummaryItem{
				Field:  f.Key,
				Input:  f.InputNames()[0],
				Label:  f.Label.In(lang),
				Type:   f.Type,
				Values: vals,
			}
			if f.Type == Booking {
				item.Raw = nonBlank(a[f.Key])
			}
			st.Items = append(st.Items, item)
		}
		out = append(out, st)
	}
	return out
}

// nonBlank returns the trimmed non-blank values.
func nonBlank(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func displayValues(f *Field, a Answers, lang string, tr func(string) string) []string {
	first := func(name string) string {
		if vals := nonBlank(a[name]); len(vals) > 0 {
			return vals[0]
		}
		return ""
	}
	vals := nonBlank(a[f.Key])
	switch f.Type {
	case Address:
		careOf := first(f.Key + ".care_of")
		if careOf != "" && !strings.HasPrefix(strings.ToLower(careOf), "c/o") {
			careOf = "c/o " + careOf
		}
		return lines(careOf, first(f.Key+".street"),
			strings.TrimSpace(first(f.Key+".postal_code")+" "+first(f.Key+".city")))
	case Contact:
		phone := first(f.Key + ".phone")
		if phone != "" {
			phone = FormatPhone(phone)
		}
		return lines(first(f.Key+".name"), first(f.Key+".email"), phone)
	case SingleChoice, Dropdown, MultipleChoice:
		var out []string
		for _, o := range f.Options {
			for _, v := range vals {
				if v == o.Value {
					out = append(out, o.Label.In(lang))
					break
				}
			}
		}
		for _, v := range vals {
			if !hasOption(f, v) {
				out = append(out, v)
			}
		}
		return out
	}
	for i, v := range vals {
		switch f.Type {
		case YesNo:
			switch v {
			case "yes":
				vals[i] = tr("form.yes")
			case "no":
				vals[i] = tr("form.no")
			}
		case Consent:
			if v == "yes" {
				vals[i] = tr("form.consent.given")
			}
		case Number:
			if c, ok := parseNumber(v); ok {
				if lang != "en" {
					c = strings.Replace(c, ".", ",", 1)
				}
				vals[i] = c
			}
		case Phone:
			vals[i] = FormatPhone(v)
		case PersonalNumber:
			if n, err := personnummer.Parse(v); err == nil {
				vals[i] = n.Formatted()
			}
		case OrgNumber:
			if c, problem := parseOrgNumber(v); problem == "" {
				vals[i] = c[:6] + "-" + c[6:]
			}
		case Booking:
			vals[i] = bookingDisplay(v)
		}
	}
	return vals
}

// lines returns the non-empty lines.
func lines(ls ...string) []string {
	var out []string
	for _, l := range ls {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

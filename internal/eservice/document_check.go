package eservice

// The checks of a document offered for import: every problem is collected with the path of the
// property it is found at, so that the admin sees them all at once.

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/form"
)

// docChecker collects the problems of a document.
type docChecker struct{ errs DocumentErrors }

func (c *docChecker) add(path, key string, args ...any) {
	c.errs = append(c.errs, DocumentProblem{Path: path, Key: "error.exchange." + key, Args: args})
}

// text checks a text of the settings as the settings page does: Swedish when required or when
// the text is given at all (other languages fall back to it), and no language too long.
func (c *docChecker) text(path string, t form.Text, required bool, maxLen int) {
	if (required || len(t) > 0) && strings.TrimSpace(t["sv"]) == "" {
		c.add(path+".sv", "swedish", path)
	}
	for _, l := range slices.Sorted(maps.Keys(t)) {
		if utf8.RuneCountInString(strings.TrimSpace(t[l])) > maxLen {
			c.add(path+"."+l, "tooLong", path+"."+l, maxLen)
		}
	}
}

// check reports every problem of a decoded document of the right format, with the rules of the
// settings, statuses and templates pages and the form editor's check.
func (d *Document) check() DocumentErrors {
	c := &docChecker{}
	st := &d.Settings
	if !slugPattern.MatchString(st.Slug) {
		c.add("settings.slug", "slug", st.Slug)
	}
	c.text("settings.title", st.Title, true, maxTitle)
	c.text("settings.description", st.Description, false, maxDescription)
	if !slices.Contains(Categories, st.Category) {
		c.add("settings.category", "category", st.Category, strings.Join(Categories, ", "))
	}
	if len(st.Audience) == 0 {
		c.add("settings.audience", "audienceMissing", strings.Join(Audiences, ", "))
	}
	for i, a := range st.Audience {
		if !slices.Contains(Audiences, a) || slices.Contains(st.Audience[:i], a) {
			c.add(fmt.Sprintf("settings.audience[%d]", i), "audience", a, strings.Join(Audiences, ", "))
		}
	}
	if !slices.Contains(LoginRules, st.LoginRule) {
		c.add("settings.loginRule", "loginRule", st.LoginRule, strings.Join(LoginRules, ", "))
	} else if st.AnonymousAllowed && st.LoginRule == LoginRequired {
		c.add("settings.anonymousAllowed", "anonymous")
	}
	switch onceOnlyProblem(st.OnceOnly, st.OnceOnlyField, st.LoginRule) {
	case onceOnlyUnknown:
		c.add("settings.onceOnly", "onceOnly", st.OnceOnly, strings.Join(OnceOnlyRules, ", "))
	case onceOnlyFieldWithoutRule:
		c.add("settings.onceOnlyField", "onceOnlyFieldAlone")
	case onceOnlyWithoutLogin:
		c.add("settings.onceOnly", "onceOnlyLogin")
	case "":
		if f, ok := d.Definition.Field(st.OnceOnlyField); st.OnceOnlyField != "" && (!ok || f.Type != OnceOnlyFieldType(st.OnceOnly)) {
			c.add("settings.onceOnlyField", "onceOnlyField", st.OnceOnlyField)
		}
	}
	if st.ExternalURL != "" && !validExternalURL(st.ExternalURL) {
		c.add("settings.externalUrl", "externalUrl")
	}
	for _, name := range PrivacyParts {
		c.text("settings.privacy."+name, *st.Privacy.Part(name), false, maxPrivacy)
	}
	if m := st.RetentionMonths; m != nil && (*m < 1 || *m > MaxRetention) {
		c.add("settings.retentionMonths", "retention", MaxRetention)
	}
	for _, kind := range slices.Sorted(maps.Keys(st.NoticeTexts)) {
		if !slices.Contains(NoticeKinds, kind) {
			c.add("settings.noticeTexts."+kind, "noticeKind", kind, strings.Join(NoticeKinds, ", "))
			continue
		}
		c.text("settings.noticeTexts."+kind, st.NoticeTexts[kind], false, MaxNoticeText)
	}

	c.statuses(d.Statuses)
	c.templates(d.MessageTemplates)
	if d.Signing != nil {
		c.signing(d)
	}

	if de, ok := form.AsDefinitionErrors(d.Definition.CheckDraft()); ok {
		for _, e := range de {
			p := DocumentProblem{Path: "definition." + e.Path, Key: e.Key, Args: e.Args, Step: e.Step, Field: e.Field}
			p.StepTitle, p.FieldLabel = definitionTexts(d.Definition, e.Path)
			c.errs = append(c.errs, p)
		}
	}
	return c.errs
}

// signing checks the signing rule as the signing page does, against the document's settings and
// form.
func (c *docChecker) signing(d *Document) {
	st := d.Settings
	e := EService{Audience: st.Audience, LoginRule: st.LoginRule, AnonymousAllowed: st.AnonymousAllowed}
	r := d.Signing.rule()
	var fe apperr.FieldErrors
	if errors.As(checkSigning(e, d.Definition, &r), &fe) {
		for _, p := range fe {
			// the document's property of the signing page's input
			prop := map[string]string{"applicant": "applicant", "cosigners": "coSigners", "field": "field",
				"remind_days": "remindDays", "deadline_days": "deadlineDays", "association_check": "associationCheck"}[p.Field]
			c.errs = append(c.errs, DocumentProblem{Path: "signing" + "." + prop, Key: p.Key})
		}
	}
	d.Signing.CoSigners, d.Signing.Field = r.CoSigners, r.Field
}

// statuses checks the statuses as the statuses page does, and that a case can be received and
// closed: at least one status of type submitted and one of type closed.
func (c *docChecker) statuses(list []DocumentStatus) {
	if len(list) > maxStatuses {
		c.add("statuses", "statusTooMany", maxStatuses)
	}
	seen := map[string]bool{}
	for i, s := range list {
		p, n := fmt.Sprintf("statuses[%d]", i), i+1
		switch {
		case !form.ValidKey(s.Key):
			c.add(p+".key", "status.key", n, s.Key)
		case seen[s.Key]:
			c.add(p+".key", "status.keyDuplicate", n, s.Key)
		}
		seen[s.Key] = true
		label := s.Label
		if label["sv"] == "" {
			c.add(p+".label", "status.label", n)
		}
		for _, l := range slices.Sorted(maps.Keys(label)) {
			if utf8.RuneCountInString(label[l]) > maxStatusLabel || strings.ContainsAny(label[l], "\n\t") {
				c.add(p+".label."+l, "status.labelLong", n, maxStatusLabel)
			}
		}
		if !slices.Contains(StatusTypes, s.Type) {
			c.add(p+".type", "status.type", n, s.Type, strings.Join(StatusTypes, ", "))
		}
		if s.HandlingDays != nil && (*s.HandlingDays < 1 || *s.HandlingDays > MaxHandlingDays) {
			c.add(p+".handlingDays", "status.handlingDays", n, MaxHandlingDays)
		}
	}
	for _, typ := range []string{StatusSubmitted, StatusClosed} {
		if !slices.ContainsFunc(list, func(s DocumentStatus) bool { return s.Type == typ }) {
			c.add("statuses", "status.missing", typ)
		}
	}
}

// templates checks the message templates as the templates page does.
func (c *docChecker) templates(list []DocumentTemplate) {
	if len(list) > maxTemplates {
		c.add("messageTemplates", "templateTooMany", maxTemplates)
	}
	for i, t := range list {
		p, n := fmt.Sprintf("messageTemplates[%d]", i), i+1
		title, body := t.Title, strings.TrimSpace(t.Body)
		switch {
		case title == "":
			c.add(p+".title", "template.title", n)
		case utf8.RuneCountInString(title) > maxTemplateTitle || strings.ContainsAny(title, "\n\t"):
			c.add(p+".title", "template.titleLong", n, maxTemplateTitle)
		}
		switch {
		case body == "":
			c.add(p+".body", "template.body", n)
		case utf8.RuneCountInString(body) > maxTemplateBody:
			c.add(p+".body", "template.bodyLong", n, maxTemplateBody)
		}
	}
}

// definitionTexts returns the title of the step and the label of the field that a definition
// problem's path ("steps[1].fields[2]...") points at, as the document has them.
func definitionTexts(def *form.Definition, path string) (stepTitle, fieldLabel form.Text) {
	var si, fi int
	n, _ := fmt.Sscanf(path, "steps[%d].fields[%d]", &si, &fi)
	if n < 1 || si < 0 || si >= len(def.Steps) {
		return nil, nil
	}
	st := def.Steps[si]
	if n < 2 || !strings.HasPrefix(path, fmt.Sprintf("steps[%d].fields[", si)) || fi < 0 || fi >= len(st.Fields) {
		return st.Title, nil
	}
	return st.Title, st.Fields[fi].Label
}

package eservice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/notify"
)

// Settings are what an e-service admin sets about an e-service besides its form. The field
// errors of UpdateSettings name the settings form's inputs: title_sv, title_en, description_sv,
// description_en, slug, category, audience, login_rule, anonymous_allowed, once_only,
// once_only_field, external_url, privacy_<part>_sv and _en (data, purpose, legal_basis,
// controller, retention) and retention_months.
type Settings struct {
	Title             form.Text
	Description       form.Text
	Slug              string
	Category          string
	Audience          []string
	LoginRule         string
	AnonymousAllowed  bool
	OnceOnly          string
	OnceOnlyField     string // a personal_number or email field of the working form; "" for the logged-in person
	ExternalURL       string // https:// only; "" for an e-service with a form here
	Privacy           Privacy
	RetentionMonths   int    // 1–1200; anything else is refused
	RetentionDisposal string // what becomes of a case after RetentionMonths: one of Disposals
}

// Disposals are the values of RetentionDisposal (package retention acts on them): kept in the
// portal for the municipality, removed once exported to the records system, or deleted.
var Disposals = []string{"keep", "after_export", "delete"}

// SettingsOf returns the settings of the e-service as stored.
func SettingsOf(e EService) Settings {
	return Settings{Title: e.Title, Description: e.Description, Slug: e.Slug, Category: e.Category,
		Audience: e.Audience, LoginRule: e.LoginRule, AnonymousAllowed: e.AnonymousAllowed, OnceOnly: e.OnceOnly,
		OnceOnlyField: e.OnceOnlyField, ExternalURL: e.ExternalURL, Privacy: e.Privacy, RetentionMonths: e.RetentionMonths,
		RetentionDisposal: e.RetentionDisposal}
}

// Limits of the settings' texts, in characters.
const (
	maxTitle       = 200
	maxDescription = 2000
	maxPrivacy     = 2000
	maxURL         = 2000
	MaxRetention   = 1200 // months: a hundred years
)

// LoginRules and OnceOnlyRules list the rules, in the order the settings page offers them.
var (
	LoginRules    = []string{LoginRequired, LoginOptional, LoginNone}
	OnceOnlyRules = []string{OnceNone, OncePersonalNumber, OnceEmail}
)

// PrivacyParts names the parts of the privacy notice, as its JSON and the form's inputs do.
var PrivacyParts = []string{"data", "purpose", "legal_basis", "controller", "sources", "retention"}

// OptionalPrivacyParts may be left out: not every e-service fetches data from other registers.
var OptionalPrivacyParts = []string{"sources"}

// Part returns one part of the notice by its name in PrivacyParts.
func (p *Privacy) Part(name string) *form.Text {
	switch name {
	case "data":
		return &p.Data
	case "purpose":
		return &p.Purpose
	case "legal_basis":
		return &p.LegalBasis
	case "controller":
		return &p.Controller
	case "sources":
		return &p.Sources
	case "retention":
		return &p.Retention
	}
	return nil
}

// OnceOnlyFieldType is the type of field that identifies the person under a once-only rule.
func OnceOnlyFieldType(rule string) form.FieldType {
	switch rule {
	case OncePersonalNumber:
		return form.PersonalNumber
	case OnceEmail:
		return form.Email
	}
	return ""
}

// EverPublished reports whether the e-service has been published at some time: its address is
// then known to citizens (links, bookmarks) and stays as it is.
func (s *Store) EverPublished(ctx context.Context, e EService) (bool, error) {
	return everPublished(ctx, s.db, e)
}

func everPublished(ctx context.Context, q db.Querier, e EService) (bool, error) {
	if e.State != "draft" {
		return true, nil
	}
	var published bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice_version WHERE eservice_id = $1 AND published_at IS NOT NULL)`, e.ID).Scan(&published)
	if err != nil {
		return false, fmt.Errorf("eservice: published: %w", err)
	}
	return published, nil
}

// UpdateSettings checks the settings and stores them, recording which settings changed (their
// names, not their texts). Refused settings store nothing and record nothing. Settings that
// change nothing are not recorded either.
func (s *Store) UpdateSettings(ctx context.Context, actor audit.Actor, id uuid.UUID, in Settings) error {
	in, errs := in.clean()
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := in.checkStored(ctx, tx, e, &errs); err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		changed := SettingsOf(e).changes(in)
		if len(changed) == 0 {
			return nil
		}
		privacy, err := json.Marshal(in.Privacy)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE eservice SET title = $2, description = $3, slug = $4, category = $5, audience = $6, login_rule = $7,
				anonymous_allowed = $8, once_only = $9, once_only_field = nullif($10, ''), external_url = nullif($11, ''),
				privacy = $12, retention_months = $13, retention_disposal = $14, updated_at = now()
			WHERE id = $1`,
			e.ID, in.Title, in.Description, in.Slug, in.Category, in.Audience, in.LoginRule, in.AnonymousAllowed,
			in.OnceOnly, in.OnceOnlyField, in.ExternalURL, privacy, in.RetentionMonths, in.RetentionDisposal)
		if err != nil {
			return fmt.Errorf("eservice: settings: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "eservice_settings_changed", Target: in.Slug,
			EServiceID: &e.ID, Detail: map[string]any{"changed": changed}})
	})
}

// clean trims the settings and checks what needs no database.
func (in Settings) clean() (Settings, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	in.Title = cleanText(in.Title)
	in.Description = cleanText(in.Description)
	in.Slug = strings.TrimSpace(in.Slug)
	in.ExternalURL = strings.TrimSpace(in.ExternalURL)
	in.OnceOnlyField = strings.TrimSpace(in.OnceOnlyField)
	for _, name := range PrivacyParts {
		p := in.Privacy.Part(name)
		*p = cleanText(*p)
	}

	checkText(&errs, "title", in.Title, true, maxTitle, "error.esettings.title")
	checkText(&errs, "description", in.Description, false, maxDescription, "")
	if !slugPattern.MatchString(in.Slug) {
		errs.Add("slug", "error.esettings.slug")
	}
	if !slices.Contains(Categories, in.Category) {
		errs.Add("category", "error.esettings.category")
	}
	audience := []string{}
	for _, a := range Audiences { // in the usual order, each once
		if slices.Contains(in.Audience, a) {
			audience = append(audience, a)
		}
	}
	unknown := slices.ContainsFunc(in.Audience, func(a string) bool { return !slices.Contains(Audiences, a) })
	if len(audience) == 0 || unknown {
		errs.Add("audience", "error.esettings.audience")
	}
	in.Audience = audience
	if !slices.Contains(LoginRules, in.LoginRule) {
		errs.Add("login_rule", "error.esettings.loginRule")
	} else if in.AnonymousAllowed && in.LoginRule == LoginRequired {
		errs.Add("anonymous_allowed", "error.esettings.anonymousLogin")
	}
	switch onceOnlyProblem(in.OnceOnly, in.OnceOnlyField, in.LoginRule) {
	case onceOnlyUnknown:
		errs.Add("once_only", "error.esettings.onceOnly")
	case onceOnlyFieldWithoutRule:
		errs.Add("once_only_field", "error.esettings.onceOnlyFieldNoRule")
	case onceOnlyWithoutLogin:
		errs.Add("once_only", "error.esettings.onceOnlyLogin")
	}
	if in.ExternalURL != "" && !validExternalURL(in.ExternalURL) {
		errs.Add("external_url", "error.esettings.externalURL")
	}
	for _, name := range PrivacyParts {
		required := !slices.Contains(OptionalPrivacyParts, name)
		checkText(&errs, "privacy_"+name, *in.Privacy.Part(name), required, maxPrivacy, "error.esettings.privacyRequired")
	}
	if in.RetentionMonths < 1 || in.RetentionMonths > MaxRetention {
		errs.Add("retention_months", "error.esettings.retention")
	}
	if in.RetentionDisposal == "" {
		in.RetentionDisposal = Disposals[0]
	}
	if !slices.Contains(Disposals, in.RetentionDisposal) {
		errs.Add("retention_disposal", "rights.esettings.disposal.error")
	}
	return in, errs
}

// Problems of a once-only rule, as onceOnlyProblem finds them.
const (
	onceOnlyUnknown          = "unknown"          // not one of OnceOnlyRules
	onceOnlyFieldWithoutRule = "fieldWithoutRule" // a field named, but no rule
	onceOnlyWithoutLogin     = "withoutLogin"     // no field: the person is the one logged in, so login must be required
)

// onceOnlyProblem checks a once-only rule with its field against the login rule; "" when it can
// work. Whether the field is in the form is checked apart.
func onceOnlyProblem(rule, field, loginRule string) string {
	switch {
	case !slices.Contains(OnceOnlyRules, rule):
		return onceOnlyUnknown
	case rule == OnceNone && field != "":
		return onceOnlyFieldWithoutRule
	case rule != OnceNone && field == "" && loginRule != LoginRequired:
		return onceOnlyWithoutLogin
	}
	return ""
}

// validExternalURL reports whether u can be the address of an e-service in another system: an
// https address with a host, without white space, of a sensible length; or a page of the portal
// itself (PortalPath).
func validExternalURL(u string) bool {
	if PortalPath(u) {
		return true
	}
	parsed, err := url.Parse(u)
	return err == nil && strings.HasPrefix(u, "https://") && parsed.Host != "" &&
		utf8.RuneCountInString(u) <= maxURL && !strings.ContainsFunc(u, unicode.IsSpace)
}

var portalPath = regexp.MustCompile(`^(/[a-z0-9-]+)+$`)

// PortalPath reports whether an e-service's external address is a page of the portal itself,
// such as "/allmanna-handlingar" (the request for public documents): the catalogue links there
// as to any e-service, not as to another system.
func PortalPath(u string) bool { return len(u) <= 100 && portalPath.MatchString(u) }

// checkStored checks the settings against the stored e-service: the address, and the once-only
// field against the working form.
func (in Settings) checkStored(ctx context.Context, tx pgx.Tx, e EService, errs *apperr.FieldErrors) error {
	if in.Slug != e.Slug && errs.For("slug") == "" {
		published, err := everPublished(ctx, tx, e)
		if err != nil {
			return err
		}
		if published {
			errs.Add("slug", "error.esettings.slugLocked")
		} else if err := slugFree(ctx, tx, e.TenantID, in.Slug); err != nil {
			var fe apperr.FieldErrors
			if !errors.As(err, &fe) {
				return err
			}
			errs.Add("slug", "error.esettings.slugTaken")
		}
	}
	if in.OnceOnlyField != "" && errs.For("once_only") == "" && errs.For("once_only_field") == "" {
		def, err := workingDefinition(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		f, ok := def.Field(in.OnceOnlyField)
		switch {
		case !ok:
			errs.Add("once_only_field", "error.esettings.onceOnlyFieldMissing")
		case f.Type != OnceOnlyFieldType(in.OnceOnly):
			errs.Add("once_only_field", "error.esettings.onceOnlyFieldType")
		}
	}
	return nil
}

// workingDefinition is the form of the draft version, or else of the current version (as Working
// reads it), in the transaction; an empty form when there is none. Only its fields are needed,
// so a draft that is not finished yet is read as it is.
func workingDefinition(ctx context.Context, tx pgx.Tx, eserviceID uuid.UUID) (*form.Definition, error) {
	var def []byte
	err := tx.QueryRow(ctx, `
		SELECT v.definition FROM eservice_version v JOIN eservice e ON e.id = v.eservice_id
		WHERE v.eservice_id = $1 AND (v.published_at IS NULL OR v.id = e.current_version_id)
		ORDER BY v.published_at IS NULL DESC LIMIT 1`, eserviceID).Scan(&def)
	if errors.Is(err, pgx.ErrNoRows) {
		return &form.Definition{Steps: []form.Step{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eservice: working form: %w", err)
	}
	var d form.Definition
	if err := json.Unmarshal(def, &d); err != nil {
		return nil, fmt.Errorf("eservice: working form: %w", err)
	}
	return &d, nil
}

// changes names the settings that differ between a and b, in the settings page's order.
func (a Settings) changes(b Settings) []string {
	changed := []string{}
	add := func(name string, differs bool) {
		if differs {
			changed = append(changed, name)
		}
	}
	add("title", !maps.Equal(cleanText(a.Title), cleanText(b.Title)))
	add("description", !maps.Equal(cleanText(a.Description), cleanText(b.Description)))
	add("slug", a.Slug != b.Slug)
	add("category", a.Category != b.Category)
	add("audience", !slices.Equal(a.Audience, b.Audience))
	add("login_rule", a.LoginRule != b.LoginRule)
	add("anonymous_allowed", a.AnonymousAllowed != b.AnonymousAllowed)
	add("once_only", a.OnceOnly != b.OnceOnly)
	add("once_only_field", a.OnceOnlyField != b.OnceOnlyField)
	add("external_url", a.ExternalURL != b.ExternalURL)
	privacy := false
	for _, name := range PrivacyParts {
		privacy = privacy || !maps.Equal(cleanText(*a.Privacy.Part(name)), cleanText(*b.Privacy.Part(name)))
	}
	add("privacy", privacy || a.Privacy.Consent != b.Privacy.Consent)
	add("retention_months", a.RetentionMonths != b.RetentionMonths)
	add("retention_disposal", a.RetentionDisposal != b.RetentionDisposal)
	return changed
}

// cleanText trims every language of a text and drops the empty ones.
func cleanText(t form.Text) form.Text {
	out := form.Text{}
	for lang, s := range t {
		s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
		if s != "" {
			out[lang] = s
		}
	}
	return out
}

// checkText checks a text of Swedish and English inputs <name>_sv and <name>_en: Swedish when
// required, and neither too long.
func checkText(errs *apperr.FieldErrors, name string, t form.Text, required bool, max int, requiredKey string) {
	if required && t["sv"] == "" {
		errs.Add(name+"_sv", requiredKey)
	}
	for _, lang := range []string{"sv", "en"} {
		if utf8.RuneCountInString(t[lang]) > max {
			errs.Add(name+"_"+lang, "error.esettings.tooLong")
		}
	}
}

// NoticeKinds are the kinds of notice an e-service's admin may add a text to, in the order the
// citizen meets them.
var NoticeKinds = []string{notify.KindCaseSubmitted, notify.KindNewMessage, notify.KindStatusChanged,
	notify.KindSupplementRequested, notify.KindCaseClosed}

// MaxNoticeText is the longest text an admin may add to a notice, in characters.
const MaxNoticeText = 500

// SetNoticeTexts stores the texts the e-service adds to its notices, by kind and language (plain
// text, Swedish and English, each optional). The field errors name the inputs
// notice_<kind>_<lang>. The change records the kinds whose texts changed.
func (s *Store) SetNoticeTexts(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, texts NoticeTexts) error {
	var errs apperr.FieldErrors
	clean := NoticeTexts{}
	for kind, t := range texts {
		if !slices.Contains(NoticeKinds, kind) {
			return apperr.New(apperr.Invalid, "")
		}
		t = cleanText(t)
		for lang, text := range t {
			switch {
			case lang != "sv" && lang != "en":
				delete(t, lang)
			case utf8.RuneCountInString(text) > MaxNoticeText:
				errs.Add("notice_"+kind+"_"+lang, "error.esettings.noticeTooLong")
			case strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }):
				errs.Add("notice_"+kind+"_"+lang, "error.esettings.noticeControl")
			}
		}
		if len(t) > 0 {
			clean[kind] = t
		}
	}
	if err := errs.Err(); err != nil {
		slices.SortFunc(errs, func(a, b apperr.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return errs
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		e, err := lockForChange(ctx, tx, actor, eserviceID)
		if err != nil {
			return err
		}
		changed := []string{}
		for _, kind := range NoticeKinds {
			if !maps.Equal(cleanText(e.NoticeTexts[kind]), clean[kind]) {
				changed = append(changed, kind)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE eservice SET notice_texts = $2, updated_at = now() WHERE id = $1`, e.ID, clean); err != nil {
			return fmt.Errorf("eservice: notice texts: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "eservice_notice_texts_changed", Target: e.Slug,
			EServiceID: &e.ID, Detail: map[string]any{"kinds": changed}})
	})
}

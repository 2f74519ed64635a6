package tenant

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// Contact is how citizens reach the municipality's service centre.
type Contact struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"` // postal address, one line each
	Hours   string `json:"hours,omitempty"`   // opening hours, as free text
}

// Empty reports whether no contact detail is set.
func (c Contact) Empty() bool { return c == Contact{} }

// DPO is the municipality's data protection officer (dataskyddsombud).
type DPO struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Empty reports whether no detail of the officer is set.
func (d DPO) Empty() bool { return d == DPO{} }

// Settings are what a municipality admin sets about the municipality, and what the layout and
// the pages show of it. The logo's bytes are not part of them: only whether there is one.
type Settings struct {
	TenantID      uuid.UUID
	Name          string
	Code          string // short code of new reference numbers; existing ones keep theirs
	Contact       Contact
	DPO           DPO
	Accessibility form.Text // the accessibility statement by language; empty when there is none
	HasLogo       bool
	LogoType      string
	UpdatedAt     time.Time
}

// LogoVersion names the current logo, for its address: it changes whenever the settings do.
func (s Settings) LogoVersion() string { return version(s.UpdatedAt) }

func version(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 36) }

// The form fields of the settings; field errors name them.
const (
	FieldName            = "name"
	FieldCode            = "code"
	FieldContactPhone    = "contact_phone"
	FieldContactEmail    = "contact_email"
	FieldContactAddress  = "contact_address"
	FieldContactHours    = "contact_hours"
	FieldDPOName         = "dpo_name"
	FieldDPOEmail        = "dpo_email"
	FieldDPOPhone        = "dpo_phone"
	FieldAccessibilitySV = "accessibility_sv"
	FieldAccessibilityEN = "accessibility_en"
	FieldLogo            = "logo"
)

// Limits of the settings.
const (
	MaxLogoBytes      = 512 << 10 // as the schema allows
	maxNameRunes      = 100
	maxLineRunes      = 200
	maxTextRunes      = 1000
	maxStatementRunes = 20000
	maxLogoSide       = 4000 // pixels of a PNG or JPEG logo, each way
	settingsChanged   = "municipality_settings_changed"
	logoChanged       = "municipality_logo_changed"
	logoRemoved       = "municipality_logo_removed"
	settingsTarget    = "municipality"
)

// ErrNoLogo is returned when the municipality has no logo.
var ErrNoLogo = apperr.New(apperr.NotFound, "")

// errOtherTenant is a change of another municipality than the admin's own.
var errOtherTenant = apperr.New(apperr.Forbidden, "")

const settingsColumns = `t.id, t.name, t.code, t.contact, t.dpo, t.accessibility, t.logo IS NOT NULL, coalesce(t.logo_type, ''), t.updated_at`

// scanSettings reads settingsColumns, after the destinations of columns selected before them.
func scanSettings(row pgx.Row, before ...any) (Settings, error) {
	var s Settings
	err := row.Scan(append(before, &s.TenantID, &s.Name, &s.Code, &s.Contact, &s.DPO, &s.Accessibility, &s.HasLogo, &s.LogoType, &s.UpdatedAt)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Settings{}, ErrNotFound
	}
	if err != nil {
		return Settings{}, fmt.Errorf("tenant: settings: %w", err)
	}
	if s.Accessibility == nil {
		s.Accessibility = form.Text{}
	}
	return s, nil
}

// Settings returns the municipality's settings, without the logo's bytes.
func (s *Store) Settings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	return scanSettings(s.db.QueryRow(ctx, `SELECT `+settingsColumns+` FROM tenant t WHERE t.id = $1`, tenantID))
}

// UpdateSettings checks every field of in and saves the settings of the actor's municipality,
// recording what changed. A refused change returns apperr.FieldErrors named after the form's
// fields, and records nothing; a change that changes nothing records nothing either.
func (s *Store) UpdateSettings(ctx context.Context, actor audit.Actor, in Settings) error {
	defer s.resolved.Clear() // every page shows the settings: read them again at once
	if in.TenantID != uuid.Nil && in.TenantID != actor.TenantID {
		return errOtherTenant
	}
	in, errs := cleanSettings(in)
	if err := errs.Err(); err != nil {
		return err
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		old, err := scanSettings(tx.QueryRow(ctx, `SELECT `+settingsColumns+` FROM tenant t WHERE t.id = $1 FOR UPDATE`, actor.TenantID))
		if err != nil {
			return err
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tenant WHERE code = $1 AND id <> $2)`, in.Code, actor.TenantID).Scan(&taken); err != nil {
			return fmt.Errorf("tenant: code taken: %w", err)
		}
		if taken {
			return apperr.FieldErrors{{Field: FieldCode, Key: "municipality.error.code.taken"}}
		}
		changed := changedFields(old, in)
		if len(changed) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `
			UPDATE tenant SET name = $2, code = $3, contact = $4, dpo = $5, accessibility = $6, updated_at = now()
			WHERE id = $1`, actor.TenantID, in.Name, in.Code, in.Contact, in.DPO, in.Accessibility)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return apperr.FieldErrors{{Field: FieldCode, Key: "municipality.error.code.taken"}}
		}
		if err != nil {
			return fmt.Errorf("tenant: update settings: %w", err)
		}
		detail := map[string]any{"fields": changed}
		if old.Name != in.Name {
			detail["name"] = map[string]string{"from": old.Name, "to": in.Name}
		}
		if old.Code != in.Code {
			detail["code"] = map[string]string{"from": old.Code, "to": in.Code}
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: settingsChanged, Target: settingsTarget, Detail: detail})
	})
}

// cleanSettings trims and checks the settings a form sent.
func cleanSettings(in Settings) (Settings, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	out := Settings{TenantID: in.TenantID}

	out.Name = strings.TrimSpace(in.Name)
	switch {
	case out.Name == "":
		errs.Add(FieldName, "municipality.error.name")
	case !oneLine(out.Name, maxNameRunes):
		errs.Add(FieldName, "municipality.error.name.long")
	}
	out.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	if !codePattern.MatchString(out.Code) {
		errs.Add(FieldCode, "municipality.error.code")
	}

	out.Contact = Contact{
		Phone:   strings.TrimSpace(in.Contact.Phone),
		Email:   strings.TrimSpace(in.Contact.Email),
		Address: multiLine(in.Contact.Address),
		Hours:   multiLine(in.Contact.Hours),
	}
	checkPhone(&errs, FieldContactPhone, out.Contact.Phone)
	checkEmail(&errs, FieldContactEmail, out.Contact.Email)
	if utf8.RuneCountInString(out.Contact.Address) > maxTextRunes {
		errs.Add(FieldContactAddress, "municipality.error.text.long")
	}
	if utf8.RuneCountInString(out.Contact.Hours) > maxTextRunes {
		errs.Add(FieldContactHours, "municipality.error.text.long")
	}

	out.DPO = DPO{
		Name:  strings.TrimSpace(in.DPO.Name),
		Email: strings.TrimSpace(in.DPO.Email),
		Phone: strings.TrimSpace(in.DPO.Phone),
	}
	if out.DPO.Name != "" && !oneLine(out.DPO.Name, maxLineRunes) {
		errs.Add(FieldDPOName, "municipality.error.line.long")
	}
	checkEmail(&errs, FieldDPOEmail, out.DPO.Email)
	checkPhone(&errs, FieldDPOPhone, out.DPO.Phone)
	if !out.DPO.Empty() && out.DPO.Email == "" && out.DPO.Phone == "" {
		errs.Add(FieldDPOEmail, "municipality.error.dpo.reach")
	}

	out.Accessibility = form.Text{}
	for lang, field := range map[string]string{"sv": FieldAccessibilitySV, "en": FieldAccessibilityEN} {
		text := multiLine(in.Accessibility[lang])
		if text == "" {
			continue
		}
		if utf8.RuneCountInString(text) > maxStatementRunes {
			errs.Add(field, "municipality.error.statement.long")
		}
		out.Accessibility[lang] = text
	}
	if out.Accessibility["en"] != "" && out.Accessibility["sv"] == "" {
		errs.Add(FieldAccessibilitySV, "municipality.error.statement.sv")
	}
	slices.SortStableFunc(errs, func(a, b apperr.FieldError) int { return fieldOrder(a.Field) - fieldOrder(b.Field) })
	return out, errs
}

var (
	codePattern  = regexp.MustCompile(`^[A-Z]{2,6}$`)
	phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()-]*[0-9]$`)
)

// fieldOrder is the order of the fields on the form, so that the error summary follows it.
func fieldOrder(field string) int {
	order := []string{FieldName, FieldCode, FieldContactPhone, FieldContactEmail, FieldContactAddress, FieldContactHours,
		FieldDPOName, FieldDPOEmail, FieldDPOPhone, FieldAccessibilitySV, FieldAccessibilityEN}
	if i := slices.Index(order, field); i >= 0 {
		return i
	}
	return len(order)
}

func checkPhone(errs *apperr.FieldErrors, field, phone string) {
	if phone == "" {
		return
	}
	digits := 0
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if !phonePattern.MatchString(phone) || digits < 5 || digits > 15 || len(phone) > 30 {
		errs.Add(field, "municipality.error.phone")
	}
}

func checkEmail(errs *apperr.FieldErrors, field, email string) {
	if email != "" && !form.ValidEmail(email) {
		errs.Add(field, "municipality.error.email")
	}
}

// oneLine reports whether s is one line of at most max characters, without control characters.
func oneLine(s string, max int) bool {
	if utf8.RuneCountInString(s) > max {
		return false
	}
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// multiLine trims a text of several lines: line ends as \n, no trailing spaces, no blank lines at
// either end.
func multiLine(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n ")
}

// changedFields names the form fields whose values differ between old and new.
func changedFields(old, new Settings) []string {
	var out []string
	for _, f := range []struct {
		name     string
		old, new string
	}{
		{FieldName, old.Name, new.Name},
		{FieldCode, old.Code, new.Code},
		{FieldContactPhone, old.Contact.Phone, new.Contact.Phone},
		{FieldContactEmail, old.Contact.Email, new.Contact.Email},
		{FieldContactAddress, old.Contact.Address, new.Contact.Address},
		{FieldContactHours, old.Contact.Hours, new.Contact.Hours},
		{FieldDPOName, old.DPO.Name, new.DPO.Name},
		{FieldDPOEmail, old.DPO.Email, new.DPO.Email},
		{FieldDPOPhone, old.DPO.Phone, new.DPO.Phone},
		{FieldAccessibilitySV, old.Accessibility["sv"], new.Accessibility["sv"]},
		{FieldAccessibilityEN, old.Accessibility["en"], new.Accessibility["en"]},
	} {
		if f.old != f.new {
			out = append(out, f.name)
		}
	}
	return out
}

// Logo is the municipality's logo as uploaded.
type Logo struct {
	Data      []byte
	Type      string // image/png, image/svg+xml or image/jpeg
	UpdatedAt time.Time
}

// Version is the same as the settings' LogoVersion, for the logo's address.
func (l Logo) Version() string { return version(l.UpdatedAt) }

// ETag is a strong entity tag of the logo's bytes.
func (l Logo) ETag() string {
	sum := sha256.Sum256(l.Data)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// Logo returns the municipality's logo, or ErrNoLogo.
func (s *Store) Logo(ctx context.Context, tenantID uuid.UUID) (Logo, error) {
	var l Logo
	err := s.db.QueryRow(ctx, `SELECT logo, logo_type, updated_at FROM tenant WHERE id = $1 AND logo IS NOT NULL`, tenantID).
		Scan(&l.Data, &l.Type, &l.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Logo{}, ErrNoLogo
	}
	if err != nil {
		return Logo{}, fmt.Errorf("tenant: logo: %w", err)
	}
	return l, nil
}

// SetLogo checks an uploaded picture and makes it the logo of the actor's municipality. A file
// that is not a PNG, JPEG or plain SVG picture, or is too large, is refused with a field error;
// so is one found infected by the virus scanner (recorded), or one it gives no verdict on.
func (s *Store) SetLogo(ctx context.Context, actor audit.Actor, data []byte) error {
	defer s.resolved.Clear() // every page shows the settings: read them again at once
	if len(data) > 0 && len(data) <= MaxLogoBytes {
		if _, err := s.scan.Check(ctx, virusscan.Upload{TenantID: actor.TenantID, Source: virusscan.SourceLogo}, data); err != nil {
			var refused *apperr.Error
			if errors.As(err, &refused) && refused.Kind == apperr.Invalid {
				return apperr.FieldErrors{{Field: FieldLogo, Key: refused.Key}}
			}
			return err
		}
	}
	typ, key := SniffLogo(data)
	if key != "" {
		return apperr.FieldErrors{{Field: FieldLogo, Key: key}}
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tenant SET logo = $2, logo_type = $3, updated_at = now() WHERE id = $1`, actor.TenantID, data, typ)
		if err != nil {
			return fmt.Errorf("tenant: set logo: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: logoChanged, Target: FieldLogo,
			Detail: map[string]any{"type": typ, "bytes": len(data)}})
	})
}

// RemoveLogo removes the logo of the actor's municipality; without one it does nothing.
func (s *Store) RemoveLogo(ctx context.Context, actor audit.Actor) error {
	defer s.resolved.Clear() // every page shows the settings: read them again at once
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tenant SET logo = NULL, logo_type = NULL, updated_at = now() WHERE id = $1 AND logo IS NOT NULL`, actor.TenantID)
		if err != nil {
			return fmt.Errorf("tenant: remove logo: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: logoRemoved, Target: FieldLogo})
	})
}

// SniffLogo tells the type of a logo from its content (never from its name or the browser's
// word), or the catalogue key of why it is refused.
func SniffLogo(data []byte) (typ, refused string) {
	switch {
	case len(data) == 0:
		return "", "municipality.error.logo.missing"
	case len(data) > MaxLogoBytes:
		return "", "municipality.error.logo.size"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
			return "", "municipality.error.logo.type"
		}
		return "image/png", ""
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
			return "", "municipality.error.logo.type"
		}
		return "image/jpeg", ""
	case plainSVG(data):
		return "image/svg+xml", ""
	}
	return "", "municipality.error.logo.type"
}

// plainSVG reports whether data is an SVG picture with nothing active in it: no scripts, no event
// handlers, no embedded documents, no references outside the file, no entity declarations. The
// logo is served as an image with a policy that runs nothing anyway; this keeps it so if it is
// ever opened or used another way.
func plainSVG(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return !root
		}
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return false
			}
		case xml.ProcInst:
			if t.Target != "xml" {
				return false // e.g. xml-stylesheet
			}
		case xml.StartElement:
			if root {
				if t.Name.Local != "svg" || t.Name.Space != "http://www.w3.org/2000/svg" {
					return false
				}
				root = false
			}
			switch strings.ToLower(t.Name.Local) {
			case "script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate":
				return false
			}
			for _, a := range t.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					return false
				}
				if name == "href" || name == "src" {
					v := strings.TrimSpace(a.Value)
					if !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "data:image/png") && !strings.HasPrefix(v, "data:image/jpeg") {
						return false
					}
				}
				if name == "style" && externalURL(a.Value) {
					return false
				}
			}
		case xml.CharData:
			if root && len(bytes.TrimSpace(t)) > 0 || externalURL(string(t)) {
				return false
			}
		}
	}
}

// externalURL reports whether a style refers to anything but a part of the same file.
func externalURL(style string) bool {
	style = strings.ToLower(style)
	if strings.Contains(style, "@import") {
		return true
	}
	for {
		i := strings.Index(style, "url(")
		if i < 0 {
			return false
		}
		style = strings.TrimLeft(style[i+len("url("):], " \t\n'\"")
		if !strings.HasPrefix(style, "#") {
			return true
		}
	}
}

package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/tenant"
)

// eserviceFiles are the demo e-services, one JSON file each (see eserviceFile), named
// <municipality>-<slug>.json.
//
//go:embed eservices/*.json
var eserviceFiles embed.FS

// eserviceFile is the format of a demo e-service file: the e-service's settings and, unless it
// lives in another system (externalUrl), the form definition of its first version.
type eserviceFile struct {
	Municipality     string           `json:"municipality"` // slug of one of Municipalities
	Slug             string           `json:"slug"`
	Title            form.Text        `json:"title"`
	Description      form.Text        `json:"description"`
	Category         string           `json:"category"` // one of eservice.Categories
	Audience         []string         `json:"audience"` // of eservice.Audiences
	LoginRule        string           `json:"loginRule"`
	AnonymousAllowed bool             `json:"anonymousAllowed"`
	OnceOnly         string           `json:"onceOnly"`      // empty means "none"
	OnceOnlyField    string           `json:"onceOnlyField"` // key of a field of the definition
	ExternalURL      string           `json:"externalUrl"`
	Privacy          eservice.Privacy `json:"privacy"`
	Definition       json.RawMessage  `json:"definition"` // absent for an external e-service
}

// demoEService is a checked demo e-service, ready to be stored.
type demoEService struct {
	File         string
	Municipality string            // slug of the municipality
	EService     eservice.EService // without TenantID
	Definition   *form.Definition  // nil for an external e-service
}

// slugPattern is the syntax the eservice table accepts for a slug.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,80}$`)

// demoEServices reads and checks every embedded demo e-service, in file name order.
func demoEServices() ([]demoEService, error) {
	names, err := fs.Glob(eserviceFiles, "eservices/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []demoEService
	seen := map[string]string{}
	for _, name := range names {
		data, err := eserviceFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		d, err := parseEServiceFile(path.Base(name), data)
		if err != nil {
			return nil, err
		}
		id := d.Municipality + "/" + d.EService.Slug
		if other, dup := seen[id]; dup {
			return nil, fmt.Errorf("demo: %s: e-service %s is also in %s", d.File, id, other)
		}
		seen[id] = d.File
		out = append(out, d)
	}
	return out, nil
}

// parseEServiceFile decodes a demo e-service file strictly and checks it: the settings against
// what the eservice table accepts, the definition with form.Parse. Errors name the file.
func parseEServiceFile(name string, data []byte) (demoEService, error) {
	fail := func(format string, args ...any) (demoEService, error) {
		return demoEService{}, fmt.Errorf("demo: %s: "+format, append([]any{name}, args...)...)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f eserviceFile
	if err := dec.Decode(&f); err != nil {
		return fail("%w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail("data after the e-service")
	}

	if !slices.ContainsFunc(Municipalities, func(m tenant.Tenant) bool { return m.Slug == f.Municipality }) {
		return fail("unknown municipality %q", f.Municipality)
	}
	if !slugPattern.MatchString(f.Slug) {
		return fail("bad slug %q", f.Slug)
	}
	if !hasSwedish(f.Title) {
		return fail("no Swedish title")
	}
	if !hasSwedish(f.Description) {
		return fail("no Swedish description")
	}
	if !slices.Contains(eservice.Categories, f.Category) {
		return fail("unknown category %q", f.Category)
	}
	if len(f.Audience) == 0 {
		return fail("no audience")
	}
	for i, a := range f.Audience {
		if !slices.Contains(eservice.Audiences, a) || slices.Contains(f.Audience[:i], a) {
			return fail("bad audience %q", a)
		}
	}
	switch f.LoginRule {
	case eservice.LoginRequired, eservice.LoginOptional, eservice.LoginNone:
	default:
		return fail("unknown login rule %q", f.LoginRule)
	}
	if f.AnonymousAllowed && f.LoginRule == eservice.LoginRequired {
		return fail("anonymous submission needs a login rule other than required")
	}
	if f.OnceOnly == "" {
		f.OnceOnly = eservice.OnceNone
	}
	switch f.OnceOnly {
	case eservice.OnceNone, eservice.OncePersonalNumber, eservice.OnceEmail:
	default:
		return fail("unknown once-only rule %q", f.OnceOnly)
	}
	privacy := map[string]form.Text{
		"data": f.Privacy.Data, "purpose": f.Privacy.Purpose, "legal_basis": f.Privacy.LegalBasis,
		"controller": f.Privacy.Controller, "retention": f.Privacy.Retention,
	}
	for k, t := range privacy {
		if !hasSwedish(t) {
			return fail("privacy notice: no Swedish %s", k)
		}
	}

	d := demoEService{File: name, Municipality: f.Municipality}
	hasDef := len(f.Definition) > 0 && string(bytes.TrimSpace(f.Definition)) != "null"
	switch {
	case f.ExternalURL != "" && !strings.HasPrefix(f.ExternalURL, "https://") && !eservice.PortalPath(f.ExternalURL):
		return fail("the external URL must start with https:// or be a page of the portal (/...)")
	case f.ExternalURL != "" && hasDef:
		return fail("an external e-service has no definition")
	case f.ExternalURL == "" && !hasDef:
		return fail("no definition")
	case hasDef:
		def, err := form.Parse(f.Definition)
		if err != nil {
			return fail("%w", err)
		}
		d.Definition = def
	}

	if f.OnceOnlyField != "" {
		if f.OnceOnly == eservice.OnceNone {
			return fail("onceOnlyField without a once-only rule")
		}
		want := map[string]form.FieldType{eservice.OncePersonalNumber: form.PersonalNumber, eservice.OnceEmail: form.Email}[f.OnceOnly]
		if field, ok := findField(d.Definition, f.OnceOnlyField); !ok || field.Type != want {
			return fail("onceOnlyField %q is not a %s field of the form", f.OnceOnlyField, want)
		}
	}

	d.EService = eservice.EService{
		Slug:             f.Slug,
		Title:            f.Title,
		Description:      f.Description,
		Category:         f.Category,
		Audience:         f.Audience,
		LoginRule:        f.LoginRule,
		AnonymousAllowed: f.AnonymousAllowed,
		OnceOnly:         f.OnceOnly,
		OnceOnlyField:    f.OnceOnlyField,
		ExternalURL:      f.ExternalURL,
		Privacy:          f.Privacy,
	}
	return d, nil
}

func hasSwedish(t form.Text) bool { return strings.TrimSpace(t["sv"]) != "" }

// findField returns the field of the definition with the key.
func findField(def *form.Definition, key string) (form.Field, bool) {
	if def == nil {
		return form.Field{}, false
	}
	for _, s := range def.Steps {
		for _, f := range s.Fields {
			if f.Key == key {
				return f, true
			}
		}
	}
	return form.Field{}, false
}

// loadEServices adds the demo e-services that are not there yet, identified by municipality and
// slug: a form e-service is created and its definition published as version 1; an external one
// is created and listed in the catalogue without a version. The municipalities must exist.
func loadEServices(ctx context.Context, tx pgx.Tx, log *slog.Logger) error {
	all, err := demoEServices()
	if err != nil {
		return err
	}
	tenants := map[string]uuid.UUID{}
	for _, d := range all {
		tenantID, ok := tenants[d.Municipality]
		if !ok {
			if err := tx.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = $1`, d.Municipality).Scan(&tenantID); err != nil {
				return fmt.Errorf("demo: %s: municipality %s: %w", d.File, d.Municipality, err)
			}
			tenants[d.Municipality] = tenantID
		}
		var exists bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice WHERE tenant_id = $1 AND slug = $2)`,
			tenantID, d.EService.Slug).Scan(&exists)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", d.File, err)
		}
		if exists {
			continue
		}
		e := d.EService
		e.TenantID = tenantID
		if e, err = eservice.Create(ctx, tx, e); err != nil {
			return fmt.Errorf("demo: %s: %w", d.File, err)
		}
		if d.Definition != nil {
			if _, err := eservice.Publish(ctx, tx, e.ID, d.Definition, "demo"); err != nil {
				return fmt.Errorf("demo: %s: %w", d.File, err)
			}
		} else if err := publishExternal(ctx, tx, e.ID); err != nil {
			return fmt.Errorf("demo: %s: %w", d.File, err)
		}
		log.Info("demo e-service added", "municipality", d.Municipality, "slug", e.Slug)
	}
	return nil
}

// publishExternal lists an external e-service in the catalogue. It has no version: the catalogue
// links to its URL.
func publishExternal(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	tag, err := tx.Exec(ctx, `UPDATE eservice SET state = 'published', updated_at = now()
		WHERE id = $1 AND external_url IS NOT NULL AND current_version_id IS NULL`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return errors.New("demo: not an external e-service")
	}
	return nil
}

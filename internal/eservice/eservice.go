// Package eservice holds the e-services of the municipalities and their versioned forms. A
// published version never changes; every draft and case points to the version it was started on.
package eservice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/cache"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Login rules.
const (
	LoginRequired = "required"
	LoginOptional = "optional"
	LoginNone     = "none"
)

// Once-only rules: a person may submit the e-service once.
const (
	OnceNone           = "none"
	OncePersonalNumber = "personal_number"
	OnceEmail          = "email"
)

// Audiences.
var Audiences = []string{"private", "company", "association"}

// Categories of the catalogue; each has the catalogue key "category.<name>".
var Categories = []string{"building", "school", "traffic", "culture", "care", "environment", "documents", "business"}

// EService is one e-service of a municipality.
type EService struct {
	ID               uuid.UUID
	TenantID         uuid.UUID
	Municipality     string // the municipality's name
	MunicipalityCode string // its short code, for reference numbers
	Slug             string
	Title            form.Text
	Description      form.Text
	Category         string
	Audience         []string
	LoginRule        string
	AnonymousAllowed bool
	OnceOnly         string
	OnceOnlyField    string // the field whose answer identifies the person; empty: the logged-in person
	ExternalURL      string // an e-service in another system: the catalogue links out
	Privacy          Privacy
	State            string
	CurrentVersionID *uuid.UUID
	RetentionMonths  int        // how long a closed case is kept; 0: not set
	AvailableFrom    *time.Time // shown in the catalogue from, when set
	AvailableUntil   *time.Time // and until
	NoticeTexts      NoticeTexts
	// RetentionDisposal is what becomes of a closed case once RetentionMonths have passed:
	// retention.Keep, AfterExport or Delete (it leaves the citizen's account in every case).
	RetentionDisposal string
	Builtin           string // "" for an e-service its admins made; e.g. "data_protection"
}

// NoticeTexts are texts the e-service's admin adds to its notices, by notice kind (as the notify
// package names them, e.g. "case_submitted") and language.
type NoticeTexts map[string]form.Text

// available is the SQL condition of an e-service that citizens may see and start now.
const available = `e.state = 'published' AND (e.available_from IS NULL OR e.available_from <= now())
	AND (e.available_until IS NULL OR e.available_until > now())`

// Privacy is the notice shown before the form starts: what personal data the e-service
// collects, why, on what legal basis, who is responsible, and for how long it is kept.
type Privacy struct {
	Data       form.Text `json:"data"`
	Purpose    form.Text `json:"purpose"`
	LegalBasis form.Text `json:"legal_basis"`
	Controller form.Text `json:"controller"` // the municipal board responsible (personuppgiftsansvarig)
	// Sources says what data the e-service fetches from other registers (the population
	// register's name and address, say); empty when it fetches none.
	Sources   form.Text `json:"sources,omitempty"`
	Retention form.Text `json:"retention"`
	// Consent: the legal basis is the citizen's consent, which they may withdraw (Mina uppgifter
	// lists such cases as consents given).
	Consent bool `json:"consent,omitempty"`
}

// Version is one version of an e-service's form.
type Version struct {
	ID          uuid.UUID
	EServiceID  uuid.UUID
	Number      int
	Definition  *form.Definition
	PublishedAt *time.Time
}

// Errors.
var (
	ErrNotFound        = apperr.New(apperr.NotFound, "")
	ErrVersionNotFound = apperr.New(apperr.NotFound, "")
	ErrPublished       = apperr.New(apperr.Conflict, "error.eservice.published")
)

// Filter narrows the catalogue.
type Filter struct {
	Query    string // words in the title or description
	Audience string
	Category string
}

// Store reads and writes e-services.
type Store struct {
	db   db.Querier
	scan *virusscan.Guard // scans an imported document before it is read; nil scans nothing
}

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store { return &Store{db: q} }

// WithScanner returns the store with imported documents scanned for viruses by g.
func (s *Store) WithScanner(g *virusscan.Guard) *Store {
	c := *s
	c.scan = g
	return &c
}

const columns = `e.id, e.tenant_id, t.name, t.code, e.slug, e.title, e.description, e.category, e.audience,
	e.login_rule, e.anonymous_allowed, e.once_only, coalesce(e.once_only_field, ''), coalesce(e.external_url, ''),
	e.privacy, e.state, e.current_version_id, coalesce(e.retention_months, 0), e.available_from, e.available_until, e.notice_texts,
	e.retention_disposal, coalesce(e.builtin, '')`

// Catalogue returns the published e-services of a municipality that match the filter, by title.
func (s *Store) Catalogue(ctx context.Context, tenantID uuid.UUID, f Filter) ([]EService, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE e.tenant_id = $1 AND `+available+` AND e.builtin IS NULL
		  AND ($2 = '' OR e.search @@ websearch_to_tsquery('swedish', $2) OR e.title ->> 'sv' ILIKE '%' || $2 || '%')
		  AND ($3 = '' OR $3 = ANY (e.audience))
		  AND ($4 = '' OR e.category = $4)
		`, tenantID, f.Query, f.Audience, f.Category)
	if err != nil {
		return nil, fmt.Errorf("eservice: catalogue: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EService, error) { return scan(r) })
	if err != nil {
		return nil, err
	}
	// In Swedish order (Å, Ä, Ö last), whatever collations the database has.
	c := collate.New(language.Swedish)
	slices.SortFunc(list, func(a, b EService) int { return c.CompareString(a.Title["sv"], b.Title["sv"]) })
	return list, nil
}

// All returns the municipality's e-services that are not archived, by title.
func (s *Store) All(ctx context.Context, tenantID uuid.UUID) ([]EService, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE e.tenant_id = $1 AND e.state <> 'archived' ORDER BY e.title ->> 'sv'`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("eservice: all: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (EService, error) { return scan(r) })
}

// Published returns a published e-service of the municipality by its slug.
func (s *Store) Published(ctx context.Context, tenantID uuid.UUID, slug string) (EService, error) {
	row := s.db.QueryRow(ctx, `
		SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id
		WHERE e.tenant_id = $1 AND e.slug = $2 AND `+available, tenantID, slug)
	return scan(row)
}

// ByID returns an e-service of any municipality and state.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (EService, error) {
	return scan(s.db.QueryRow(ctx, `SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE e.id = $1`, id))
}

// Version returns a version with its definition, checked as it is loaded.
func (s *Store) Version(ctx context.Context, id uuid.UUID) (Version, error) {
	return versionWhere(ctx, s.db, `id = $1`, id)
}

// versionWhere returns the first version where the SQL condition (and order) holds, with its
// definition, checked as it is loaded.
func versionWhere(ctx context.Context, q db.Querier, cond string, args ...any) (Version, error) {
	v, err := scanVersion(q.QueryRow(ctx, `SELECT `+versionColumns+` FROM eservice_version WHERE `+cond, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return Version{}, ErrVersionNotFound
	}
	return v, err
}

// versionColumns are a version's columns, as scanVersion reads them.
const versionColumns = `id, eservice_id, number, definition, published_at`

// scanVersion reads a version with its definition (parsed once per process when published).
func scanVersion(row pgx.Row) (Version, error) {
	var v Version
	var def []byte
	if err := row.Scan(&v.ID, &v.EServiceID, &v.Number, &def, &v.PublishedAt); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return Version{}, err
		}
		return Version{}, fmt.Errorf("eservice: version: %w", err)
	}
	var err error
	v.Definition, err = parsed(v, def)
	return v, err
}

// publishedDefinitions are the parsed definitions of published versions, which never change.
var publishedDefinitions = cache.New[uuid.UUID, *form.Definition](time.Hour)

// Create stores a new e-service, in state draft, without versions.
func Create(ctx context.Context, q db.Querier, e EService) (EService, error) {
	privacy, err := json.Marshal(e.Privacy)
	if err != nil {
		return EService{}, err
	}
	if e.OnceOnly == "" {
		e.OnceOnly = OnceNone
	}
	err = q.QueryRow(ctx, `
		INSERT INTO eservice (tenant_id, slug, title, description, category, audience, login_rule, anonymous_allowed,
			once_only, once_only_field, external_url, privacy)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, ''), nullif($11, ''), $12)
		RETURNING id, state`,
		e.TenantID, e.Slug, e.Title, e.Description, e.Category, e.Audience, e.LoginRule, e.AnonymousAllowed,
		e.OnceOnly, e.OnceOnlyField, e.ExternalURL, privacy).Scan(&e.ID, &e.State)
	if err != nil {
		return EService{}, fmt.Errorf("eservice: create %s: %w", e.Slug, err)
	}
	return e, nil
}

// Publish adds a new version with the definition, publishes it and makes it the one new drafts
// start on. Drafts and cases started on earlier versions keep theirs.
func Publish(ctx context.Context, q db.Querier, eserviceID uuid.UUID, def *form.Definition, by string) (Version, error) {
	if err := def.Check(); err != nil {
		return Version{}, err
	}
	b, err := def.JSON()
	if err != nil {
		return Version{}, err
	}
	v := Version{EServiceID: eserviceID, Definition: def}
	err = q.QueryRow(ctx, `
		INSERT INTO eservice_version (tenant_id, eservice_id, number, definition, published_at, created_by)
		SELECT e.tenant_id, e.id, coalesce((SELECT max(number) FROM eservice_version WHERE eservice_id = e.id), 0) + 1, $2, now(), $3
		FROM eservice e WHERE e.id = $1
		RETURNING id, number, published_at`, eserviceID, b, by).Scan(&v.ID, &v.Number, &v.PublishedAt)
	if err != nil {
		return Version{}, fmt.Errorf("eservice: publish: %w", err)
	}
	if _, err := q.Exec(ctx, `UPDATE eservice SET current_version_id = $2, state = 'published', updated_at = now() WHERE id = $1`, eserviceID, v.ID); err != nil {
		return Version{}, fmt.Errorf("eservice: publish: %w", err)
	}
	return v, nil
}

func scan(row pgx.Row) (EService, error) { return scanWith(row, nil) }

// scanExtra adds destinations for columns selected after the e-service's own.
type scanExtra func(dest ...any) []any

func scanWith(row pgx.Row, extra scanExtra) (EService, error) {
	var e EService
	var privacy []byte
	dest := []any{&e.ID, &e.TenantID, &e.Municipality, &e.MunicipalityCode, &e.Slug, &e.Title, &e.Description,
		&e.Category, &e.Audience, &e.LoginRule, &e.AnonymousAllowed, &e.OnceOnly, &e.OnceOnlyField, &e.ExternalURL,
		&privacy, &e.State, &e.CurrentVersionID, &e.RetentionMonths, &e.AvailableFrom, &e.AvailableUntil, &e.NoticeTexts,
		&e.RetentionDisposal, &e.Builtin}
	if extra != nil {
		dest = extra(dest...)
	}
	err := row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return EService{}, ErrNotFound
	}
	if err != nil {
		return EService{}, fmt.Errorf("eservice: %w", err)
	}
	if err := json.Unmarshal(privacy, &e.Privacy); err != nil {
		return EService{}, fmt.Errorf("eservice %s: privacy notice: %w", e.ID, err)
	}
	return e, nil
}

// WithVersionColumns are an e-service's columns and its version's, for a statement that reads
// them from eservice e, tenant t and eservice_version v beside another row: a draft's pages read
// the draft, its e-service and its version in one statement. ScanWithVersion scans them.
const WithVersionColumns = columns + `, v.id, v.eservice_id, v.number, v.definition, v.published_at`

// ScanWithVersion scans a row that starts with WithVersionColumns into the e-service and its
// version (parsed once per process when published), and the columns after them into more. A
// row that is not there is ErrNotFound.
func ScanWithVersion(row pgx.Row, more ...any) (EService, Version, error) {
	var v Version
	var def []byte
	e, err := scanWith(row, func(dest ...any) []any {
		return append(append(dest, &v.ID, &v.EServiceID, &v.Number, &def, &v.PublishedAt), more...)
	})
	if err != nil {
		return EService{}, Version{}, err
	}
	if v.Definition, err = parsed(v, def); err != nil {
		return EService{}, Version{}, err
	}
	return e, v, nil
}

// Startable reports whether the e-service has a form the portal runs (not an external one).
func (e EService) Startable() bool { return e.ExternalURL == "" && e.CurrentVersionID != nil }

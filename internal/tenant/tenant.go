// Package tenant holds the municipalities an installation serves. A request's municipality comes
// from its host name, with a configured default for an installation that serves one.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/cache"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// Tenant is one municipality.
type Tenant struct {
	ID   uuid.UUID
	Slug string // stable short name used in configuration, e.g. "alingsas"
	Name string // display name, e.g. "Alingsås kommun"
	Code string // short code used in reference numbers, e.g. "ALI"
}

// ErrNotFound is returned when no municipality matches.
var ErrNotFound = apperr.New(apperr.NotFound, "error.tenant.notfound")

// ErrExists is returned when a municipality's slug, code or host is taken.
var ErrExists = apperr.New(apperr.Conflict, "error.tenant.exists")

// Store reads and writes municipalities.
type Store struct {
	db db.Querier
	// resolved holds each host's municipality and settings for a short while: every page needs
	// them, and they change rarely (this server forgets them at once when it changes them).
	resolved *cache.TTL[[2]string, resolvedTenant]
	scan     *virusscan.Guard // scans a logo before it is stored; nil scans nothing
}

// WithScanner returns the store with a logo scanned for viruses by g before it is stored.
func (s *Store) WithScanner(g *virusscan.Guard) *Store {
	c := *s
	c.scan = g
	return &c
}

type resolvedTenant struct {
	t  Tenant
	st Settings
}

// ResolveLifetime is how long a server keeps a municipality's settings before it reads them again.
const ResolveLifetime = 30 * time.Second

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store {
	return &Store{db: q, resolved: cache.New[[2]string, resolvedTenant](ResolveLifetime)}
}

const columns = `t.id, t.slug, t.name, t.code`

// Resolve returns the municipality served under host, or else the one with the default slug,
// with its settings (what every page shows of it), in one query.
func (s *Store) Resolve(ctx context.Context, host, defaultSlug string) (Tenant, Settings, error) {
	host = NormalizeHost(host)
	r, err := s.resolved.Get([2]string{host, defaultSlug}, func() (resolvedTenant, error) {
		var slug string
		st, err := scanSettings(s.db.QueryRow(ctx, `
			SELECT t.slug, `+settingsColumns+` FROM tenant t
			LEFT JOIN tenant_host h ON h.tenant_id = t.id AND h.host = $1
			WHERE h.host IS NOT NULL OR t.slug = $2
			ORDER BY h.host IS NULL
			LIMIT 1`, host, defaultSlug), &slug)
		return resolvedTenant{Tenant{ID: st.TenantID, Slug: slug, Name: st.Name, Code: st.Code}, st}, err
	})
	if err != nil {
		return Tenant{}, Settings{}, err
	}
	return r.t, r.st, nil
}

// BySlug returns the municipality with slug.
func (s *Store) BySlug(ctx context.Context, slug string) (Tenant, error) {
	return scanOne(s.db.QueryRow(ctx, `SELECT `+columns+` FROM tenant t WHERE t.slug = $1`, slug))
}

// All returns every municipality of the installation, by name.
func (s *Store) All(ctx context.Context) ([]Tenant, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM tenant t ORDER BY t.name`)
	if err != nil {
		return nil, fmt.Errorf("tenant: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Tenant, error) {
		var t Tenant
		err := r.Scan(&t.ID, &t.Slug, &t.Name, &t.Code)
		return t, err
	})
}

// Create adds a municipality with its host names.
func Create(ctx context.Context, q db.Querier, t Tenant, hosts []string) (Tenant, error) {
	err := q.QueryRow(ctx, `INSERT INTO tenant (slug, name, code) VALUES ($1, $2, $3) RETURNING id`,
		t.Slug, t.Name, t.Code).Scan(&t.ID)
	if err != nil {
		return Tenant{}, classify(err)
	}
	for _, h := range hosts {
		if _, err := q.Exec(ctx, `INSERT INTO tenant_host (host, tenant_id) VALUES ($1, $2)`, NormalizeHost(h), t.ID); err != nil {
			return Tenant{}, classify(err)
		}
	}
	return t, nil
}

// NormalizeHost lower-cases a host and strips its port.
func NormalizeHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.TrimSuffix(host, ".")
}

func scanOne(row pgx.Row) (Tenant, error) {
	var t Tenant
	err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.Code)
	if errors.Is(err, pgx.ErrNoRows) {
		return Tenant{}, ErrNotFound
	}
	if err != nil {
		return Tenant{}, fmt.Errorf("tenant: %w", err)
	}
	return t, nil
}

func classify(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return apperr.Wrap(apperr.Conflict, ErrExists.Key, err)
		case "23514":
			return apperr.Wrap(apperr.Invalid, "error.tenant.invalid", err)
		}
	}
	return fmt.Errorf("tenant: %w", err)
}

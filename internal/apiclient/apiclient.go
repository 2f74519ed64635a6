// Package apiclient holds the clients of the case systems' API (/api/v1): a municipality admin
// makes a client with a name, scopes and a rate limit, and gets its key once. Only the SHA-256 of
// the key's secret is kept: the secret is 256 random bits, so a slow password hash would add
// nothing but cost to every request.
//
// A client acts in its municipality as a caseworker who handles every e-service (Member): the API
// calls the same casework functions as the caseworker's pages, so the rules, the case's history,
// the citizen's notices and the audit records of reads are the same, under the client's name.
package apiclient

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
)

// Scopes: what a client may do.
const (
	ScopeCasesRead     = "cases:read"     // list and fetch cases with their answers, messages and files
	ScopeCasesWrite    = "cases:write"    // set a case's status, close it with a decision
	ScopeMessagesWrite = "messages:write" // write to the citizen
	ScopeArchive       = "archive:export" // make and fetch archive packages of closed cases
)

// Scopes lists every scope, in the order the admin page shows them.
var Scopes = []string{ScopeCasesRead, ScopeCasesWrite, ScopeMessagesWrite, ScopeArchive}

// RateWindow is the rate limit's window: a client may make RateLimit requests in each.
const RateWindow = time.Minute

// DefaultRateLimit is a new client's requests per RateWindow.
const DefaultRateLimit = 120

// Client is a case system's client of the API.
type Client struct {
	ID         uuid.UUID
	TenantID   uuid.UUID
	Name       string
	Scopes     []string
	RateLimit  int // requests per RateWindow
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	Revoked    bool
}

// Has reports whether the client has the scope.
func (c Client) Has(scope string) bool { return slices.Contains(c.Scopes, scope) }

// Member is the caseworker the client acts as: of its municipality, under its name, seeing every
// case there (staff.Member.APIClient).
func (c Client) Member() staff.Member {
	return staff.Member{ID: c.ID, TenantID: c.TenantID, Name: c.Name, Roles: []string{staff.Caseworker}, APIClient: true}
}

// Form fields of a new client, as the admin page names them.
const (
	FieldName      = "client_name"
	FieldScopes    = "scopes"
	FieldRateLimit = "rate_limit"
)

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrUnauthorized is a request without a key, or with one that is unknown, wrong or revoked.
	ErrUnauthorized = apperr.New(apperr.Unauthorized, "api.error.unauthorized")
)

// RateLimitedError is a request over the client's rate limit.
type RateLimitedError struct {
	RetryAfter time.Duration // when the window ends
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("apiclient: over the rate limit; retry after %s", e.RetryAfter)
}

// Unwrap makes the error of kind TooMany for the error adapter.
func (e *RateLimitedError) Unwrap() error { return apperr.New(apperr.TooMany, "api.error.ratelimit") }

// Store keeps API clients.
type Store struct{ db db.Querier }

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store { return &Store{db: q} }

// New is a client as an admin asks for it.
type New struct {
	Name      string
	Scopes    []string
	RateLimit int
}

// Check returns what is wrong with the client, by form field.
func Check(n New) apperr.FieldErrors {
	var errs apperr.FieldErrors
	if name := strings.TrimSpace(n.Name); name == "" || utf8.RuneCountInString(name) > 100 {
		errs.Add(FieldName, "integration.error.name")
	}
	if len(n.Scopes) == 0 || slices.ContainsFunc(n.Scopes, func(s string) bool { return !slices.Contains(Scopes, s) }) {
		errs.Add(FieldScopes, "integration.error.scopes")
	}
	if n.RateLimit < 1 || n.RateLimit > 100000 {
		errs.Add(FieldRateLimit, "integration.error.ratelimit")
	}
	return errs
}

// Create makes a client of the actor's municipality and returns it with its key, which is shown
// to the admin now and never again. The change is recorded in the municipality's change log.
func (s *Store) Create(ctx context.Context, by audit.Actor, n New) (Client, string, error) {
	if errs := Check(n); len(errs) > 0 {
		return Client{}, "", errs
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Client{}, "", fmt.Errorf("apiclient: secret: %w", err)
	}
	scopes := slices.Clone(n.Scopes)
	slices.SortFunc(scopes, func(a, b string) int { return slices.Index(Scopes, a) - slices.Index(Scopes, b) })
	c := Client{ID: uuid.New(), TenantID: by.TenantID, Name: strings.TrimSpace(n.Name), Scopes: slices.Compact(scopes),
		RateLimit: n.RateLimit, CreatedBy: by.Name}
	key := formatKey(c.ID, secret)
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO api_client (id, tenant_id, name, secret_hash, scopes, rate_limit, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
			RETURNING created_at`, c.ID, c.TenantID, c.Name, hashSecret(secret), c.Scopes, c.RateLimit, c.CreatedBy).Scan(&c.CreatedAt)
		if err != nil {
			return fmt.Errorf("apiclient: create: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: by, Action: "api_client_added", Target: c.Name,
			Detail: map[string]any{"scopes": c.Scopes, "rate_limit": c.RateLimit}})
	})
	return c, key, err
}

// A key is "ms_", the client's id in hex, "_", and the secret in unpadded base64url.
const keyPrefix = "ms_"

func formatKey(id uuid.UUID, secret []byte) string {
	return keyPrefix + hex.EncodeToString(id[:]) + "_" + base64.RawURLEncoding.EncodeToString(secret)
}

func parseKey(key string) (uuid.UUID, []byte, bool) {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return uuid.Nil, nil, false
	}
	idHex, secretText, ok := strings.Cut(rest, "_")
	idBytes, err1 := hex.DecodeString(idHex)
	secret, err2 := base64.RawURLEncoding.DecodeString(secretText)
	if !ok || err1 != nil || err2 != nil || len(idBytes) != 16 || len(secret) != 32 {
		return uuid.Nil, nil, false
	}
	return uuid.UUID(idBytes), secret, true
}

func hashSecret(secret []byte) []byte {
	sum := sha256.Sum256(secret)
	return sum[:]
}

const columns = `id, tenant_id, name, scopes, rate_limit, created_by, created_at, last_used_at, revoked_at IS NOT NULL`

// List returns the municipality's clients, revoked ones too, oldest first.
func (s *Store) List(ctx context.Context, tenantID uuid.UUID) ([]Client, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM api_client WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("apiclient: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Client, error) {
		var c Client
		err := r.Scan(&c.ID, &c.TenantID, &c.Name, &c.Scopes, &c.RateLimit, &c.CreatedBy, &c.CreatedAt, &c.LastUsedAt, &c.Revoked)
		return c, err
	})
}

// Revoke ends the client's access at once: its key is refused from the next request on. The
// change is recorded.
func (s *Store) Revoke(ctx context.Context, by audit.Actor, id uuid.UUID) error {
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `UPDATE api_client SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING name`,
			id, by.TenantID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("apiclient: revoke: %w", err)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: by, Action: "api_client_revoked", Target: name})
	})
}

// Authenticate finds the client of a key and counts the request against its rate limit, in one
// statement: a fixed window of RateWindow, counted in the client's row so that every server of
// the installation counts together. Only requests with a right key are counted, so nobody can use
// up a client's limit without its key. A key that is unknown, wrong or revoked is ErrUnauthorized;
// a request over the limit is a *RateLimitedError.
func (s *Store) Authenticate(ctx context.Context, key string) (Client, error) {
	id, secret, ok := parseKey(strings.TrimSpace(key))
	if !ok {
		return Client{}, ErrUnauthorized
	}
	c := Client{ID: id}
	var count int
	var retry float64
	err := s.db.QueryRow(ctx, `
		UPDATE api_client SET
			window_count = CASE WHEN window_start > now() - $3 * interval '1 second' THEN window_count + 1 ELSE 1 END,
			window_start = CASE WHEN window_start > now() - $3 * interval '1 second' THEN window_start ELSE now() END,
			last_used_at = now()
		WHERE id = $1 AND secret_hash = $2 AND revoked_at IS NULL
		RETURNING tenant_id, name, scopes, rate_limit, created_by, created_at, window_count,
			extract(epoch FROM window_start + $3 * interval '1 second' - now())::float8`,
		id, hashSecret(secret), int(RateWindow/time.Second)).
		Scan(&c.TenantID, &c.Name, &c.Scopes, &c.RateLimit, &c.CreatedBy, &c.CreatedAt, &count, &retry)
	if errors.Is(err, pgx.ErrNoRows) {
		return Client{}, ErrUnauthorized
	}
	if err != nil {
		return Client{}, fmt.Errorf("apiclient: authenticate: %w", err)
	}
	if count > c.RateLimit {
		return c, &RateLimitedError{RetryAfter: max(time.Duration(retry*float64(time.Second)), time.Second)}
	}
	return c, nil
}

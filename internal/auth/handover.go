package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/tenant"
)

// One installation serves several municipalities, each under its own host names, but the IdP
// knows the service provider by one address (BASE_URL). A login started on a municipality's host
// therefore runs its SAML exchange on the installation's address and is then handed over to the
// host it started on:
//
//  1. Start, on the origin host: a pending login bound to a cookie of that host.
//  2. Begin, on the installation's host: the SAML request, bound to a cookie of that host.
//  3. FinishAssertion, on the installation's host: the IdP's answer checked against both.
//  4. HandOver: a single-use code, valid for HandoverLifetime, in a redirect to the origin host.
//  5. Receive, on the origin host: the code redeemed by the browser holding the origin cookie.
//
// A login started on the installation's own host skips the hand-over: step 3 logs in directly.
// Only registered municipality hosts are origins, so the hand-over is no open redirect.

// HandoverLifetime is how long a hand-over code can be redeemed.
const HandoverLifetime = time.Minute

// Bounds on pending logins, which anyone can start without logging in.
const (
	MaxPendingPerAddress = 30     // started from one address within PendingLifetime
	MaxPendingTotal      = 20_000 // alive in the whole installation
)

// ErrTooManyLogins is returned when a bound on pending logins is reached.
var ErrTooManyLogins = apperr.New(apperr.TooMany, "error.login.toomany")

// Logins keeps the logins under way in PostgreSQL.
type Logins struct {
	db   db.Querier
	base *url.URL
}

// NewLogins returns the logins of the installation whose address is base.
func NewLogins(q db.Querier, base *url.URL) *Logins {
	return &Logins{db: q, base: base}
}

// StartInput is a login someone asks to start.
type StartInput struct {
	Provider   string    // Citizen or Staff
	Tenant     uuid.UUID // for Staff: the municipality of the host
	Host       string    // the request's host, as the browser sent it
	ReturnPath string    // a safe local path
	ClientAddr string    // the client's address, for the bound per address
	Previous   string    // the origin cookie of a login this browser started before, if any
}

// Started is a pending login. Direct: it started on the installation's host, and SP.Begin goes on
// at once. Otherwise Binding is the origin host's cookie and Next is where to send the browser.
type Started struct {
	Handle  string
	Binding string
	Direct  bool
	Next    string
}

// Start makes a pending login for a browser on host. A host that is not the installation's nor a
// registered municipality host is not an origin: the login starts on the installation's host.
func (l *Logins) Start(ctx context.Context, in StartInput) (Started, error) {
	host := tenant.NormalizeHost(in.Host)
	direct := host == tenant.NormalizeHost(l.base.Host)
	handle, binding := randomToken(), randomToken()
	var origin any // NULL binding for a direct login
	if !direct {
		origin = hashBinding(binding)
	}
	var status string
	err := pgx.BeginFunc(ctx, l.db, func(tx pgx.Tx) error {
		// One lock orders the bound's count and the insert, so that concurrent starts cannot all pass.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('login_pending'))`); err != nil {
			return err
		}
		if in.Previous != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM login_pending WHERE origin_binding = $1`, hashBinding(in.Previous)); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `
			WITH gone AS (DELETE FROM login_pending WHERE created_at < now() - $8::interval),
			live AS (SELECT count(*) AS total, count(*) FILTER (WHERE client_addr = $7) AS here
				FROM login_pending WHERE created_at >= now() - $8::interval),
			known AS (SELECT $9 OR EXISTS (SELECT 1 FROM tenant_host WHERE host = $10) AS ok),
			ins AS (
				INSERT INTO login_pending (handle, provider, return_path, tenant_id, origin_host, origin_binding, client_addr)
				SELECT $1, $2, $3, $4, $5, $6, $7 FROM live, known
				WHERE live.total < $11 AND live.here < $12 AND known.ok
				RETURNING 1)
			SELECT CASE WHEN EXISTS (SELECT 1 FROM ins) THEN 'ok'
				WHEN NOT (SELECT ok FROM known) THEN 'unknown' ELSE 'full' END`,
			handle, in.Provider, in.ReturnPath, nullUUID(in.Tenant), in.Host, origin, in.ClientAddr,
			PendingLifetime.String(), direct, host, MaxPendingTotal, MaxPendingPerAddress).Scan(&status)
	})
	if err != nil {
		return Started{}, fmt.Errorf("auth: start login: %w", err)
	}
	switch status {
	case "full":
		return Started{}, ErrTooManyLogins
	case "unknown":
		// Not a host of ours: start again on the installation's host.
		next := *l.base
		next.Path = LoginPath(in.Provider)
		next.RawQuery = url.Values{"return": {in.ReturnPath}}.Encode()
		return Started{Next: next.String()}, nil
	}
	if direct {
		return Started{Handle: handle, Direct: true}, nil
	}
	next := *l.base
	next.Path = samlPrefix(in.Provider) + "/start"
	next.RawQuery = url.Values{"h": {handle}}.Encode()
	return Started{Handle: handle, Binding: binding, Next: next.String()}, nil
}

// Subject is who a finished SAML exchange proved, as the session will hold them.
type Subject struct {
	ID     uuid.UUID // the citizen's account or the staff member
	Name   string
	LoA    string
	AuthAt time.Time
	// Previous is when a citizen logged in before this login (nil before their second, and for
	// staff): what their Mina ärenden marks as changed since.
	Previous *time.Time
}

// Handover is a login handed over to its origin host.
type Handover struct {
	Subject
	Provider   string
	Tenant     uuid.UUID
	ReturnPath string
}

// HandOver stores a finished login for its origin host and returns the address on that host that
// redeems it.
func (l *Logins) HandOver(ctx context.Context, p Pending, s Subject) (string, error) {
	code := randomToken()
	_, err := l.db.Exec(ctx, `
		WITH gone AS (DELETE FROM login_handover WHERE created_at < now() - $10::interval)
		INSERT INTO login_handover (code, binding, origin_host, provider, tenant_id, subject_id, name, loa, auth_at, return_path,
			previous_login_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12)`,
		hashBinding(code), p.originBinding, p.OriginHost, p.Provider, nullUUID(p.Tenant), s.ID, s.Name, s.LoA, s.AuthAt,
		HandoverLifetime.String(), p.ReturnPath, s.Previous)
	if err != nil {
		return "", fmt.Errorf("auth: hand over login: %w", err)
	}
	u := url.URL{Scheme: l.base.Scheme, Host: p.OriginHost, Path: LoginPath(p.Provider) + "/klar",
		RawQuery: url.Values{"kod": {code}}.Encode()}
	return u.String(), nil
}

// Receive redeems a hand-over code on host for the browser holding binding (the origin cookie).
// The code is used up whatever the outcome. A missing, foreign or old code is an Expired
// *LoginError.
func (l *Logins) Receive(ctx context.Context, provider, host, code, binding string) (Handover, error) {
	expired := func(cause string) (Handover, error) {
		return Handover{}, &LoginError{Reason: Expired, ReturnPath: "/", Cause: errors.New(cause)}
	}
	if code == "" {
		return expired("no hand-over code")
	}
	var h Handover
	var tenantID *uuid.UUID
	var stored []byte
	var origin string
	var createdAt time.Time
	err := l.db.QueryRow(ctx, `
		DELETE FROM login_handover WHERE code = $1
		RETURNING binding, origin_host, provider, tenant_id, subject_id, name, loa, auth_at, return_path, created_at, previous_login_at`,
		hashBinding(code)).Scan(&stored, &origin, &h.Provider, &tenantID, &h.ID, &h.Name, &h.LoA, &h.AuthAt, &h.ReturnPath, &createdAt,
		&h.Previous)
	if errors.Is(err, pgx.ErrNoRows) {
		return expired("no such hand-over code (used already?)")
	}
	if err != nil {
		return Handover{}, fmt.Errorf("auth: receive login: %w", err)
	}
	if tenantID != nil {
		h.Tenant = *tenantID
	}
	switch {
	case binding == "":
		return expired("hand-over code redeemed by a browser without an origin cookie")
	case subtle.ConstantTimeCompare(stored, hashBinding(binding)) != 1:
		return expired("hand-over code redeemed by another browser")
	case tenant.NormalizeHost(origin) != tenant.NormalizeHost(host):
		return expired("hand-over code redeemed on another host")
	case h.Provider != provider:
		return expired("hand-over code of another kind of login")
	case time.Since(createdAt) > HandoverLifetime:
		return expired("hand-over code too old")
	}
	return h, nil
}

// loginStartPath is where a kind of login starts, on any host.
func LoginPath(provider string) string {
	if provider == Staff {
		return "/personal/login"
	}
	return "/login"
}

// samlPrefix is where a kind of login's SAML endpoints live, on the installation's host.
func samlPrefix(provider string) string {
	if provider == Staff {
		return "/personal/saml"
	}
	return "/saml"
}

// PathPrefix is where the provider's SAML endpoints live, e.g. /saml: its cookie's path.
func (p *ServiceProvider) PathPrefix() string { return p.cfg.PathPrefix }

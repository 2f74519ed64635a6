// Package security records security events: refused logins, refused forged (cross-site)
// requests, one-time code lock-outs and too many logins from one address. Each is stored in
// PostgreSQL with the client's address, for the municipality's admins and the citizen's register
// extract, and written as a JSON line to a log of its own that an operator can forward to their
// log collection. The addresses are removed after the configured time by the retention job.
// Neither the database nor the log ever holds a personal identity number or a SAML response.
package security

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
)

// Kinds of event.
const (
	LoginFailed       = "login_failed"        // a login refused: a bad, expired or replayed answer, too low an assurance
	StaffLoginRefused = "staff_login_refused" // an employee the municipality has not registered
	LoginLimited      = "login_limited"       // too many logins started from one address or browser
	ForgedRequest     = "forged_request"      // a cross-site request refused
	CodeLockout       = "code_lockout"        // too many one-time codes sent, or wrong codes typed
)

// Kinds lists the kinds of event.
var Kinds = []string{LoginFailed, StaffLoginRefused, LoginLimited, ForgedRequest, CodeLockout}

// Event is one security event.
type Event struct {
	ID        uuid.UUID
	Kind      string
	Reason    string    // e.g. the login's failure reason; never personal data
	TenantID  uuid.UUID // the municipality of the host, if any
	AccountID uuid.UUID // the citizen concerned, if known
	StaffID   uuid.UUID // the staff member concerned, if known
	Addr      netip.Addr
	Method    string
	Path      string // the path, never the query
	RequestID string
	At        time.Time // set by Record
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z_]{1,60}$`)

// Log records security events.
type Log struct {
	db  db.Querier
	out *slog.Logger
	now func() time.Time
}

// New returns a log that stores events through q and writes them to out.
func New(q db.Querier, out *slog.Logger) *Log {
	if out == nil {
		out = slog.New(slog.DiscardHandler)
	}
	return &Log{db: q, out: out, now: time.Now}
}

// Record stores the event and writes its log line. The line is written even when the database
// refuses the event, so that an attack on the database's availability still leaves a trace.
func (l *Log) Record(ctx context.Context, e Event) error {
	e, err := l.line(ctx, e)
	if err != nil {
		return err
	}
	_, err = l.db.Exec(ctx, `
		INSERT INTO security_event (at, kind, reason, tenant_id, account_id, staff_id, client_addr, method, path, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.At, e.Kind, e.Reason, nilID(e.TenantID), nilID(e.AccountID), nilID(e.StaffID), nilAddr(e.Addr), e.Method, e.Path, e.RequestID)
	if err != nil {
		return fmt.Errorf("security: record %s: %w", e.Kind, err)
	}
	return nil
}

// Note writes the event's log line and stores nothing: for an event met in a request that must
// write nothing (a GET, such as a refused login hand-over). The line has the same fields as
// Record's.
func (l *Log) Note(ctx context.Context, e Event) error {
	_, err := l.line(ctx, e)
	return err
}

// line stamps the event and writes its log line.
func (l *Log) line(ctx context.Context, e Event) (Event, error) {
	if !kindPattern.MatchString(e.Kind) {
		return e, fmt.Errorf("security: kind %q", e.Kind)
	}
	e.At = l.now()
	attrs := []any{"log", "security", "kind", e.Kind, "at", e.At.UTC().Format(time.RFC3339Nano)}
	for _, a := range []struct {
		key string
		val string
	}{{"reason", e.Reason}, {"client_addr", addrString(e.Addr)}, {"tenant", idString(e.TenantID)},
		{"account", idString(e.AccountID)}, {"staff", idString(e.StaffID)}, {"method", e.Method}, {"path", e.Path},
		{"request_id", e.RequestID}} {
		if a.val != "" {
			attrs = append(attrs, a.key, a.val)
		}
	}
	l.out.WarnContext(ctx, "security event", attrs...)
	return e, nil
}

// ForAccount returns the events that concern the account, newest first, for its register extract.
func ForAccount(ctx context.Context, q db.Querier, accountID uuid.UUID) ([]Event, error) {
	var out []Event
	return out, db.Read(ctx, q, func(b *pgx.Batch) {
		queueEvents(b, &out, `WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT 1000`, accountID)
	})
}

// QueueOfMunicipality queues on b the reading of the municipality's newest events, at most
// limit, into out.
func QueueOfMunicipality(b *pgx.Batch, tenantID uuid.UUID, limit int, out *[]Event) {
	queueEvents(b, out, `WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, tenantID, limit)
}

func queueEvents(b *pgx.Batch, out *[]Event, where string, args ...any) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		var addr *netip.Addr
		err := r.Scan(&e.ID, &e.At, &e.Kind, &e.Reason, &e.TenantID, &e.AccountID, &e.StaffID, &addr, &e.Method, &e.Path, &e.RequestID)
		if addr != nil {
			e.Addr = *addr
		}
		return e, err
	}, `
		SELECT id, at, kind, reason, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'),
			coalesce(account_id, '00000000-0000-0000-0000-000000000000'), coalesce(staff_id, '00000000-0000-0000-0000-000000000000'),
			client_addr, method, path, request_id
		FROM security_event `+where, args...)
}

// OpenLog returns the logger security events are written to as JSON lines: "stderr", "stdout",
// or a file, appended to (an operator's log shipper can follow it). Close the closer at the end.
func OpenLog(dest string) (*slog.Logger, io.Closer, error) {
	var w io.Writer
	var c io.Closer = io.NopCloser(nil)
	switch dest {
	case "", "stderr":
		w = os.Stderr
	case "stdout":
		w = os.Stdout
	default:
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("security: log: %w", err)
		}
		w, c = f, f
	}
	return slog.New(slog.NewJSONHandler(w, nil)), c, nil
}

func nilID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id
}

func nilAddr(a netip.Addr) any {
	if !a.IsValid() {
		return nil
	}
	return a
}

func idString(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

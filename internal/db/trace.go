package db

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// Counts are the database work of one request (or any piece of work whose context carries them):
// how many round trips it made to PostgreSQL, how many of its statements wrote, and how many
// transactions it committed. They make a page's cost a number that tests can hold to a budget.
type Counts struct {
	roundTrips, writes, commits atomic.Int64
	mu                          sync.Mutex
	statements, written         []string
}

// Statements are the statements sent, in order, the first line of each, for a failing budget's
// message.
func (c *Counts) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.statements)
}

// Written are the statements sent that insert, update or delete, each from its first word that
// writes to the end of that line (such as "INSERT INTO audit_record (…").
func (c *Counts) Written() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.written)
}

// note adds a statement sent, and tells whether it writes (and counts it if so).
func (c *Counts) note(sql string) (writes bool) {
	at := writeStatement.FindStringIndex(sql)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements = append(c.statements, firstLine(sql))
	if at == nil {
		return false
	}
	c.writes.Add(1)
	c.written = append(c.written, firstLine(sql[at[0]:]))
	return true
}

func firstLine(sql string) string {
	sql = strings.TrimSpace(sql)
	if i := strings.IndexByte(sql, '\n'); i >= 0 {
		sql = sql[:i] + " …"
	}
	return sql
}

// RoundTrips is the number of statements and batches sent (a batch is one round trip).
func (c *Counts) RoundTrips() int { return int(c.roundTrips.Load()) }

// Writes is the number of statements that insert, update or delete.
func (c *Counts) Writes() int { return int(c.writes.Load()) }

// Commits is the number of transactions committed.
func (c *Counts) Commits() int { return int(c.commits.Load()) }

type countsKey struct{}

// CountInto returns a context whose database work is added to c.
func CountInto(ctx context.Context, c *Counts) context.Context {
	return context.WithValue(ctx, countsKey{}, c)
}

// tracer adds each statement sent on a context that carries Counts to them.
type tracer struct{}

var writeStatement = regexp.MustCompile(`(?is)\b(insert\s+into|update\s+[a-z_."]+\s+set|delete\s+from)\b`)

// writingKey marks a statement under way that writes.
type writingKey struct{}

func (tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if c, ok := ctx.Value(countsKey{}).(*Counts); ok {
		c.roundTrips.Add(1)
		if c.note(data.SQL) {
			return context.WithValue(ctx, writingKey{}, true)
		}
		if data.SQL == "commit" {
			c.commits.Add(1)
		}
	}
	return ctx
}

// TraceQueryEnd counts the commit of a write outside a transaction: it commits on its own.
func (tracer) TraceQueryEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryEndData) {
	c, ok := ctx.Value(countsKey{}).(*Counts)
	if writing, _ := ctx.Value(writingKey{}).(bool); ok && writing && data.Err == nil && conn.PgConn().TxStatus() == 'I' {
		c.commits.Add(1)
	}
}

// batchKey marks a batch under way: whether it wrote.
type batchKey struct{}

func (tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	if c, ok := ctx.Value(countsKey{}).(*Counts); ok {
		c.roundTrips.Add(1)
		c.note("batch:")
		return context.WithValue(ctx, batchKey{}, new(bool))
	}
	return ctx
}

func (tracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	if c, ok := ctx.Value(countsKey{}).(*Counts); ok {
		if c.note("  " + data.SQL) {
			if wrote, ok := ctx.Value(batchKey{}).(*bool); ok {
				*wrote = true
			}
		}
	}
}

// TraceBatchEnd counts the commit of a batch that wrote outside a transaction: its implicit
// transaction commits when it ends.
func (tracer) TraceBatchEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchEndData) {
	c, ok := ctx.Value(countsKey{}).(*Counts)
	wrote, _ := ctx.Value(batchKey{}).(*bool)
	if ok && wrote != nil && *wrote && data.Err == nil && conn.PgConn().TxStatus() == 'I' {
		c.commits.Add(1)
	}
}

package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Event is something that happened to a case, for Emit.
type Event struct {
	Type   string    // one of Events
	CaseID uuid.UUID // the case it happened to
	// Data is what the receiver needs of this type besides the case, e.g. {"revision": 2} or
	// {"message_id": "…"}; never personal data or text the citizen wrote. May be nil.
	Data map[string]any
}

// Body is the JSON an event is sent as.
type Body struct {
	ID           string         `json:"id"` // the event's id: the same in every delivery and resend
	Type         string         `json:"type"`
	CreatedAt    time.Time      `json:"created_at"`
	Municipality Municipality   `json:"municipality"`
	Case         CaseRef        `json:"case"`
	Data         map[string]any `json:"data,omitempty"`
}

// Municipality names the case's municipality in an event.
type Municipality struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Code string `json:"code"` // the code of its reference numbers, e.g. ALI
}

// CaseRef names the case in an event: fetch it at /api/v1/cases/{id}.
type CaseRef struct {
	ID        string      `json:"id"`
	Reference string      `json:"reference"`
	EService  EServiceRef `json:"eservice"`
}

// EServiceRef names the case's e-service in an event.
type EServiceRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
}

// Emit records the event for every webhook of the case's municipality that asked for its type,
// in tx, the transaction of what happened: the event with its body, a delivery per webhook, and a
// River job per delivery. They exist once tx commits, and none if it rolls back; the jobs post
// the event after the commit. With no webhook that wants it, Emit costs one query and writes
// nothing.
//
// Domain code calls it where the event happens, e.g. after a signature is stored:
//
//	webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseSigned, CaseID: caseID, Data: map[string]any{"signatures": 2}})
func Emit(ctx context.Context, tx pgx.Tx, e Event) error {
	body, err := newBody(e)
	if err != nil {
		return err
	}
	var hooks []uuid.UUID
	var tenantID uuid.UUID
	err = tx.QueryRow(ctx, `
		SELECT t.id, t.id::text, t.slug, t.code, c.id::text, c.reference, e.id::text, e.slug, `+hooksWanting+`
		FROM cases c JOIN tenant t ON t.id = c.tenant_id JOIN eservice e ON e.id = c.eservice_id
		WHERE c.id = $1`, e.CaseID, e.Type).Scan(&tenantID, &body.Municipality.ID, &body.Municipality.Slug, &body.Municipality.Code, &body.Case.ID,
		&body.Case.Reference, &body.Case.EService.ID, &body.Case.EService.Slug, &hooks)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("webhook: event %s of case %s: no such case", e.Type, e.CaseID)
	}
	if err != nil {
		return fmt.Errorf("webhook: event %s: %w", e.Type, err)
	}
	if len(hooks) == 0 {
		return nil
	}
	return record(ctx, tx, e, tenantID, body, hooks)
}

// newBody is the body of event e but for its municipality and case.
func newBody(e Event) (Body, error) {
	if !slices.Contains(Events, e.Type) {
		return Body{}, fmt.Errorf("webhook: unknown event type %q", e.Type)
	}
	return Body{ID: uuid.NewString(), Type: e.Type, CreatedAt: time.Now().UTC().Truncate(time.Millisecond), Data: e.Data}, nil
}

// hooksWanting selects the ids of the webhooks of municipality t that want events of type $2,
// in the order they were made.
const hooksWanting = `array(SELECT w.id FROM webhook w WHERE w.tenant_id = t.id AND w.removed_at IS NULL AND $2 = ANY (w.events) ORDER BY w.created_at, w.id)`

// record writes the event, a delivery per webhook and their jobs.
func record(ctx context.Context, tx pgx.Tx, e Event, tenantID uuid.UUID, b Body, hooks []uuid.UUID) error {
	body, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("webhook: event %s: %w", e.Type, err)
	}
	rows, err := tx.Query(ctx, `
		WITH ev AS (INSERT INTO webhook_event (id, tenant_id, case_id, type, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
		INSERT INTO webhook_delivery (tenant_id, webhook_id, event_id)
		SELECT $2, w, ev.id FROM ev, unnest($7::uuid[]) w
		RETURNING id`, b.ID, tenantID, e.CaseID, e.Type, string(body), b.CreatedAt, hooks)
	if err != nil {
		return fmt.Errorf("webhook: event %s: %w", e.Type, err)
	}
	deliveries, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return fmt.Errorf("webhook: event %s: %w", e.Type, err)
	}
	return enqueue(ctx, tx, deliveries...)
}

// enqueue inserts a delivery job per delivery in tx.
func enqueue(ctx context.Context, tx pgx.Tx, deliveries ...uuid.UUID) error {
	client, err := inserter()
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, len(deliveries))
	for i, id := range deliveries {
		params[i] = river.InsertManyParams{Args: DeliverArgs{DeliveryID: id}}
	}
	if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("webhook: enqueue deliveries: %w", err)
	}
	return nil
}

// inserter is a River client that only inserts jobs, in the caller's transaction: Emit is called
// from any domain transaction, so it needs no client handed down. It holds no configuration and
// no connection (the transaction is the caller's); the server's River client, which has the
// delivery worker (AddWorker), works the jobs.
var inserter = sync.OnceValues(func() (*river.Client[pgx.Tx], error) {
	c, err := river.NewClient(riverpgxv5.New(nil), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("webhook: job client: %w", err)
	}
	return c, nil
})

package webhook

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Planned is an event of a case whose row is still to be written, in the batch that writes it:
// a submit knows the case's id, e-service and municipality before the row exists, and its
// reference number only when the row's statement runs. Plan queues the read of the webhooks
// that want the event on the transaction's first batch; Enqueue inserts their delivery jobs;
// QueueOn queues the event and its deliveries after the case's row, the reference taken from
// the row. So the transaction's last batch can write the case, its event and the commit in one
// round trip (db.QueueCommit). With no webhook that wants it, the event writes nothing.
type Planned struct {
	e          Event
	tenantID   uuid.UUID
	body       Body
	hooks      []uuid.UUID
	deliveries []uuid.UUID
}

// Plan queues on b the read of the webhooks of the municipality that want e, which happens to
// a case of the e-service that is not written yet.
func Plan(b *pgx.Batch, e Event, tenantID uuid.UUID, eservice EServiceRef) (*Planned, error) {
	body, err := newBody(e)
	if err != nil {
		return nil, err
	}
	body.Municipality.ID = tenantID.String()
	// The reference is not known until the case's row is written; the body holds a mark, unique
	// to the event, that QueueOn's statement replaces with it.
	body.Case = CaseRef{ID: e.CaseID.String(), Reference: "reference-of-" + body.ID, EService: eservice}
	p := &Planned{e: e, tenantID: tenantID, body: body}
	b.Queue(`SELECT t.slug, t.code, `+hooksWanting+` FROM tenant t WHERE t.id = $1`, tenantID, e.Type).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&p.body.Municipality.Slug, &p.body.Municipality.Code, &p.hooks); err != nil {
			return fmt.Errorf("webhook: event %s: %w", e.Type, err)
		}
		return nil
	})
	return p, nil
}

// Enqueue inserts in tx a delivery job per webhook that wants the event, once the batch Plan
// queued on has run; nothing when no webhook wants it.
func (p *Planned) Enqueue(ctx context.Context, tx pgx.Tx) error {
	if len(p.hooks) == 0 {
		return nil
	}
	p.deliveries = make([]uuid.UUID, len(p.hooks))
	for i := range p.deliveries {
		p.deliveries[i] = uuid.New()
	}
	return enqueue(ctx, tx, p.deliveries...)
}

// QueueOn queues on b, after the statement that writes the case's row, the event and a
// delivery per webhook (those Enqueue made jobs of); nothing when no webhook wants it.
func (p *Planned) QueueOn(b *pgx.Batch) error {
	if len(p.hooks) == 0 {
		return nil
	}
	if len(p.deliveries) != len(p.hooks) {
		return fmt.Errorf("webhook: event %s: the deliveries' jobs are not enqueued", p.e.Type)
	}
	body, err := json.Marshal(p.body)
	if err != nil {
		return fmt.Errorf("webhook: event %s: %w", p.e.Type, err)
	}
	b.Queue(`
		WITH ev AS (
			INSERT INTO webhook_event (id, tenant_id, case_id, type, body, created_at)
			SELECT $1, $2, c.id, $4, replace($5, $6, c.reference), $7 FROM cases c WHERE c.id = $3
			RETURNING id)
		INSERT INTO webhook_delivery (id, tenant_id, webhook_id, event_id)
		SELECT d.id, $2, d.webhook, ev.id FROM ev, unnest($8::uuid[], $9::uuid[]) AS d (webhook, id)`,
		p.body.ID, p.tenantID, p.e.CaseID, p.e.Type, string(body), p.body.Case.Reference, p.body.CreatedAt, p.hooks, p.deliveries).
		Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != int64(len(p.hooks)) {
				return fmt.Errorf("webhook: event %s of case %s: no such case", p.e.Type, p.e.CaseID)
			}
			return nil
		})
	return nil
}

-- +goose Up
-- Outgoing webhooks of a municipality: an address that is told, by a signed JSON event, when one
-- of the chosen things happens to a case (internal/webhook). The secret signs the events, so it is
-- kept as given (it is shown to the admin once, when the webhook is made, and never again).
CREATE TABLE webhook (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    name       text NOT NULL CHECK (name <> ''),
    url        text NOT NULL CHECK (url ~ '^https?://'),
    secret     text NOT NULL CHECK (length(secret) >= 32),
    events     text[] NOT NULL CHECK (cardinality(events) > 0),
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    removed_at timestamptz -- removed webhooks keep their delivery log
);
CREATE INDEX webhook_tenant_idx ON webhook (tenant_id, created_at);

-- An event as it is sent: its body is fixed when it happens, in the transaction of what happened,
-- so that every delivery and every resend carries the same bytes. The body names the case by id
-- and reference; it never holds personal data or answers (a receiver fetches those through the
-- API). An event goes with its case.
CREATE TABLE webhook_event (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    case_id    uuid REFERENCES cases (id) ON DELETE CASCADE,
    type       text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One event to one webhook: the outbox row that a River job delivers, and the delivery log.
CREATE TABLE webhook_delivery (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenant (id),
    webhook_id      uuid NOT NULL REFERENCES webhook (id),
    event_id        uuid NOT NULL REFERENCES webhook_event (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    last_status     integer,                 -- the receiver's HTTP status; NULL when it did not answer
    last_error      text NOT NULL DEFAULT '', -- why the last attempt failed, without the body
    delivered_at    timestamptz
);
-- The delivery log of a webhook, newest first, paged by key.
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (webhook_id, created_at DESC, id DESC);
CREATE INDEX webhook_delivery_event_idx ON webhook_delivery (event_id);

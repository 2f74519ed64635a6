-- +goose Up
-- A form being filled in, saved on every step. It belongs to an account, or (for a visitor of an
-- e-service that needs no login) to a random key kept in the visitor's session. A draft is
-- private to its owner: not a public document, never shown to staff.
CREATE TABLE draft (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    eservice_id  uuid NOT NULL REFERENCES eservice (id),
    version_id   uuid NOT NULL REFERENCES eservice_version (id),
    account_id   uuid REFERENCES account (id) ON DELETE CASCADE,
    session_key  bytea,
    answers      jsonb NOT NULL DEFAULT '{}',
    current_step text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((account_id IS NULL) <> (session_key IS NULL))
);
CREATE INDEX draft_account_idx ON draft (account_id, updated_at DESC) WHERE account_id IS NOT NULL;
CREATE INDEX draft_session_idx ON draft (session_key) WHERE session_key IS NOT NULL;

-- Reference numbers run per municipality and year: ALI-2026-000042.
CREATE TABLE reference_counter (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    year      integer NOT NULL,
    last      integer NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- A submitted case: a public document of the municipality. answers is the snapshot exactly as
-- submitted. An anonymous case has no account and no contact data.
CREATE TABLE cases (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenant (id),
    eservice_id     uuid NOT NULL REFERENCES eservice (id),
    version_id      uuid NOT NULL REFERENCES eservice_version (id),
    reference       text NOT NULL,
    account_id      uuid REFERENCES account (id),
    anonymous       boolean NOT NULL DEFAULT false,
    answers         jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'submitted',
    once_only_key   bytea,
    source_draft_id uuid NOT NULL UNIQUE,
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, reference),
    CHECK (NOT anonymous OR account_id IS NULL)
);
CREATE UNIQUE INDEX cases_once_only_idx ON cases (eservice_id, once_only_key) WHERE once_only_key IS NOT NULL;
CREATE INDEX cases_account_idx ON cases (account_id, submitted_at DESC, id DESC) WHERE account_id IS NOT NULL;
CREATE INDEX cases_tenant_idx ON cases (tenant_id, submitted_at DESC, id DESC);

-- What happened to a case, in order.
CREATE TABLE case_event (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    case_id   uuid NOT NULL REFERENCES cases (id),
    kind      text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL DEFAULT '',
    data      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_event_case_idx ON case_event (case_id, at);

-- Uploaded files, kept in PostgreSQL. A file belongs to a draft while it is filled in and to the
-- case once submitted.
CREATE TABLE upload (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    draft_id     uuid REFERENCES draft (id) ON DELETE CASCADE,
    case_id      uuid REFERENCES cases (id),
    field_key    text NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       bytea NOT NULL,
    data         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (draft_id IS NOT NULL OR case_id IS NOT NULL)
);
CREATE INDEX upload_draft_idx ON upload (draft_id) WHERE draft_id IS NOT NULL;
CREATE INDEX upload_case_idx ON upload (case_id) WHERE case_id IS NOT NULL;

-- Notices to send after a commit (e-mail, SMS), written in the same transaction as their cause.
CREATE TABLE notice (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    account_id uuid REFERENCES account (id),
    case_id    uuid REFERENCES cases (id),
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX notice_unsent_idx ON notice (created_at) WHERE sent_at IS NULL;

-- +goose Up
-- Clients of the case systems' API (/api/v1): made by a municipality admin, each with its own
-- secret (only its SHA-256 is kept: the secret is 256 random bits, shown once), its scopes and its
-- rate limit. A client acts in its municipality as a caseworker who handles every e-service.
CREATE TABLE api_client (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    name         text NOT NULL CHECK (name <> ''),
    secret_hash  bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0),
    rate_limit   integer NOT NULL DEFAULT 120 CHECK (rate_limit BETWEEN 1 AND 100000), -- requests a minute
    -- The rate limit's fixed window: when it began and how many requests it has counted. Every
    -- server counts in this row, so the limit holds for the installation, not per server.
    window_start timestamptz NOT NULL DEFAULT now(),
    window_count integer NOT NULL DEFAULT 0,
    created_by   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_client_tenant_idx ON api_client (tenant_id, created_at);

-- A client's read of a case is an audit record like a staff member's, under the client's name:
-- it names the client instead of a staff member.
ALTER TABLE audit_record ALTER COLUMN staff_id DROP NOT NULL;
ALTER TABLE audit_record ADD COLUMN api_client_id uuid REFERENCES api_client (id);
ALTER TABLE audit_record ADD CONSTRAINT audit_record_reader_check CHECK (num_nonnulls(staff_id, api_client_id) = 1);

-- +goose Up
-- A tenant is one municipality served by the installation. Every row that belongs to a
-- municipality carries its tenant_id.
CREATE TABLE tenant (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
    name       text NOT NULL CHECK (name <> ''),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{2,6}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The host names under which a municipality is served (its own domain).
CREATE TABLE tenant_host (
    host      text PRIMARY KEY CHECK (host = lower(host) AND host <> ''),
    tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE
);
CREATE INDEX tenant_host_tenant_idx ON tenant_host (tenant_id);

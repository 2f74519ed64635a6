-- +goose Up
-- The citizen's data rights (packages extract and rights).

-- A register extract asked for under Mina uppgifter: built by a job (done of total parts), then
-- downloadable by its owner until expires_at, when the job removes the document and the archive.
-- The row itself stays, as the record of the request.
CREATE TABLE extract_request (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id   uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id    uuid NOT NULL REFERENCES tenant (id), -- the municipality it was asked on: its notice names it
    requested_at timestamptz NOT NULL DEFAULT now(),
    state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'building', 'ready', 'failed', 'expired')),
    done         integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    total        integer NOT NULL DEFAULT 0 CHECK (total >= 0),
    ready_at     timestamptz,
    expires_at   timestamptz,
    document     jsonb,  -- the extract, in the format minasidor.extract version 1
    archive      bytea,  -- the ZIP: the document, and every file
    CHECK (state <> 'ready' OR (document IS NOT NULL AND archive IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX extract_request_account_idx ON extract_request (account_id, requested_at DESC);
CREATE INDEX extract_request_expires_idx ON extract_request (expires_at) WHERE state = 'ready';

-- An e-service the portal itself provides in every municipality: requests under the data
-- protection regulation (rectification, erasure, restriction, objection, a withdrawn consent),
-- handled by the municipality's data protection function. It is not in the catalogue; citizens
-- reach it from Mina uppgifter. One of each kind per municipality.
ALTER TABLE eservice ADD COLUMN builtin text CHECK (builtin IN ('data_protection'));
CREATE UNIQUE INDEX eservice_builtin_idx ON eservice (tenant_id, builtin) WHERE builtin IS NOT NULL;

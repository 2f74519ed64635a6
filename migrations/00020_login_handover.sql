-- +goose Up
-- A login starts and ends on the municipality host the person is on; the SAML exchange runs on
-- the installation's own address (BASE_URL), where the IdP knows us. A pending login is made on
-- the origin host, bound to a cookie there (origin_binding), and gets its SAML request id and a
-- second binding (for the base host's cookie) when the browser reaches the base host.
ALTER TABLE login_pending
    ALTER COLUMN request_id DROP NOT NULL,
    ALTER COLUMN binding DROP NOT NULL,
    ADD COLUMN origin_host text NOT NULL DEFAULT '',
    ADD COLUMN origin_binding bytea,
    ADD COLUMN client_addr text NOT NULL DEFAULT '';
CREATE INDEX login_pending_addr_idx ON login_pending (client_addr, created_at);

-- A finished SAML exchange hands the login over to its origin host: a single-use code, valid for
-- a minute, that only the browser holding the origin cookie can redeem, and only on that host.
CREATE TABLE login_handover (
    code        bytea PRIMARY KEY, -- sha-256 of the code in the address
    binding     bytea NOT NULL,    -- sha-256 of the origin host's cookie
    origin_host text NOT NULL,
    provider    text NOT NULL CHECK (provider IN ('citizen', 'staff')),
    tenant_id   uuid REFERENCES tenant (id) ON DELETE CASCADE,
    subject_id  uuid NOT NULL,     -- the citizen's account or the staff member
    name        text NOT NULL,
    loa         text NOT NULL DEFAULT '',
    auth_at     timestamptz NOT NULL,
    return_path text NOT NULL CHECK (return_path LIKE '/%'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_handover_created_idx ON login_handover (created_at);

-- +goose Up
-- A login that was started and not yet finished. The handle travels as the SAML RelayState; the
-- browser that started the login holds a secret whose hash is binding. Single use, 10 minutes.
CREATE TABLE login_pending (
    handle      text PRIMARY KEY,
    binding     bytea NOT NULL,
    provider    text NOT NULL CHECK (provider IN ('citizen', 'staff')),
    request_id  text NOT NULL,
    return_path text NOT NULL CHECK (return_path LIKE '/%'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_pending_created_idx ON login_pending (created_at);

-- Every assertion accepted, kept until it expires, so that none is accepted twice.
CREATE TABLE saml_assertion_used (
    assertion_id text PRIMARY KEY,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX saml_assertion_used_expires_idx ON saml_assertion_used (expires_at);

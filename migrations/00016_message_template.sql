-- +goose Up
-- Ready texts a caseworker can start a message from, per e-service.
CREATE TABLE eservice_message_template (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    eservice_id uuid NOT NULL REFERENCES eservice (id),
    title       text NOT NULL CHECK (title <> ''),
    body        text NOT NULL CHECK (body <> ''),
    position    integer NOT NULL DEFAULT 0
);
CREATE INDEX eservice_message_template_idx ON eservice_message_template (eservice_id, position);

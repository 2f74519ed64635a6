-- +goose Up
-- Status types of a case. The e-service's own statuses (later) each map to one of these.
ALTER TABLE cases ADD CONSTRAINT cases_status_check
    CHECK (status IN ('submitted', 'in_progress', 'waiting_supplement', 'closed'));
-- When anything last happened to the case, for "changed since your last login".
ALTER TABLE cases ADD COLUMN updated_at timestamptz;
UPDATE cases SET updated_at = submitted_at;
ALTER TABLE cases ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE cases ADD COLUMN closed_at timestamptz;
CREATE INDEX cases_account_closed_idx ON cases (account_id, (closed_at IS NULL), submitted_at DESC, id DESC)
    WHERE account_id IS NOT NULL;

-- The thread between the citizen and the caseworkers of a case.
CREATE TABLE message (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    case_id     uuid NOT NULL REFERENCES cases (id),
    sender      text NOT NULL CHECK (sender IN ('citizen', 'caseworker')),
    author_name text NOT NULL DEFAULT '',
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX message_case_idx ON message (case_id, created_at);
CREATE INDEX message_unread_idx ON message (case_id) WHERE read_at IS NULL;

ALTER TABLE upload ADD COLUMN message_id uuid REFERENCES message (id);
CREATE INDEX upload_message_idx ON upload (message_id) WHERE message_id IS NOT NULL;

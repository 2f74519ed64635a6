-- +goose Up
-- Who handles an e-service's cases: a staff member, or everyone in a group the IdP releases.
CREATE TABLE eservice_handler (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    eservice_id uuid NOT NULL REFERENCES eservice (id),
    staff_id    uuid REFERENCES staff (id) ON DELETE CASCADE,
    group_name  text CHECK (group_name <> ''),
    CHECK ((staff_id IS NULL) <> (group_name IS NULL)),
    UNIQUE (eservice_id, staff_id),
    UNIQUE (eservice_id, group_name)
);
CREATE INDEX eservice_handler_staff_idx ON eservice_handler (staff_id) WHERE staff_id IS NOT NULL;

-- The caseworker a case is assigned to, and the decision it was closed with.
ALTER TABLE cases ADD COLUMN assigned_to uuid REFERENCES staff (id);
ALTER TABLE cases ADD COLUMN decision text;
CREATE INDEX cases_queue_idx ON cases (tenant_id, eservice_id, (closed_at IS NULL), submitted_at DESC, id DESC);
CREATE INDEX cases_assigned_idx ON cases (assigned_to, submitted_at DESC, id DESC) WHERE assigned_to IS NOT NULL;

-- Cases a caseworker has flagged for themself.
CREATE TABLE case_flag (
    case_id  uuid NOT NULL REFERENCES cases (id),
    staff_id uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, staff_id)
);

-- Internal notes: the citizen never sees them.
CREATE TABLE case_note (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    case_id    uuid NOT NULL REFERENCES cases (id),
    staff_id   uuid NOT NULL REFERENCES staff (id),
    staff_name text NOT NULL,
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_note_case_idx ON case_note (case_id, created_at);

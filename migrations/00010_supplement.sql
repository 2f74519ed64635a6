-- +goose Up
-- Every version of a case's answers: revision 1 as submitted, one more for each supplement.
CREATE TABLE case_revision (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    case_id    uuid NOT NULL REFERENCES cases (id),
    number     integer NOT NULL CHECK (number > 0),
    answers    jsonb NOT NULL,
    source_draft_id uuid UNIQUE, -- the supplement draft it came from; none for revision 1
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, number)
);
INSERT INTO case_revision (tenant_id, case_id, number, answers, created_at)
SELECT tenant_id, id, 1, answers, submitted_at FROM cases;

-- A caseworker's request for more (komplettering), answered by the citizen's supplement.
CREATE TABLE supplement_request (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    case_id      uuid NOT NULL REFERENCES cases (id),
    request      text NOT NULL CHECK (length(request) BETWEEN 1 AND 5000),
    requested_by text NOT NULL DEFAULT '',
    requested_at timestamptz NOT NULL DEFAULT now(),
    answered_at  timestamptz,
    revision     integer
);
CREATE UNIQUE INDEX supplement_request_open_idx ON supplement_request (case_id) WHERE answered_at IS NULL;

-- A draft that supplements a case: the citizen edits a copy of the case's answers.
ALTER TABLE draft ADD COLUMN case_id uuid REFERENCES cases (id);
CREATE UNIQUE INDEX draft_case_idx ON draft (case_id) WHERE case_id IS NOT NULL;

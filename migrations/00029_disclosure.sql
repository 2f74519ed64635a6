-- +goose Up
-- Requests for public documents (allmänna handlingar) and their secrecy review (package
-- disclosure). Anyone may ask, without a name; the municipality's registrars find the cases asked
-- for, decide per answer, file and message what is released, masked or withheld and on which
-- ground, and release a redacted PDF made from the data. Drafts are never public documents: no
-- table here refers to a draft.

-- A new staff role: the registrar (registrator), who handles the requests.
ALTER TABLE staff_role DROP CONSTRAINT staff_role_role_check;
ALTER TABLE staff_role ADD CONSTRAINT staff_role_role_check
    CHECK (role IN ('caseworker', 'eservice_admin', 'municipality_admin', 'registrar'));

-- A municipality's settings of the review: whether a second registrar must approve each
-- decision, and the grounds of secrecy registrars choose from ([{"code": "OSL 26:1", "label":
-- "Socialtjänst"}, ...]). Without a row the defaults of package disclosure apply.
CREATE TABLE disclosure_setting (
    tenant_id        uuid PRIMARY KEY REFERENCES tenant (id),
    second_registrar boolean NOT NULL DEFAULT false,
    grounds          jsonb NOT NULL DEFAULT '[]',
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- A request: a case of its own for the registrars. It holds what was asked for and how the
-- requester wants the answer, nothing else: no name. account_id is set only when a logged-in
-- requester chose delivery on Mina sidor. link_hash is the hash of the secret link's key, which
-- only the requester has.
CREATE TABLE disclosure_request (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenant (id),
    reference      text NOT NULL,
    account_id     uuid REFERENCES account (id),
    link_hash      bytea NOT NULL UNIQUE,
    lang           text NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en')),
    asked_references text NOT NULL DEFAULT '',
    eservice_id    uuid REFERENCES eservice (id),
    period_from    date,
    period_to      date,
    subject        text NOT NULL DEFAULT '',
    delivery       text NOT NULL CHECK (delivery IN ('mypages', 'link', 'email', 'post')),
    email          text,
    postal_address text,
    state          text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'proposed', 'decided')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,
    UNIQUE (tenant_id, reference),
    CHECK ((delivery = 'mypages') = (account_id IS NOT NULL)),
    CHECK (delivery <> 'email' OR email IS NOT NULL),
    CHECK (delivery <> 'post' OR postal_address IS NOT NULL),
    CHECK (asked_references <> '' OR eservice_id IS NOT NULL OR subject <> ''),
    CHECK ((state = 'decided') = (decided_at IS NOT NULL))
);
-- The registrars' queue: open requests, oldest first.
CREATE INDEX disclosure_request_open_idx ON disclosure_request (tenant_id, created_at, id) WHERE state <> 'decided';
-- Handled requests, newest first.
CREATE INDEX disclosure_request_decided_idx ON disclosure_request (tenant_id, decided_at DESC, id) WHERE state = 'decided';
CREATE INDEX disclosure_request_account_idx ON disclosure_request (account_id, created_at DESC) WHERE account_id IS NOT NULL;

-- The cases a registrar linked to a request: the documents asked for.
CREATE TABLE disclosure_document (
    request_id uuid NOT NULL REFERENCES disclosure_request (id),
    case_id    uuid NOT NULL REFERENCES cases (id),
    linked_by  uuid NOT NULL REFERENCES staff (id),
    linked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, case_id)
);

-- The registrar's decision on one part of a linked case: an answer (key: the field key), a file
-- (key: the upload's id) or a message (key: the message's id). A part without a row has its
-- default: released, or masked on the protected-identity ground when the applicant has a
-- protected identity and the part can identify or locate them.
CREATE TABLE disclosure_part (
    request_id uuid NOT NULL,
    case_id    uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('answer', 'file', 'message')),
    key        text NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('release', 'mask', 'withhold')),
    ground     text,
    decided_by uuid NOT NULL REFERENCES staff (id),
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, case_id, kind, key),
    FOREIGN KEY (request_id, case_id) REFERENCES disclosure_document (request_id, case_id) ON DELETE CASCADE,
    CHECK ((decision = 'release') = (ground IS NULL))
);

-- The answer to a request: the redacted PDF (with the written decision when anything was masked
-- or withheld), exactly as released. A proposal waits for a second registrar when the
-- municipality wants one; approved_by is then that registrar.
CREATE TABLE disclosure_answer (
    request_id  uuid PRIMARY KEY REFERENCES disclosure_request (id),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    outcome     text NOT NULL CHECK (outcome IN ('released', 'partly', 'refused')),
    reasoning   text NOT NULL DEFAULT '',
    pdf         bytea NOT NULL,
    decided_by  uuid NOT NULL REFERENCES staff (id),
    proposed_at timestamptz NOT NULL DEFAULT now(),
    approved_by uuid REFERENCES staff (id),
    released_at timestamptz,
    CHECK (approved_by IS NULL OR approved_by <> decided_by)
);

-- Every step of a request's handling, append-only like the audit log: received, linked,
-- unlinked, each part decided (the masking and its ground), proposed, returned, approved,
-- released. staff_name is copied as at the time. detail never holds the content of a case.
CREATE TABLE disclosure_event (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    request_id uuid NOT NULL REFERENCES disclosure_request (id),
    staff_id   uuid REFERENCES staff (id),
    staff_name text NOT NULL DEFAULT '',
    kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,40}$'),
    detail     jsonb NOT NULL DEFAULT '{}',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disclosure_event_tenant_idx ON disclosure_event (tenant_id, at DESC, id DESC);
CREATE INDEX disclosure_event_request_idx ON disclosure_event (request_id, at);
-- +goose StatementBegin
CREATE FUNCTION disclosure_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'disclosure_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER disclosure_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON disclosure_event
    FOR EACH STATEMENT EXECUTE FUNCTION disclosure_event_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON disclosure_event FROM PUBLIC, CURRENT_USER;

-- A notice may be about a request: the requester on Mina sidor, or the e-mail address the
-- requester gave for the answer.
ALTER TABLE notice ADD COLUMN request_id uuid REFERENCES disclosure_request (id);

-- An e-service listed in the catalogue may be a page of the portal itself (the request for
-- public documents at /allmanna-handlingar), besides one in another system.
ALTER TABLE eservice DROP CONSTRAINT eservice_external_url_check;
ALTER TABLE eservice ADD CONSTRAINT eservice_external_url_check CHECK (external_url ~ '^(https://|/[a-z0-9-])');

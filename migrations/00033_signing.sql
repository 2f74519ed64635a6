-- +goose Up
-- Signing with e-ID (package signing): an e-service may require the applicant's signature and
-- co-signers' (the child's other guardians, the person named in a field, another signatory of the
-- organisation). A draft that needs signatures is not submitted until every signature is there;
-- each signature keeps its evidence: the signed SAML response as received.

-- What signatures an e-service requires. No row: none.
CREATE TABLE eservice_signing (
    eservice_id   uuid PRIMARY KEY REFERENCES eservice (id) ON DELETE CASCADE,
    tenant_id     uuid NOT NULL REFERENCES tenant (id),
    applicant     boolean NOT NULL DEFAULT true,
    cosigners     text NOT NULL DEFAULT 'none' CHECK (cosigners IN ('none', 'guardians', 'person', 'signatory')),
    -- the personal_number field naming the child (guardians) or the co-signer (person)
    field         text NOT NULL DEFAULT '',
    remind_days   integer NOT NULL DEFAULT 3 CHECK (remind_days BETWEEN 0 AND 60),
    deadline_days integer NOT NULL DEFAULT 14 CHECK (deadline_days BETWEEN 1 AND 90),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (cosigners NOT IN ('guardians', 'person') OR field <> '')
);

-- A draft that needs signatures, and once submitted the case it became. A draft deleted before
-- it was submitted leaves a signing with neither: the housekeeping removes it.
CREATE TABLE signing (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    eservice_id  uuid NOT NULL REFERENCES eservice (id),
    draft_id     uuid UNIQUE REFERENCES draft (id) ON DELETE SET NULL,
    case_id      uuid UNIQUE REFERENCES cases (id),
    account_id   uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE, -- the applicant
    state        text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'sent', 'returned', 'submitted')),
    content_hash bytea,       -- of the content as sent for signing
    sent_at      timestamptz,
    deadline_at  timestamptz,
    returned_at  timestamptz,
    returned_why text CHECK (returned_why IN ('deadline', 'declined')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (state <> 'sent' OR (sent_at IS NOT NULL AND deadline_at IS NOT NULL AND content_hash IS NOT NULL)),
    CHECK (state <> 'returned' OR returned_why IS NOT NULL),
    CHECK (state <> 'submitted' OR case_id IS NOT NULL)
);
CREATE INDEX signing_sent_idx ON signing (deadline_at) WHERE state = 'sent';
CREATE INDEX signing_account_idx ON signing (account_id) WHERE state <> 'submitted';
CREATE INDEX signing_orphan_idx ON signing (created_at) WHERE draft_id IS NULL AND case_id IS NULL;

-- Who must sign a draft: the applicant and the co-signers, each by personal identity number.
CREATE TABLE signing_party (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    signing_id      uuid NOT NULL REFERENCES signing (id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenant (id),
    role            text NOT NULL CHECK (role IN ('applicant', 'guardian', 'person', 'signatory')),
    position        integer NOT NULL,
    personal_number text NOT NULL CHECK (personal_number ~ '^[0-9]{12}$'),
    name            text NOT NULL DEFAULT '',
    email           text,          -- an address the applicant gave for the co-signer's notice
    notified_at     timestamptz,
    reminded_at     timestamptz,
    declined_at     timestamptz,
    decline_reason  text,
    UNIQUE (signing_id, personal_number),
    CHECK ((declined_at IS NULL) = (decline_reason IS NULL))
);
CREATE INDEX signing_party_person_idx ON signing_party (personal_number);

-- A signature: who, when, the hash of the content signed, the text the IdP showed, and the
-- IdP's signed response as received with the certificate it was checked against.
CREATE TABLE signature (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    party_id        uuid NOT NULL REFERENCES signing_party (id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenant (id),
    signed_at       timestamptz NOT NULL,
    personal_number text NOT NULL CHECK (personal_number ~ '^[0-9]{12}$'),
    name            text NOT NULL,
    content_hash    bytea NOT NULL,
    sign_message    text NOT NULL,
    response        bytea NOT NULL,
    issuer          text NOT NULL,
    certificate     bytea NOT NULL,
    loa             text NOT NULL,
    assertion_id    text NOT NULL UNIQUE
);
CREATE INDEX signature_party_idx ON signature (party_id, signed_at DESC);

-- A signature under way: started by the signer on any host, begun (the SAML request, bound to a
-- cookie) on the installation's host, finished when the IdP answers. Ten minutes at most.
CREATE TABLE sign_pending (
    handle       text PRIMARY KEY,
    party_id     uuid NOT NULL REFERENCES signing_party (id) ON DELETE CASCADE,
    account_id   uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    content_hash bytea NOT NULL,
    sign_message text NOT NULL,
    origin       text NOT NULL,   -- scheme and host the signer came from and returns to
    return_path  text NOT NULL CHECK (return_path LIKE '/%'),
    request_id   text,
    binding      bytea,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_pending_created_idx ON sign_pending (created_at);

-- Notices about a draft being signed: to a co-signer, who may have no account (then to an
-- address the applicant gave), or to the applicant.
ALTER TABLE notice
    ADD COLUMN signing_id uuid REFERENCES signing (id) ON DELETE SET NULL,
    ADD COLUMN email text;

-- +goose Up
-- Acting for an organisation (package organisation): a citizen may act for a company whose
-- authorised signatory they are (the companies register says so) or an association whose
-- representative they declare themselves. A draft started while acting for one, and the case it
-- becomes, carry the organisation; the account that submitted it is who acted.
ALTER TABLE draft
    ADD COLUMN org_kind text CHECK (org_kind IN ('company', 'association')),
    ADD COLUMN org_number text CHECK (org_number ~ '^[0-9]{10}$'),
    ADD COLUMN org_name text,
    ADD CONSTRAINT draft_org_whole CHECK ((org_kind IS NULL) = (org_number IS NULL) AND (org_kind IS NULL) = (org_name IS NULL));
ALTER TABLE cases
    ADD COLUMN org_kind text CHECK (org_kind IN ('company', 'association')),
    ADD COLUMN org_number text CHECK (org_number ~ '^[0-9]{10}$'),
    ADD COLUMN org_name text,
    ADD CONSTRAINT cases_org_whole CHECK ((org_kind IS NULL) = (org_number IS NULL) AND (org_kind IS NULL) = (org_name IS NULL));
CREATE INDEX draft_org_idx ON draft (org_number, updated_at DESC) WHERE org_number IS NOT NULL;
CREATE INDEX cases_org_idx ON cases (org_number, submitted_at DESC, id DESC) WHERE org_number IS NOT NULL;

-- Associations a citizen has declared they represent (ordförande, or another representative).
-- Nothing checks a declaration by itself: an e-service may ask a caseworker to.
CREATE TABLE association_representative (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    org_number text NOT NULL CHECK (org_number ~ '^[0-9]{10}$'),
    name       text NOT NULL CHECK (name <> ''),
    role       text NOT NULL CHECK (role <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, org_number)
);
CREATE INDEX association_representative_org_idx ON association_representative (org_number);

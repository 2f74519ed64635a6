-- +goose Up
-- An e-service of a municipality. Its texts are JSON objects by language ({"sv": ..., "en": ...}).
CREATE TABLE eservice (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenant (id),
    slug               text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,80}$'),
    title              jsonb NOT NULL CHECK (title ? 'sv'),
    description        jsonb NOT NULL DEFAULT '{}',
    category           text NOT NULL,
    audience           text[] NOT NULL CHECK (audience <@ ARRAY['private', 'company', 'association'] AND cardinality(audience) > 0),
    login_rule         text NOT NULL CHECK (login_rule IN ('required', 'optional', 'none')),
    anonymous_allowed  boolean NOT NULL DEFAULT false,
    once_only          text NOT NULL DEFAULT 'none' CHECK (once_only IN ('none', 'personal_number', 'email')),
    once_only_field    text,  -- the field whose answer identifies the person (e.g. the child's number)
    external_url       text CHECK (external_url ~ '^https://'),
    privacy            jsonb NOT NULL DEFAULT '{}', -- data, purpose, legal_basis, controller, retention
    state              text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'unpublished', 'archived')),
    current_version_id uuid,
    search             tsvector GENERATED ALWAYS AS (
        to_tsvector('swedish', coalesce(title ->> 'sv', '') || ' ' || coalesce(description ->> 'sv', ''))) STORED,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug),
    CHECK (anonymous_allowed = false OR login_rule <> 'required')
);
CREATE INDEX eservice_catalogue_idx ON eservice (tenant_id, state, category);
CREATE INDEX eservice_search_idx ON eservice USING gin (search);

-- A version of an e-service's form. A published version never changes.
CREATE TABLE eservice_version (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    eservice_id  uuid NOT NULL REFERENCES eservice (id),
    number       integer NOT NULL CHECK (number > 0),
    definition   jsonb NOT NULL,
    published_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT '',
    UNIQUE (eservice_id, number)
);
ALTER TABLE eservice ADD FOREIGN KEY (current_version_id) REFERENCES eservice_version (id);

-- +goose StatementBegin
CREATE FUNCTION eservice_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'eservice_version %: a published version never changes', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER eservice_version_immutable BEFORE UPDATE OR DELETE ON eservice_version
    FOR EACH ROW EXECUTE FUNCTION eservice_version_immutable();

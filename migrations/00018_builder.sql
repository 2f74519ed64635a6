-- +goose Up
-- The e-service builder: draft versions the admins edit, the e-service's own settings, and every
-- administrative change in the append-only admin_event log.

-- At most one unpublished (draft) version per e-service; it stays editable until it is published.
ALTER TABLE eservice_version ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE eservice_version ADD COLUMN updated_by text NOT NULL DEFAULT '';
ALTER TABLE eservice_version ADD COLUMN published_by text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX eservice_version_draft_idx ON eservice_version (eservice_id) WHERE published_at IS NULL;
-- A draft version may be discarded (deleted); a published one still never changes.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION eservice_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'eservice_version %: a published version never changes', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd

-- Settings of an e-service: how long its closed cases are kept, when it is shown in the catalogue,
-- and texts the admin adds to each kind of notice ({"case_submitted": {"sv": ...}}).
ALTER TABLE eservice ADD COLUMN retention_months integer CHECK (retention_months BETWEEN 1 AND 1200);
ALTER TABLE eservice ADD COLUMN available_from timestamptz;
ALTER TABLE eservice ADD COLUMN available_until timestamptz;
ALTER TABLE eservice ADD COLUMN notice_texts jsonb NOT NULL DEFAULT '{}';
ALTER TABLE eservice ADD CONSTRAINT eservice_availability CHECK (available_until IS NULL OR available_from IS NULL OR available_until > available_from);

-- Every administrative change, not only changes of staff; e-service changes name their e-service.
ALTER TABLE admin_event DROP CONSTRAINT admin_event_action_check;
ALTER TABLE admin_event ADD CONSTRAINT admin_event_action_check CHECK (action ~ '^[a-z][a-z_]{1,60}$');
ALTER TABLE admin_event ADD COLUMN eservice_id uuid REFERENCES eservice (id);
CREATE INDEX admin_event_eservice_idx ON admin_event (eservice_id, at DESC) WHERE eservice_id IS NOT NULL;

-- Municipality settings, shown in the layout and on the pages they concern.
ALTER TABLE tenant ADD COLUMN contact jsonb NOT NULL DEFAULT '{}';       -- service centre: phone, email, address, hours
ALTER TABLE tenant ADD COLUMN dpo jsonb NOT NULL DEFAULT '{}';           -- data protection officer: name, email, phone
ALTER TABLE tenant ADD COLUMN accessibility jsonb NOT NULL DEFAULT '{}'; -- statement text by language
ALTER TABLE tenant ADD COLUMN logo bytea CHECK (octet_length(logo) <= 524288);
ALTER TABLE tenant ADD COLUMN logo_type text CHECK (logo_type IN ('image/png', 'image/svg+xml', 'image/jpeg'));
ALTER TABLE tenant ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Operating messages: a banner for the whole site or one e-service, shown between two times. One
-- that closes its e-service stops new drafts and submissions while it is shown.
CREATE TABLE operating_message (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    eservice_id uuid REFERENCES eservice (id),
    text        jsonb NOT NULL CHECK (text ? 'sv'),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    closes      boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (NOT closes OR eservice_id IS NOT NULL)
);
CREATE INDEX operating_message_tenant_idx ON operating_message (tenant_id, ends_at);

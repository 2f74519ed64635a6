-- +goose Up
-- The statuses of an e-service, in order. Each has a type (which the portal acts on) and a
-- handling time in days: a case in a status longer than that is overdue.
CREATE TABLE eservice_status (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenant (id),
    eservice_id   uuid NOT NULL REFERENCES eservice (id),
    key           text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,40}$'),
    label         jsonb NOT NULL CHECK (label ? 'sv'),
    type          text NOT NULL CHECK (type IN ('submitted', 'in_progress', 'waiting_supplement', 'closed')),
    handling_days integer CHECK (handling_days > 0),
    position      integer NOT NULL,
    UNIQUE (eservice_id, key)
);

-- Every e-service starts with sensible statuses; its admin may change them.
-- +goose StatementBegin
CREATE FUNCTION eservice_default_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position) VALUES
        (NEW.tenant_id, NEW.id, 'inkommen', '{"sv": "Inkommen", "en": "Received"}', 'submitted', 5, 1),
        (NEW.tenant_id, NEW.id, 'under_handlaggning', '{"sv": "Under handläggning", "en": "Being handled"}', 'in_progress', 20, 2),
        (NEW.tenant_id, NEW.id, 'vantar_komplettering', '{"sv": "Väntar på komplettering", "en": "Waiting for a supplement"}', 'waiting_supplement', NULL, 3),
        (NEW.tenant_id, NEW.id, 'avslutat', '{"sv": "Avslutat", "en": "Closed"}', 'closed', NULL, 4);
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER eservice_default_statuses AFTER INSERT ON eservice
    FOR EACH ROW EXECUTE FUNCTION eservice_default_statuses();
INSERT INTO eservice_status (tenant_id, eservice_id, key, label, type, handling_days, position)
SELECT e.tenant_id, e.id, d.key, d.label, d.type, d.days, d.pos FROM eservice e, (VALUES
    ('inkommen', '{"sv": "Inkommen", "en": "Received"}'::jsonb, 'submitted', 5, 1),
    ('under_handlaggning', '{"sv": "Under handläggning", "en": "Being handled"}'::jsonb, 'in_progress', 20, 2),
    ('vantar_komplettering', '{"sv": "Väntar på komplettering", "en": "Waiting for a supplement"}'::jsonb, 'waiting_supplement', NULL, 3),
    ('avslutat', '{"sv": "Avslutat", "en": "Closed"}'::jsonb, 'closed', NULL, 4)) AS d (key, label, type, days, pos);

-- A case's status is one of its e-service's; cases.status keeps the status's type. When code
-- changes only the type, the first status of that type is taken; every change of status restarts
-- the handling time.
ALTER TABLE cases ADD COLUMN status_key text;
ALTER TABLE cases ADD COLUMN status_changed_at timestamptz;
-- +goose StatementBegin
CREATE FUNCTION cases_status_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.status_key IS DISTINCT FROM OLD.status_key THEN
        IF NEW.status_key IS NULL OR (TG_OP = 'UPDATE' AND NEW.status_key IS NOT DISTINCT FROM OLD.status_key) THEN
            NEW.status_key := (SELECT key FROM eservice_status
                WHERE eservice_id = NEW.eservice_id AND type = NEW.status ORDER BY position LIMIT 1);
        END IF;
        NEW.status_changed_at := now();
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER cases_status_key BEFORE INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_status_key();
UPDATE cases c SET status_key = (SELECT key FROM eservice_status s WHERE s.eservice_id = c.eservice_id AND s.type = c.status ORDER BY position LIMIT 1);
UPDATE cases SET status_changed_at = updated_at WHERE status_changed_at IS NULL;
CREATE INDEX cases_overdue_idx ON cases (tenant_id, status_key, status_changed_at) WHERE closed_at IS NULL;

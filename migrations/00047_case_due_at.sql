-- +goose Up
-- An open case's due date: when it will have been in its status for the status's handling time
-- (NULL for a closed case, and in a status without a handling time). The queue's overdue tab
-- reads it, where it had looked up every open case's status on its walk from the newest. Kept by
-- triggers: a case's whenever its status, the time it took it, its closing or its e-service
-- change; the open cases of a status whenever the status's handling time changes.
ALTER TABLE cases ADD COLUMN due_at timestamptz;

-- +goose StatementBegin
CREATE FUNCTION cases_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.due_at := CASE WHEN NEW.closed_at IS NULL THEN NEW.status_changed_at + (SELECT s.handling_days FROM eservice_status s
        WHERE s.eservice_id = NEW.eservice_id AND s.key = NEW.status_key) * interval '1 day' END;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER cases_due_at BEFORE INSERT OR UPDATE OF status_key, status_changed_at, closed_at, eservice_id ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_due_at();

-- +goose StatementBegin
CREATE FUNCTION eservice_status_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases c SET due_at = c.status_changed_at + NEW.handling_days * interval '1 day'
    WHERE c.eservice_id = NEW.eservice_id AND c.status_key = NEW.key AND c.closed_at IS NULL;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER eservice_status_due_at AFTER UPDATE OF handling_days ON eservice_status
    FOR EACH ROW WHEN (NEW.handling_days IS DISTINCT FROM OLD.handling_days) EXECUTE FUNCTION eservice_status_due_at();

UPDATE cases c SET due_at = c.status_changed_at + s.handling_days * interval '1 day'
FROM eservice_status s
WHERE s.eservice_id = c.eservice_id AND s.key = c.status_key AND c.closed_at IS NULL AND s.handling_days IS NOT NULL;

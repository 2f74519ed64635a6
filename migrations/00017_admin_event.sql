-- +goose Up
-- What administrators changed (staff, roles, assignments), append-only like the read log.
CREATE TABLE admin_event (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    staff_id   uuid NOT NULL REFERENCES staff (id),
    staff_name text NOT NULL,
    action     text NOT NULL CHECK (action IN ('staff_added', 'staff_removed', 'staff_assigned')),
    target     text NOT NULL DEFAULT '', -- the employee id acted on; never personal data beyond that
    detail     jsonb NOT NULL DEFAULT '{}',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_event_tenant_idx ON admin_event (tenant_id, at DESC);
-- +goose StatementBegin
CREATE FUNCTION admin_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER admin_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON admin_event
    FOR EACH STATEMENT EXECUTE FUNCTION admin_event_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON admin_event FROM PUBLIC, CURRENT_USER;

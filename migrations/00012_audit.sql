-- +goose Up
-- Audit records: every read by staff of a case, its files, its messages or its answers, and of
-- lists with personal data (the queue, a search). Status changes, assignments, notes and messages
-- are not here: they are events in the case's history (case_event).
--
-- The record copies the staff member's name and unit as they were at the time of the read, so that
-- a later rename, a move to another unit or the end of the staff member's access never rewrites
-- history. (staff_id still references staff: a staff member who has read anything is deactivated,
-- staff.active = false, never deleted.) The citizen's case page shows name, unit and time of those
-- who read the case; that is public information about staff in Sweden.
--
-- detail says which part was read (e.g. a file id); it never holds personal data.
CREATE TABLE audit_record (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL REFERENCES tenant (id),
    staff_id   uuid NOT NULL REFERENCES staff (id),
    staff_name text NOT NULL,
    staff_unit text NOT NULL DEFAULT '',
    role       text NOT NULL,
    case_id    uuid REFERENCES cases (id),
    what       text NOT NULL CHECK (what IN ('case', 'file', 'messages', 'answers', 'receipt', 'queue', 'search')),
    detail     text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now(),
    -- A read of a case or a part of it names the case; only lists (queue, search) have none.
    CHECK (case_id IS NOT NULL OR what IN ('queue', 'search'))
);
-- Who read a case (the citizen's case page, the staff view of a case).
CREATE INDEX audit_record_case_idx ON audit_record (case_id, at DESC) WHERE case_id IS NOT NULL;
-- Everything read in a municipality, newest first (the municipality admin's view).
CREATE INDEX audit_record_tenant_idx ON audit_record (tenant_id, at DESC);

-- Audit records are append-only. That is enforced twice:
--
-- 1. A trigger refuses every UPDATE, DELETE and TRUNCATE, whoever runs it, a superuser included.
--    It is statement-level, so it fires before any row is touched, even when the statement would
--    touch none, and it covers TRUNCATE (which has no row-level triggers; a TRUNCATE ... CASCADE
--    from tenant, staff or cases is refused too).
-- 2. The privileges to update, delete and truncate are revoked from PUBLIC and from the role that
--    runs the migrations. In this project the application connects as that role, the owner of the
--    table: an owner holds privileges on its own table only through the table's ACL, and the
--    revoke takes them out of it, so the application's role cannot change or remove a record even
--    if the trigger is dropped or disabled. INSERT and SELECT stay.
--
-- Limits, on purpose written down: a superuser bypasses privileges (the local development and test
-- clusters connect as the superuser postgres, so there only the trigger holds), and an owner may
-- grant itself the privileges again or disable its triggers; both are deliberate acts that leave
-- the DDL in the server log. The strongest setup is an application role that does not own the
-- tables. Removing records at the end of their retention period is therefore a deliberate
-- maintenance task by a database administrator, never something the application does.
-- +goose StatementBegin
CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_record is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_record FROM PUBLIC, CURRENT_USER;

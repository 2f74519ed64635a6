-- +goose Up
-- Retention enforced by the portal (package retention): closed cases leave the citizen's account
-- after their e-service's retention time, and the portal entirely when the municipality's records
-- no longer need them here; untouched drafts go after a notice; audit records and client
-- addresses after their own retention. Every deletion is recorded, without the data it removed.

-- How a closed case leaves the portal once its retention time has passed (it always leaves the
-- citizen's account then): kept in the portal for the municipality ('keep'), removed once exported
-- to the records system ('after_export'), or deleted ('delete', for cases of no archival value).
ALTER TABLE eservice ADD COLUMN retention_disposal text NOT NULL DEFAULT 'keep'
    CHECK (retention_disposal IN ('keep', 'after_export', 'delete'));

-- When a closed case left the citizen's account (Mina sidor no longer shows it), and when it was
-- exported to the municipality's records system. exported_at is written by the archive export
-- (the integration issue); retention reads it through retention.exportedSQL only.
ALTER TABLE cases ADD COLUMN citizen_removed_at timestamptz;
ALTER TABLE cases ADD COLUMN exported_at timestamptz;
CREATE INDEX cases_retention_idx ON cases (eservice_id, closed_at) WHERE closed_at IS NOT NULL;

-- The municipality's own retention settings: drafts untouched this many days are deleted (their
-- owner is told a week before), and audit records are kept this many months.
ALTER TABLE tenant ADD COLUMN draft_retention_days integer NOT NULL DEFAULT 90
    CHECK (draft_retention_days BETWEEN 8 AND 3650);
ALTER TABLE tenant ADD COLUMN audit_retention_months integer NOT NULL DEFAULT 24
    CHECK (audit_retention_months BETWEEN 12 AND 240);

-- When the owner of a draft was told it will be deleted; touching the draft after that (a later
-- updated_at) starts its time again.
ALTER TABLE draft ADD COLUMN expiry_noticed_at timestamptz;
CREATE INDEX draft_updated_idx ON draft (updated_at);

-- A notice may name an e-service without a case (a draft about to be deleted), or nothing but
-- the account (a register extract is ready).
ALTER TABLE notice ADD COLUMN eservice_id uuid REFERENCES eservice (id);

-- A case's messages, files, revisions, events, requests, flags, notes and notices go with it.
ALTER TABLE case_event DROP CONSTRAINT case_event_case_id_fkey,
    ADD CONSTRAINT case_event_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE upload DROP CONSTRAINT upload_case_id_fkey,
    ADD CONSTRAINT upload_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE upload DROP CONSTRAINT upload_message_id_fkey,
    ADD CONSTRAINT upload_message_id_fkey FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE;
ALTER TABLE message DROP CONSTRAINT message_case_id_fkey,
    ADD CONSTRAINT message_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE case_revision DROP CONSTRAINT case_revision_case_id_fkey,
    ADD CONSTRAINT case_revision_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE supplement_request DROP CONSTRAINT supplement_request_case_id_fkey,
    ADD CONSTRAINT supplement_request_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE draft DROP CONSTRAINT draft_case_id_fkey,
    ADD CONSTRAINT draft_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE case_flag DROP CONSTRAINT case_flag_case_id_fkey,
    ADD CONSTRAINT case_flag_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE case_note DROP CONSTRAINT case_note_case_id_fkey,
    ADD CONSTRAINT case_note_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE notice DROP CONSTRAINT notice_case_id_fkey,
    ADD CONSTRAINT notice_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
ALTER TABLE notice DROP CONSTRAINT notice_booking_id_fkey,
    ADD CONSTRAINT notice_booking_id_fkey FOREIGN KEY (booking_id) REFERENCES booking (id) ON DELETE CASCADE;
-- A case linked to a decided request for public documents may be deleted: the request keeps its
-- answer (the released PDF) and its history; retention keeps a case while a request that names
-- it is undecided.
ALTER TABLE disclosure_document DROP CONSTRAINT disclosure_document_case_id_fkey,
    ADD CONSTRAINT disclosure_document_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;
-- A booking made with a case is the citizen's booking still when the case is deleted: it loses
-- the link only.
ALTER TABLE booking DROP CONSTRAINT booking_case_id_fkey,
    ADD CONSTRAINT booking_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE SET NULL;

-- Audit records outlive the cases they name (a case may be deleted long before the record of who
-- read it is): the case id stays as an identifier, without a foreign key.
ALTER TABLE audit_record DROP CONSTRAINT audit_record_case_id_fkey;

-- Audit records and client addresses. A record keeps the address of the staff member's client
-- (from X-Forwarded-For only behind a trusted proxy) for a configured time; the retention job then
-- sets it to NULL, the one change a record may undergo. A record itself is deleted only after the
-- municipality's audit retention, and only by a statement that asks for expired records: the
-- database refuses to delete a younger one, whoever asks.
ALTER TABLE audit_record ADD COLUMN client_addr inet;
CREATE INDEX audit_record_addr_idx ON audit_record (at) WHERE client_addr IS NOT NULL;
CREATE INDEX audit_record_at_idx ON audit_record (tenant_id, at);

DROP TRIGGER audit_record_append_only ON audit_record;
CREATE TRIGGER audit_record_append_only BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only();
-- +goose StatementBegin
CREATE FUNCTION audit_record_forget_addr_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.client_addr IS NOT NULL OR (to_jsonb(NEW) - 'client_addr') IS DISTINCT FROM (to_jsonb(OLD) - 'client_addr') THEN
        RAISE EXCEPTION 'audit_record %: only its client address may be removed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION audit_record_expired_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at >= now() - make_interval(months => (SELECT audit_retention_months FROM tenant WHERE id = OLD.tenant_id)) THEN
        RAISE EXCEPTION 'audit_record %: kept until the municipality''s audit retention has passed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_record_forget_addr_only BEFORE UPDATE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_forget_addr_only();
CREATE TRIGGER audit_record_expired_only BEFORE DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_expired_only();
GRANT DELETE, UPDATE (client_addr) ON audit_record TO CURRENT_USER;

-- Security events: refused logins, refused forged requests, one-time code lock-outs and the
-- like, with the client's address for a configured time. They are written to a log an operator
-- can forward too (package security).
CREATE TABLE security_event (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,60}$'),
    reason      text NOT NULL DEFAULT '',
    tenant_id   uuid REFERENCES tenant (id) ON DELETE CASCADE,
    account_id  uuid REFERENCES account (id) ON DELETE SET NULL,
    staff_id    uuid REFERENCES staff (id) ON DELETE SET NULL,
    client_addr inet,
    method      text NOT NULL DEFAULT '',
    path        text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT ''
);
CREATE INDEX security_event_at_idx ON security_event (at);
CREATE INDEX security_event_addr_idx ON security_event (at) WHERE client_addr IS NOT NULL;
CREATE INDEX security_event_tenant_idx ON security_event (tenant_id, at DESC, id DESC);
CREATE INDEX security_event_account_idx ON security_event (account_id, at DESC) WHERE account_id IS NOT NULL;

-- What retention and the citizens' own erasure deleted: the kind, the e-service, the reference,
-- when and under which rule; never the personal data deleted. Append-only.
CREATE TABLE deletion_record (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid REFERENCES tenant (id),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,60}$'),
    eservice_id uuid REFERENCES eservice (id),
    reference   text NOT NULL DEFAULT '',
    rule        text NOT NULL CHECK (rule ~ '^[a-z][a-z_]{1,60}$'),
    detail      jsonb NOT NULL DEFAULT '{}',
    count       integer NOT NULL DEFAULT 1 CHECK (count > 0),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deletion_record_tenant_idx ON deletion_record (tenant_id, at DESC, id DESC);
-- +goose StatementBegin
CREATE FUNCTION deletion_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deletion_record is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER deletion_record_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON deletion_record
    FOR EACH STATEMENT EXECUTE FUNCTION deletion_record_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON deletion_record FROM PUBLIC, CURRENT_USER;

-- A case's signing goes with the case.
ALTER TABLE signing DROP CONSTRAINT signing_case_id_fkey,
    ADD CONSTRAINT signing_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;

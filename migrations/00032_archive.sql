-- +goose Up
-- Archive packages of closed cases for the municipality's records system (internal/archive): a
-- ZIP with a METS manifest, the case's metadata, events, messages and decision as XML, the
-- answers as XML and PDF, and the original files. The package is made by a job and kept here
-- until the case goes; delivered_at is when it was first fetched (by the API or a download),
-- which is what "removed once exported" may rely on.
CREATE TABLE archive_export (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenant (id),
    case_id      uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    done_at      timestamptz,
    error        text NOT NULL DEFAULT '',
    package      bytea,
    size         bigint,
    sha256       bytea,
    delivered_at timestamptz,
    delivered_to text NOT NULL DEFAULT '',
    CHECK (state <> 'done' OR (package IS NOT NULL AND done_at IS NOT NULL))
);
-- The municipality's exports, newest first, paged by key; a case's exports.
CREATE INDEX archive_export_tenant_idx ON archive_export (tenant_id, requested_at DESC, id DESC);
CREATE INDEX archive_export_case_idx ON archive_export (case_id, requested_at DESC);

-- Fetching a package is a read of the whole case: an audit record of its own kind.
ALTER TABLE audit_record DROP CONSTRAINT audit_record_what_check;
ALTER TABLE audit_record ADD CONSTRAINT audit_record_what_check
    CHECK (what IN ('case', 'file', 'messages', 'answers', 'receipt', 'queue', 'search', 'bookings', 'archive'));

-- +goose Up
-- Every upload is scanned for viruses before it is stored (package virusscan). scan is where a
-- stored file stands: 'clean' (scanned, nothing found), 'pending' (kept while the scanner could
-- not be reached, with CLAMD_UNAVAILABLE=rescan, until the rescan job scans it) or 'infected'
-- (found by that later scan: its content is wiped and it is never served again). Files stored
-- before scanning existed are pending, so that the rescan job scans them too.
ALTER TABLE upload ADD COLUMN scan text NOT NULL DEFAULT 'pending'
    CHECK (scan IN ('clean', 'pending', 'infected'));
ALTER TABLE upload ALTER COLUMN scan SET DEFAULT 'clean';
ALTER TABLE upload ADD CONSTRAINT upload_infected_wiped CHECK (scan <> 'infected' OR octet_length(data) = 0);
CREATE INDEX upload_scan_pending_idx ON upload (created_at) WHERE scan = 'pending';

-- What the virus scanner found: where (the kind of upload), what (the signature's name), and the
-- file's hash and size, never its name or content. upload_id is the stored file a later scan
-- found infected. Append-only, like the other logs.
CREATE TABLE virus_finding (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid REFERENCES tenant (id),
    source    text NOT NULL CHECK (source IN ('draft_file', 'message', 'logo', 'import', 'rescan')),
    signature text NOT NULL,
    sha256    bytea NOT NULL,
    size      bigint NOT NULL,
    upload_id uuid,
    found_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX virus_finding_tenant_idx ON virus_finding (tenant_id, found_at DESC);
-- +goose StatementBegin
CREATE FUNCTION virus_finding_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'virus_finding is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER virus_finding_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON virus_finding
    FOR EACH STATEMENT EXECUTE FUNCTION virus_finding_append_only();

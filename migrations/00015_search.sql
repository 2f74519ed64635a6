-- +goose Up
-- A caseworker's search, and the queue's tabs at the scale of a large municipality.

-- Name search by trigram: ILIKE '%word%' served by an index. pg_trgm ships with PostgreSQL's
-- contrib (Debian's postgresql-15 package includes it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX account_display_name_trgm_idx ON account USING gin (display_name gin_trgm_ops)
    WHERE NOT protected_identity;

-- Full-text search over every string in the answers (Swedish stemming). The two-argument
-- jsonb_to_tsvector with an explicit configuration is immutable, so it can back a generated column.
ALTER TABLE cases ADD COLUMN search tsvector
    GENERATED ALWAYS AS (jsonb_to_tsvector('swedish'::regconfig, answers, '["string"]')) STORED;
CREATE INDEX cases_search_idx ON cases USING gin (search);

-- The queue's tabs, newest first, over the open cases only (a small part of all cases).
CREATE INDEX cases_open_idx ON cases (tenant_id, submitted_at DESC, id DESC) WHERE closed_at IS NULL;
CREATE INDEX cases_unassigned_idx ON cases (tenant_id, submitted_at DESC, id DESC)
    WHERE closed_at IS NULL AND assigned_to IS NULL;
CREATE INDEX cases_mine_idx ON cases (assigned_to, submitted_at DESC, id DESC)
    WHERE closed_at IS NULL AND assigned_to IS NOT NULL;
-- A caseworker's flags, from the caseworker's side.
CREATE INDEX case_flag_staff_idx ON case_flag (staff_id, case_id);

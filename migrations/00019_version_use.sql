-- +goose Up
-- The e-service overview counts the drafts and cases on each version; without these indexes that
-- would read every draft and case of the installation.
CREATE INDEX draft_version_idx ON draft (version_id);
CREATE INDEX cases_version_idx ON cases (version_id);

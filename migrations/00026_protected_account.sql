-- +goose Up
-- The few accounts with a protected identity, by id: a search excludes their cases with a probe of
-- this small index instead of reading every account (see casework's queueSearch).
CREATE INDEX account_protected_idx ON account (id) WHERE protected_identity;

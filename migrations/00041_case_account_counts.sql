-- +goose Up
-- Mina ärenden and Mina sidor count the citizen's ongoing and closed cases on every view. With the
-- closing time and the removal from the account in the account's index, the count reads the index
-- alone (about 8 pages for 35 cases, against 109 pages of the table's rows before).
DROP INDEX cases_account_idx;
CREATE INDEX cases_account_idx ON cases (account_id, submitted_at DESC, id DESC) INCLUDE (closed_at, citizen_removed_at)
    WHERE account_id IS NOT NULL;


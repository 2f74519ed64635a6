-- +goose Up
-- notice_unsent_idx (created_at) WHERE sent_at IS NULL served no query. It only cost every
-- notice an index entry, and it misled the planner: marking a notice delivered (WHERE id = $1 AND
-- sent_at IS NULL) was planned on it, which walked every undelivered notice for each one, in a
-- backlog 3 000 pages a notice.
DROP INDEX IF EXISTS notice_unsent_idx;

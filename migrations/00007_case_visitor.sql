-- +goose Up
-- A visitor (not logged in) proves a case is theirs with the random key their session holds; the
-- case keeps only its hash. It names a browser session, never a person.
ALTER TABLE cases ADD COLUMN visitor_key bytea;

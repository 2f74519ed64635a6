-- +goose Up
-- A citizen's login handed over to a municipality's host carries when they logged in before (the
-- account's previous_login_at, which the login's upsert returns), so that the session on that
-- host is started without reading the account again. NULL for staff, and before a second login.
ALTER TABLE login_handover ADD COLUMN previous_login_at timestamptz;

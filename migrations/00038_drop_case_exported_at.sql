-- +goose Up
-- Retention reads whether a case was exported from the archive's own record (archive_export's
-- delivered_at, archive.DeliveredSQL); the copy on the case is no longer written.
ALTER TABLE cases DROP COLUMN exported_at;

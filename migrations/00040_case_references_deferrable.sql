-- +goose Up
-- A submit writes the case's history, files and notice before the case's own row, so that the row,
-- which takes the municipality's next reference number (a row lock that every other submit in the
-- municipality waits for until this one commits), comes as late as it can in its transaction. These
-- references to the case are then checked at the commit, where the submit asks for it (SET
-- CONSTRAINTS … DEFERRED); everywhere else they are checked at once, as before.
ALTER TABLE case_revision ALTER CONSTRAINT case_revision_case_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE case_event ALTER CONSTRAINT case_event_case_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE upload ALTER CONSTRAINT upload_case_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE notice ALTER CONSTRAINT notice_case_id_fkey DEFERRABLE INITIALLY IMMEDIATE;

-- +goose Up
-- A case's status is written by one function in Go (casework's transition), which sets its key
-- and when it changed: the trigger that guessed the key from the type goes.
DROP TRIGGER cases_status_key ON cases;
DROP FUNCTION cases_status_key();
ALTER TABLE cases ALTER COLUMN status_changed_at SET DEFAULT now();

-- A case closed while it waited for a supplement withdraws the request: it is no longer open.
ALTER TABLE supplement_request ADD COLUMN withdrawn_at timestamptz;
DROP INDEX supplement_request_open_idx;
CREATE UNIQUE INDEX supplement_request_open_idx ON supplement_request (case_id) WHERE answered_at IS NULL AND withdrawn_at IS NULL;
UPDATE supplement_request r SET withdrawn_at = c.closed_at
FROM cases c WHERE c.id = r.case_id AND c.closed_at IS NOT NULL AND r.answered_at IS NULL;

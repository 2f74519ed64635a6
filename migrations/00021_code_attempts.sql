-- +goose Up
-- Every one-time code sent and every wrong code typed (package notify), so that the limits on
-- codes count over a time window: per account and per address or number, whatever happens to the
-- code itself. A limit that looked only at the pending code in contact_code was reset each time
-- that code was spent or replaced.
--
-- Rows are only ever added. The housekeeping deletes those older than a day, far behind the
-- longest window any limit looks back over (an hour); nothing else deletes or changes them.
-- The address or number is kept only as a hash: the limits need to recognise it, not to read it.
CREATE TABLE contact_code_attempt (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    channel          text NOT NULL CHECK (channel IN ('email', 'sms')),
    destination_hash bytea NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('sent', 'wrong')),
    at               timestamptz NOT NULL
);
-- The limits count the newest attempts of one kind of an account, or of an address, in a window.
CREATE INDEX contact_code_attempt_account_idx ON contact_code_attempt (account_id, kind, at DESC);
CREATE INDEX contact_code_attempt_destination_idx ON contact_code_attempt (destination_hash, kind, at DESC);
-- The housekeeping's purge.
CREATE INDEX contact_code_attempt_at_idx ON contact_code_attempt (at);

-- +goose StatementBegin
CREATE FUNCTION contact_code_attempt_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'contact_code_attempt is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER contact_code_attempt_append_only BEFORE UPDATE ON contact_code_attempt
    FOR EACH STATEMENT EXECUTE FUNCTION contact_code_attempt_append_only();

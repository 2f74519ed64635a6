-- +goose Up
-- Notices by e-mail and SMS (package notify). River's own job tables are not here: notify.Migrate
-- applies them with River's migrator.

-- How a notice was dealt with. sent_at is set once it is done: sent through channel 'email' or
-- 'sms', or skipped (channel 'none') for skipped_reason. A notice never holds case content.
ALTER TABLE notice
    ADD COLUMN channel text CHECK (channel IN ('email', 'sms', 'none')),
    ADD COLUMN skipped_reason text CHECK (skipped_reason <> ''),
    ADD CONSTRAINT notice_done_has_channel CHECK ((sent_at IS NULL) = (channel IS NULL)),
    ADD CONSTRAINT notice_skip_has_reason CHECK ((channel IS NOT DISTINCT FROM 'none') = (skipped_reason IS NOT NULL));

-- An e-mail address or phone number gets notices only once its owner has confirmed it with a
-- one-time code sent to it. language is the language of the notices.
ALTER TABLE account
    ADD COLUMN email_verified_at timestamptz,
    ADD COLUMN phone_verified_at timestamptz,
    ADD COLUMN language text NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
    ADD CONSTRAINT account_verified_has_contact CHECK (
        (email_verified_at IS NULL OR email IS NOT NULL) AND (phone_verified_at IS NULL OR phone IS NOT NULL));

-- A changed address or number is unconfirmed again, whoever changes it and however.
-- +goose StatementBegin
CREATE FUNCTION account_contact_unverify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.email IS DISTINCT FROM OLD.email THEN
        NEW.email_verified_at := NULL;
    END IF;
    IF NEW.phone IS DISTINCT FROM OLD.phone THEN
        NEW.phone_verified_at := NULL;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER account_contact_unverify BEFORE UPDATE ON account
    FOR EACH ROW EXECUTE FUNCTION account_contact_unverify();

-- The pending one-time code of an account's e-mail address or phone number: only its hash, the
-- destination it was sent to, and how often it was tried. One per account and channel.
CREATE TABLE contact_code (
    account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
    destination text NOT NULL,
    code_hash   bytea NOT NULL,
    expires_at  timestamptz NOT NULL,
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, channel)
);

-- Development only: every e-mail and SMS the server would have sent, shown on a development page.
CREATE TABLE dev_mailbox (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient  text NOT NULL,
    subject    text NOT NULL DEFAULT '',
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_mailbox_created_idx ON dev_mailbox (created_at DESC, id DESC);

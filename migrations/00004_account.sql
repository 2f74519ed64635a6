-- +goose Up
-- A citizen's account, created at the first login from the e-ID and the population register.
-- It belongs to the installation, not to one municipality: one login shows every municipality.
CREATE TABLE account (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    personal_number    text NOT NULL UNIQUE CHECK (personal_number ~ '^[0-9]{12}$'),
    given_name         text NOT NULL DEFAULT '',
    surname            text NOT NULL DEFAULT '',
    display_name       text NOT NULL DEFAULT '',
    protected_identity boolean NOT NULL DEFAULT false,
    -- The address from the population register; always empty for a protected identity.
    street             text,
    care_of            text,
    postal_code        text,
    city               text,
    address_fetched_at timestamptz,
    email              text,
    phone              text,
    preferred_channel  text CHECK (preferred_channel IN ('email', 'sms')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_login_at      timestamptz,
    previous_login_at  timestamptz,
    CONSTRAINT account_protected_has_no_address CHECK (
        NOT protected_identity OR (street IS NULL AND care_of IS NULL AND postal_code IS NULL AND city IS NULL)
    ),
    CONSTRAINT account_channel_has_contact CHECK (
        (preferred_channel IS DISTINCT FROM 'email' OR email IS NOT NULL) AND
        (preferred_channel IS DISTINCT FROM 'sms' OR phone IS NOT NULL)
    )
);

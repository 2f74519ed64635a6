-- +goose Up
-- A time held for a draft's booking field while the citizen fills in the rest of the form. A hold
-- takes a place of its slot like a booking does (booking_slot.booked counts it, under the same
-- CHECK), so a held time is never booked by anyone else; when the case is submitted the hold
-- becomes a booking of the case. A hold that has expired is released by a job.
CREATE TABLE booking_hold (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    resource_id uuid NOT NULL REFERENCES booking_resource (id),
    slot_id     uuid NOT NULL REFERENCES booking_slot (id),
    draft_id    uuid NOT NULL REFERENCES draft (id) ON DELETE CASCADE,
    field_key   text NOT NULL,
    account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    held_at     timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > held_at),
    UNIQUE (draft_id, field_key)
);
-- The release job: holds by when they expire.
CREATE INDEX booking_hold_expires_idx ON booking_hold (expires_at);
CREATE INDEX booking_hold_slot_idx ON booking_hold (slot_id);

-- Whatever deletes a hold (a new pick, the draft deleted, the release job, the submit that turns
-- it into a booking) gives its place back, exactly once: the row is deleted once.
-- +goose StatementBegin
CREATE FUNCTION booking_hold_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE booking_slot SET booked = booked - 1 WHERE id = OLD.slot_id;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER booking_hold_release AFTER DELETE ON booking_hold
    FOR EACH ROW EXECUTE FUNCTION booking_hold_release();

-- A booking made through an e-service belongs to its case.
ALTER TABLE booking ADD COLUMN case_id uuid REFERENCES cases (id);
ALTER TABLE booking ADD COLUMN field_key text;
CREATE INDEX booking_case_idx ON booking (case_id) WHERE case_id IS NOT NULL;

-- +goose Up
-- Notices of a booking (confirmed, a reminder, cancelled by staff) name the booking instead of a
-- case; a resource says how long before a time its reminder goes out (0: none).
ALTER TABLE notice ADD COLUMN booking_id uuid REFERENCES booking (id);
ALTER TABLE booking_resource ADD COLUMN reminder_minutes integer NOT NULL DEFAULT 1440 CHECK (reminder_minutes >= 0);
ALTER TABLE booking ADD COLUMN reminded_at timestamptz;
-- The reminder job: booked times not reminded of yet.
CREATE INDEX booking_unreminded_idx ON booking (slot_id) WHERE state = 'booked' AND reminded_at IS NULL;

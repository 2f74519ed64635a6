-- +goose Up
-- Bookable resources of a municipality: a time with an advisor, a place, a hall. Each has
-- opening hours by weekday, exceptions (closed days, changed days), a slot length, a capacity per
-- time and the limits of how far ahead and how late one may book or cancel.
CREATE TABLE booking_resource (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id             uuid NOT NULL REFERENCES tenant (id),
    slug                  text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
    name                  jsonb NOT NULL,               -- form.Text: Swedish required
    place                 jsonb NOT NULL DEFAULT '{}',  -- where to come, as people write it
    description           jsonb NOT NULL DEFAULT '{}',
    slot_minutes          integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440),
    capacity              integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    ahead_days            integer NOT NULL DEFAULT 60 CHECK (ahead_days BETWEEN 1 AND 400),
    book_before_minutes   integer NOT NULL DEFAULT 60 CHECK (book_before_minutes >= 0),
    cancel_before_minutes integer NOT NULL DEFAULT 1440 CHECK (cancel_before_minutes >= 0),
    archived_at           timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug)
);

-- Opening hours by weekday (1 Monday … 7 Sunday), local time in Europe/Stockholm. A weekday may
-- have several intervals; a weekday without one is closed.
CREATE TABLE booking_hours (
    resource_id uuid NOT NULL REFERENCES booking_resource (id) ON DELETE CASCADE,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens       time NOT NULL,
    closes      time NOT NULL CHECK (closes > opens),
    PRIMARY KEY (resource_id, weekday, opens)
);

-- A day that differs from its weekday: closed (no opens), or open other hours.
CREATE TABLE booking_exception (
    resource_id uuid NOT NULL REFERENCES booking_resource (id) ON DELETE CASCADE,
    day         date NOT NULL,
    opens       time,
    closes      time,
    PRIMARY KEY (resource_id, day),
    CHECK ((opens IS NULL AND closes IS NULL) OR (opens IS NOT NULL AND closes > opens))
);

-- The staff who handle a resource: they see its calendar.
CREATE TABLE booking_handler (
    resource_id uuid NOT NULL REFERENCES booking_resource (id) ON DELETE CASCADE,
    staff_id    uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, staff_id)
);

-- One bookable time of a resource, made when it is first booked or blocked. booked counts the
-- places taken; the CHECK is what guarantees that no time is ever booked beyond its capacity,
-- whatever the concurrency: every booking increments the row in its own transaction.
CREATE TABLE booking_slot (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenant (id),
    resource_id uuid NOT NULL REFERENCES booking_resource (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
    capacity    integer NOT NULL CHECK (capacity >= 1),
    booked      integer NOT NULL DEFAULT 0,
    blocked     boolean NOT NULL DEFAULT false, -- staff closed the time
    CONSTRAINT booking_slot_capacity CHECK (booked >= 0 AND booked <= capacity),
    UNIQUE (resource_id, starts_at)
);

-- A citizen's booking of one place at one time.
CREATE TABLE booking (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenant (id),
    resource_id   uuid NOT NULL REFERENCES booking_resource (id),
    slot_id       uuid NOT NULL REFERENCES booking_slot (id),
    account_id    uuid NOT NULL REFERENCES account (id),
    state         text NOT NULL DEFAULT 'booked' CHECK (state IN ('booked', 'cancelled', 'rebooked')),
    booked_at     timestamptz NOT NULL,
    cancelled_at  timestamptz,
    cancelled_by  text CHECK (cancelled_by IN ('citizen', 'staff')),
    cancel_note   text NOT NULL DEFAULT '',  -- the staff's message to the citizen
    rebooked_to   uuid REFERENCES booking (id), -- the booking that replaced this one
    CHECK ((state = 'booked') = (cancelled_at IS NULL))
);
-- Mina bokningar: the account's bookings by time.
CREATE INDEX booking_account_idx ON booking (account_id, booked_at DESC);
-- The calendar: a slot's bookings.
CREATE INDEX booking_slot_idx ON booking (slot_id);
CREATE INDEX booking_slot_resource_idx ON booking_slot (resource_id, starts_at);

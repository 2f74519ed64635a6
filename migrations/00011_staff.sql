-- +goose Up
-- Staff of a municipality. A staff member logs in through the municipality's own IdP; the row is
-- made by a municipality admin (or the demo data) and found by the employee id the IdP releases.
CREATE TABLE staff (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenant (id),
    employee_id   text NOT NULL CHECK (employee_id <> ''),
    name          text NOT NULL DEFAULT '',
    email         text,
    unit          text NOT NULL DEFAULT '',
    groups        text[] NOT NULL DEFAULT '{}', -- as the IdP released them at the last login
    restricted    boolean NOT NULL DEFAULT false, -- sees only the cases assigned to them
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    UNIQUE (tenant_id, employee_id)
);

-- Roles per municipality.
CREATE TABLE staff_role (
    staff_id uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('caseworker', 'eservice_admin', 'municipality_admin')),
    PRIMARY KEY (staff_id, role)
);

-- The IdP that a municipality's staff log in through: its metadata document.
CREATE TABLE tenant_staff_idp (
    tenant_id  uuid PRIMARY KEY REFERENCES tenant (id),
    metadata   text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A staff login belongs to a municipality: its IdP checks the answer.
ALTER TABLE login_pending ADD COLUMN tenant_id uuid REFERENCES tenant (id);
ALTER TABLE login_pending ADD CONSTRAINT login_pending_staff_tenant CHECK (provider <> 'staff' OR tenant_id IS NOT NULL);

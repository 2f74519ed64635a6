-- +goose Up
-- audit_record_tenant_idx (tenant_id, at DESC) from 00012 serves a municipality's records in
-- either order, so 00035's (tenant_id, at) only cost every staff member's page view one more
-- index entry in the audit record it writes.
DROP INDEX IF EXISTS audit_record_at_idx;

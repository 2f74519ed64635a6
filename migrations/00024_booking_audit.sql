-- +goose Up
-- A staff member's read of a resource's calendar, with its bookers, is an audit record too: a
-- list, with no case.
ALTER TABLE audit_record DROP CONSTRAINT audit_record_what_check;
ALTER TABLE audit_record ADD CONSTRAINT audit_record_what_check
    CHECK (what IN ('case', 'file', 'messages', 'answers', 'receipt', 'queue', 'search', 'bookings'));
ALTER TABLE audit_record DROP CONSTRAINT audit_record_check;
ALTER TABLE audit_record ADD CONSTRAINT audit_record_check
    CHECK (case_id IS NOT NULL OR what IN ('queue', 'search', 'bookings'));

-- +goose Up
-- Indexes on the foreign keys whose parent rows are deleted. Without one, PostgreSQL reads the
-- whole child table for every parent row it deletes: retention deleting a batch of cases read all
-- notices, supplement requests and webhook events once a case, and erasing an account read all
-- notices and signings. TestDeletedParentsHaveIndexedChildren keeps it so.

-- Retention deletes cases.
CREATE INDEX notice_case_idx ON notice (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX supplement_request_case_idx ON supplement_request (case_id, requested_at); -- also a case's requests in order
CREATE INDEX disclosure_document_case_idx ON disclosure_document (case_id);
CREATE INDEX webhook_event_case_idx ON webhook_event (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX association_representative_checked_case_idx ON association_representative (checked_case)
    WHERE checked_case IS NOT NULL;

-- Erasure deletes accounts (an account's notices are also what its register extract lists, newest first).
CREATE INDEX notice_account_idx ON notice (account_id, created_at DESC) WHERE account_id IS NOT NULL;
CREATE INDEX booking_hold_account_idx ON booking_hold (account_id);
CREATE INDEX sign_pending_account_idx ON sign_pending (account_id);
-- The partial index of an account's unsubmitted signings served no delete; one of all serves both.
DROP INDEX signing_account_idx;
CREATE INDEX signing_account_idx ON signing (account_id);

-- Bookings, signings and their parties, staff members and municipalities go too.
CREATE INDEX notice_booking_idx ON notice (booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX notice_signing_idx ON notice (signing_id) WHERE signing_id IS NOT NULL;
CREATE INDEX sign_pending_party_idx ON sign_pending (party_id);
CREATE INDEX booking_handler_staff_idx ON booking_handler (staff_id);
CREATE INDEX security_event_staff_idx ON security_event (staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX login_handover_tenant_idx ON login_handover (tenant_id) WHERE tenant_id IS NOT NULL;

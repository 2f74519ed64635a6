-- +goose Up
-- A case's answers were stored twice: on the case and as its revision 1. A submit now stores them
-- once, on the case; revision 1 is written when the first supplement is about to change them.
-- case_answers is every version of a case's answers: its revisions, or, while it has none, its
-- answers as revision 1. Cases submitted before keep their revision 1, which says the same.
CREATE VIEW case_answers AS
    SELECT r.tenant_id, r.case_id, r.number, r.answers, r.source_draft_id, r.created_at
    FROM case_revision r
    UNION ALL
    SELECT c.tenant_id, c.id, 1, c.answers, NULL::uuid, c.submitted_at
    FROM cases c
    WHERE NOT EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id);

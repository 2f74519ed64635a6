package retention

import (
	"context"
	"time"

	"github.com/minasidor/minasidor/internal/archive"
)

// Disposals say what becomes of a closed case once its retention time has passed; it leaves the
// citizen's account in every case.
const (
	Keep        = "keep"         // kept in the portal for the municipality
	AfterExport = "after_export" // deleted once exported to the municipality's records system
	Delete      = "delete"       // deleted: the case has no value for the records
)

// Disposals lists them in the order the e-service's settings offer them.
var Disposals = []string{Keep, AfterExport, Delete}

// expiredSQL is the condition that a closed case (c) of an e-service (e) has passed its
// retention time at $1.
const expiredSQL = `c.closed_at IS NOT NULL AND e.retention_months IS NOT NULL
	AND c.closed_at < $1::timestamptz - make_interval(months => e.retention_months)`

// cases deletes the closed cases whose time has passed and whose disposal lets them go, then
// takes the rest of the expired ones out of their citizens' accounts. Each is recorded.
func (s *Service) cases(ctx context.Context, now time.Time, r *Report) error {
	err := s.repeat(ctx, &r.CasesDeleted, func() (int, error) {
		tag, err := s.pool.Exec(ctx, `
			WITH gone AS (
				DELETE FROM cases c USING eservice e
				WHERE e.id = c.eservice_id AND c.id IN (
					SELECT c.id FROM cases c JOIN eservice e ON e.id = c.eservice_id
					WHERE `+expiredSQL+`
						AND (e.retention_disposal = 'delete' OR (e.retention_disposal = 'after_export' AND `+archive.DeliveredSQL+`))
						AND NOT EXISTS (SELECT 1 FROM disclosure_document dd JOIN disclosure_request dr ON dr.id = dd.request_id
							WHERE dd.case_id = c.id AND dr.state <> 'decided')
					ORDER BY c.closed_at
					LIMIT $2)
				RETURNING c.tenant_id, c.eservice_id, c.reference, c.closed_at, `+archive.FirstDeliveredSQL+` AS exported_at,
					e.retention_months, e.retention_disposal)
			INSERT INTO deletion_record (tenant_id, kind, eservice_id, reference, rule, detail, at)
			SELECT tenant_id, 'case_deleted', eservice_id, reference, 'eservice_retention',
				jsonb_strip_nulls(jsonb_build_object('months', retention_months, 'disposal', retention_disposal,
					'closed_at', closed_at, 'exported_at', exported_at)), $1
			FROM gone`, now, s.batchSz)
		return int(tag.RowsAffected()), err
	})
	if err != nil {
		return err
	}
	return s.repeat(ctx, &r.CasesRemoved, func() (int, error) {
		tag, err := s.pool.Exec(ctx, `
			WITH moved AS (
				UPDATE cases c SET citizen_removed_at = $1
				FROM eservice e
				WHERE e.id = c.eservice_id AND c.id IN (
					SELECT c.id FROM cases c JOIN eservice e ON e.id = c.eservice_id
					WHERE `+expiredSQL+` AND c.account_id IS NOT NULL AND c.citizen_removed_at IS NULL
					ORDER BY c.closed_at
					LIMIT $2)
				RETURNING c.tenant_id, c.eservice_id, c.reference, c.closed_at, e.retention_months, e.retention_disposal)
			INSERT INTO deletion_record (tenant_id, kind, eservice_id, reference, rule, detail, at)
			SELECT tenant_id, 'case_removed_from_account', eservice_id, reference, 'eservice_retention',
				jsonb_build_object('months', retention_months, 'disposal', retention_disposal, 'closed_at', closed_at), $1
			FROM moved`, now, s.batchSz)
		return int(tag.RowsAffected()), err
	})
}

// LeavesAccountAt is when a case closed at closedAt leaves the citizen's account under an
// e-service's retention of months; nil when the e-service sets none or the case is open.
func LeavesAccountAt(closedAt *time.Time, months int) *time.Time {
	if closedAt == nil || months <= 0 {
		return nil
	}
	at := closedAt.AddDate(0, months, 0)
	return &at
}

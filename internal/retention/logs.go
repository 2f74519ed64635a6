package retention

import (
	"context"
	"time"
)

// audit deletes the audit records older than their municipality's audit retention, a batch at a
// time, and records how many went, per municipality. The database refuses to delete a record
// younger than that (migrations/00030_retention.sql), so the cut-off is never later than the
// database's own clock. Each municipality's records are read oldest first from the index of its
// records by time, so a run with nothing to delete reads a few index pages: a join of the
// municipalities to the records read the whole table at every run (0.4 s at 1.2 million records,
// against 2 ms).
func (s *Service) audit(ctx context.Context, now time.Time, r *Report) error {
	return s.repeat(ctx, &r.AuditDeleted, func() (int, error) {
		var n int
		err := s.pool.QueryRow(ctx, `
			WITH gone AS (
				DELETE FROM audit_record a WHERE a.id IN (
					SELECT old.id FROM tenant t CROSS JOIN LATERAL (
						SELECT a.id FROM audit_record a
						WHERE a.tenant_id = t.id AND a.at < least($1::timestamptz, now()) - make_interval(months => t.audit_retention_months)
						ORDER BY a.at LIMIT $2) old
					LIMIT $2)
				RETURNING a.tenant_id),
			counted AS (SELECT tenant_id, count(*) AS n FROM gone GROUP BY tenant_id),
			recorded AS (
				INSERT INTO deletion_record (tenant_id, kind, rule, detail, count, at)
				SELECT c.tenant_id, 'audit_records_deleted', 'audit_retention',
					jsonb_build_object('months', t.audit_retention_months), c.n, $1
				FROM counted c JOIN tenant t ON t.id = c.tenant_id)
			SELECT coalesce(sum(n), 0) FROM counted`, now, s.batchSz).Scan(&n)
		return n, err
	})
}

// addresses removes client addresses older than the configured time from the audit records and
// the security events, and deletes security events older than SecurityEventsKept.
func (s *Service) addresses(ctx context.Context, now time.Time, r *Report) error {
	removed := 0
	for _, table := range []string{"audit_record", "security_event"} {
		err := s.repeat(ctx, &removed, func() (int, error) {
			tag, err := s.pool.Exec(ctx, `
				UPDATE `+table+` SET client_addr = NULL WHERE id IN (
					SELECT id FROM `+table+` WHERE client_addr IS NOT NULL AND at < $1::timestamptz - $3::interval LIMIT $2)`,
				now, s.batchSz, s.cfg.AddressRetention)
			return int(tag.RowsAffected()), err
		})
		if err != nil {
			return err
		}
	}
	r.AddressesRemoved += removed
	err := s.repeat(ctx, &r.EventsDeleted, func() (int, error) {
		tag, err := s.pool.Exec(ctx, `
			DELETE FROM security_event WHERE id IN (
				SELECT id FROM security_event WHERE at < $1::timestamptz - $3::interval LIMIT $2)`,
			now, s.batchSz, SecurityEventsKept)
		return int(tag.RowsAffected()), err
	})
	if err != nil || removed+r.EventsDeleted == 0 {
		return err
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO deletion_record (kind, rule, detail, count, at)
		VALUES ('client_addresses_removed', 'address_retention', jsonb_build_object('days', $2::int, 'events_deleted', $3::int), $4, $1)`,
		now, int(s.cfg.AddressRetention/(24*time.Hour)), r.EventsDeleted, max(removed, 1))
	return err
}

// extracts removes the documents and archives of register extracts whose download time has
// passed; the request itself stays as its record.
func (s *Service) extracts(ctx context.Context, now time.Time, r *Report) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE extract_request SET state = 'expired', document = NULL, archive = NULL
		WHERE state = 'ready' AND expires_at <= $1`, now)
	r.ExtractsExpired = int(tag.RowsAffected())
	return err
}

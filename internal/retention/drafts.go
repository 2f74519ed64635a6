package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
)

// drafts tells the owners of drafts that will soon be deleted, deletes those whose notice is a
// week old and that were not touched since, and deletes visitors' drafts that no one can reach.
// A draft's files go with it (the upload's foreign key cascades).
func (s *Service) drafts(ctx context.Context, now time.Time, r *Report) error {
	if err := s.repeat(ctx, &r.DraftsNoticed, func() (int, error) { return s.noticeDrafts(ctx, now) }); err != nil {
		return err
	}
	err := s.repeat(ctx, &r.DraftsDeleted, func() (int, error) {
		tag, err := s.pool.Exec(ctx, `
			WITH gone AS (
				DELETE FROM draft d USING tenant t
				WHERE t.id = d.tenant_id AND d.id IN (
					SELECT d.id FROM draft d JOIN tenant t ON t.id = d.tenant_id
					WHERE d.account_id IS NOT NULL
						AND d.updated_at < $1::timestamptz - make_interval(days => t.draft_retention_days)
						AND d.expiry_noticed_at >= d.updated_at AND d.expiry_noticed_at <= $1::timestamptz - $3::interval
					LIMIT $2)
				RETURNING d.tenant_id, d.eservice_id, t.draft_retention_days)
			INSERT INTO deletion_record (tenant_id, kind, eservice_id, rule, detail, at)
			SELECT tenant_id, 'draft_deleted', eservice_id, 'draft_retention', jsonb_build_object('days', draft_retention_days), $1
			FROM gone`, now, s.batchSz, NoticeAhead)
		return int(tag.RowsAffected()), err
	})
	if err != nil {
		return err
	}
	return s.repeat(ctx, &r.DraftsDeleted, func() (int, error) {
		tag, err := s.pool.Exec(ctx, `
			WITH gone AS (
				DELETE FROM draft d WHERE d.id IN (
					SELECT id FROM draft WHERE session_key IS NOT NULL AND updated_at < $1::timestamptz - $3::interval LIMIT $2)
				RETURNING d.tenant_id, d.eservice_id)
			INSERT INTO deletion_record (tenant_id, kind, eservice_id, rule, detail, at)
			SELECT tenant_id, 'draft_deleted', eservice_id, 'visitor_draft', jsonb_build_object('hours', $4::int), $1
			FROM gone`, now, s.batchSz, s.cfg.VisitorDraftAge, int(s.cfg.VisitorDraftAge/time.Hour))
		return int(tag.RowsAffected()), err
	})
}

// noticeDrafts marks a batch of drafts due for a notice and enqueues each owner's notice, in one
// transaction: a draft is due a week before its deletion, unless its owner was told since it was
// last touched.
func (s *Service) noticeDrafts(ctx context.Context, now time.Time) (int, error) {
	if s.outbox == nil {
		return 0, fmt.Errorf("no outbox for the drafts' notices")
	}
	n := 0
	err := db.Transact(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE draft d SET expiry_noticed_at = $1
			WHERE d.id IN (
				SELECT d.id FROM draft d JOIN tenant t ON t.id = d.tenant_id
				WHERE d.account_id IS NOT NULL
					AND d.updated_at < $1::timestamptz - make_interval(days => t.draft_retention_days) + $3::interval
					AND (d.expiry_noticed_at IS NULL OR d.expiry_noticed_at < d.updated_at)
				LIMIT $2
				FOR UPDATE OF d SKIP LOCKED)
			RETURNING d.tenant_id, d.account_id, d.eservice_id`, now, s.batchSz, NoticeAhead)
		if err != nil {
			return err
		}
		type due struct{ tenant, account, eservice uuid.UUID }
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
			var d due
			return d, r.Scan(&d.tenant, &d.account, &d.eservice)
		})
		if err != nil {
			return err
		}
		for _, d := range list {
			if err := s.outbox.Enqueue(ctx, tx, notify.Notice{TenantID: d.tenant, AccountID: d.account, EServiceID: d.eservice,
				Kind: notify.KindDraftExpiring}); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

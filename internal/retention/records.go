package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// Kinds of deletion record.
const (
	KindCaseDeleted      = "case_deleted"
	KindCaseRemoved      = "case_removed_from_account"
	KindDraftDeleted     = "draft_deleted"
	KindAuditDeleted     = "audit_records_deleted"
	KindAddressesRemoved = "client_addresses_removed"
	// Of the citizen's own erasure (package rights).
	KindDraftsErased  = "drafts_erased"
	KindContactErased = "contact_erased"
	KindAccountErased = "account_erased"
)

// DeletionKinds lists the kinds of deletion record.
var DeletionKinds = []string{KindCaseDeleted, KindCaseRemoved, KindDraftDeleted, KindAuditDeleted, KindAddressesRemoved,
	KindDraftsErased, KindContactErased, KindAccountErased}

// Rules lists the rules a deletion is made under.
var Rules = []string{"eservice_retention", "draft_retention", "visitor_draft", "audit_retention", "address_retention", "self_service"}

// Deletion is one deletion record: what went, under which rule, and when; never the personal
// data that went.
type Deletion struct {
	ID        uuid.UUID
	Kind      string
	EService  form.Text // the e-service's title, when the deletion concerns one
	Reference string    // the case's reference number, for a case
	Rule      string
	Detail    map[string]any // the rule's parameters, e.g. {"months": 12}
	Count     int
	At        time.Time
}

// DeletionsPage is a page of a municipality's deletion records, newest first, and the cursor of
// the next page ("" on the last).
type DeletionsPage struct {
	Deletions []Deletion
	Next      string
}

// Deletions returns a page of the municipality's deletion records, paged by key.
func Deletions(ctx context.Context, q db.Querier, tenantID uuid.UUID, after string, limit int) (DeletionsPage, error) {
	var p DeletionsPage
	return p, db.Read(ctx, q, func(b *pgx.Batch) { queueDeletions(b, tenantID, after, limit, &p) })
}

// queueDeletions queues on b the reading of a page of the municipality's deletions (as
// Deletions) into out.
func queueDeletions(b *pgx.Batch, tenantID uuid.UUID, after string, limit int, out *DeletionsPage) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	cond, args := "true", []any{tenantID, limit + 1}
	if at, id, ok := db.DecodeCursor(after); ok {
		cond, args = "(d.at, d.id) < ($3, $4)", append(args, at, id)
	}
	b.Queue(`
		SELECT d.id, d.kind, coalesce(e.title, '{}'), d.reference, d.rule, d.detail, d.count, d.at
		FROM deletion_record d LEFT JOIN eservice e ON e.id = d.eservice_id
		WHERE d.tenant_id = $1 AND `+cond+`
		ORDER BY d.at DESC, d.id DESC
		LIMIT $2`, args...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deletion, error) {
			var d Deletion
			return d, r.Scan(&d.ID, &d.Kind, &d.EService, &d.Reference, &d.Rule, &d.Detail, &d.Count, &d.At)
		})
		if err != nil {
			return fmt.Errorf("retention: deletions: %w", err)
		}
		*out = DeletionsPage{Deletions: list}
		if len(list) > limit {
			out.Deletions = list[:limit]
			last := out.Deletions[limit-1]
			out.Next = db.EncodeCursor(last.At, last.ID)
		}
		return nil
	})
}

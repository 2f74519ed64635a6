package eservice

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// The readings a case's page needs of its e-service, queued on a batch by the case's id, so that
// the page reads the case and all of these in one round trip. A case that does not exist leaves
// them empty.

// QueueOfCase queues the reading of the case's e-service into out.
func QueueOfCase(b *pgx.Batch, caseID uuid.UUID, out *EService) {
	queueWhere(b, `e.id = (SELECT eservice_id FROM cases WHERE id = $1)`, []any{caseID}, out)
}

// QueueVersionOfCase queues the reading of the version the case was submitted on into out, with
// its definition (a published version is parsed once per process: it never changes).
func QueueVersionOfCase(b *pgx.Batch, caseID uuid.UUID, out *Version) {
	queueVersionWhere(b, `id = (SELECT version_id FROM cases WHERE id = $1)`, []any{caseID}, out)
}

// QueueOfDraft, QueueVersionOfDraft and QueueSigningOfDraft queue the same readings by a draft's
// id: its e-service, the version it is filled in on, and the e-service's signing rule, for the
// draft's content as it is signed. A draft that does not exist leaves them empty.
func QueueOfDraft(b *pgx.Batch, draftID uuid.UUID, out *EService) {
	queueWhere(b, `e.id = (SELECT eservice_id FROM draft WHERE id = $1)`, []any{draftID}, out)
}

func QueueVersionOfDraft(b *pgx.Batch, draftID uuid.UUID, out *Version) {
	queueVersionWhere(b, `id = (SELECT version_id FROM draft WHERE id = $1)`, []any{draftID}, out)
}

func QueueSigningOfDraft(b *pgx.Batch, draftID uuid.UUID, out *SigningRule) {
	queueSigningRule(b, `(SELECT eservice_id FROM draft WHERE id = $1)`, draftID, out)
}

// queueWhere queues the reading of the e-service e where cond holds (with args) into out.
func queueWhere(b *pgx.Batch, cond string, args []any, out *EService) {
	db.QueueOptional(b, nil, func(row pgx.Row) (err error) {
		*out, err = scan(row)
		return err
	}, `SELECT `+columns+` FROM eservice e JOIN tenant t ON t.id = e.tenant_id WHERE `+cond, args...)
}

// queueVersionWhere queues the reading of the first version where cond holds (with args, and
// its order) into out.
func queueVersionWhere(b *pgx.Batch, cond string, args []any, out *Version) {
	db.QueueOptional(b, nil, func(row pgx.Row) error {
		v, err := scanVersion(row)
		if err == nil {
			*out = v
		}
		return err
	}, `SELECT `+versionColumns+` FROM eservice_version WHERE `+cond, args...)
}

// QueueStatusesOfCase queues the reading of the statuses of the case's e-service into out.
func QueueStatusesOfCase(b *pgx.Batch, caseID uuid.UUID, out *[]Status) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Status, error) {
		var st Status
		err := r.Scan(&st.ID, &st.Key, &st.Label, &st.Type, &st.HandlingDays)
		return st, err
	}, `SELECT id, key, label, type, coalesce(handling_days, 0) FROM eservice_status
		WHERE eservice_id = (SELECT eservice_id FROM cases WHERE id = $1) ORDER BY position, key`, caseID)
}

// QueueTemplatesOfCase queues the reading of the message templates of the case's e-service into
// out.
func QueueTemplatesOfCase(b *pgx.Batch, caseID uuid.UUID, out *[]MessageTemplate) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (MessageTemplate, error) {
		var t MessageTemplate
		err := r.Scan(&t.ID, &t.Title, &t.Body)
		return t, err
	}, `SELECT id, title, body FROM eservice_message_template
		WHERE eservice_id = (SELECT eservice_id FROM cases WHERE id = $1) ORDER BY position, title`, caseID)
}

// parsed is a version's definition: checked as it is loaded, and for a published version kept,
// since it never changes.
func parsed(v Version, def []byte) (*form.Definition, error) {
	if v.PublishedAt == nil {
		d, err := form.ParseDraft(def) // a draft version being built
		if err != nil {
			return nil, fmt.Errorf("eservice: version %s has a broken definition: %w", v.ID, err)
		}
		return d, nil
	}
	return publishedDefinitions.Get(v.ID, func() (*form.Definition, error) {
		d, err := form.Parse(def)
		if err != nil {
			return nil, fmt.Errorf("eservice: version %s has a broken definition: %w", v.ID, err)
		}
		return d, nil
	})
}

// QueueStatusesHandledBy queues the reading of the statuses of the e-services a caseworker
// handles (in person, staffID, or through one of groups, in tenantID), each key once, into out:
// the queue's status filter.
func QueueStatusesHandledBy(b *pgx.Batch, staffID, tenantID uuid.UUID, groups any, out *[]StatusOption) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (StatusOption, error) {
		var o StatusOption
		err := r.Scan(&o.Key, &o.Label)
		return o, err
	}, `
		SELECT key, label FROM (
			SELECT DISTINCT ON (key) key, label, position FROM eservice_status
			WHERE eservice_id IN (SELECT e.id FROM eservice e WHERE e.tenant_id = $2
				AND EXISTS (SELECT 1 FROM eservice_handler h WHERE h.eservice_id = e.id AND (h.staff_id = $1 OR h.group_name = ANY ($3))))
			ORDER BY key, position, eservice_id) s
		ORDER BY position, key`, staffID, tenantID, groups)
}

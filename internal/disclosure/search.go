package disclosure

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/staff"
)

// Search is a registrar's search among the municipality's cases, of every e-service.
type Search struct {
	Reference  string // a case's reference number, exactly
	EServiceID string // one e-service, or ""
	From, To   string // submitted on or after, on or before (YYYY-MM-DD), or ""
	Words      string // words in the answers
	After      string // the cursor of the previous page
}

// Empty reports whether the search has nothing to look for.
func (q Search) Empty() bool {
	return strings.TrimSpace(q.Reference+q.EServiceID+q.From+q.To+q.Words) == ""
}

// Found is a case a search found: no content, only what tells it apart.
type Found struct {
	CaseID      uuid.UUID
	Reference   string
	EService    form.Text
	SubmittedAt time.Time
	Linked      bool // linked to the request already
}

// FoundPage is a page of a search and the cursor of the next, empty on the last page.
type FoundPage struct {
	Cases []Found
	Next  string
}

// maxWords bounds the words of a search (in characters).
const maxWords = 200

// SearchCases finds, among the cases of the registrar's municipality (of every e-service; never a
// draft, which is no case), those that match every criterion given, newest first, for a request,
// and records that a search was made (never its terms) in the same transaction. Like the
// caseworkers' search, words in the answers never find a protected identity's case: only its
// reference does.
func (s *Store) SearchCases(ctx context.Context, m staff.Member, requestID uuid.UUID, q Search, limit int) (FoundPage, error) {
	if err := registrar(m); err != nil {
		return FoundPage{}, err
	}
	if q.Empty() {
		return FoundPage{}, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	// $1 the municipality, $2 the request, $3 the page size; then each criterion.
	args := []any{m.TenantID, requestID, limit + 1}
	conds := []string{"c.tenant_id = $1"}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var errs apperr.FieldErrors
	if ref := strings.ToUpper(strings.TrimSpace(q.Reference)); ref != "" {
		conds = append(conds, "c.reference = "+arg(ref))
	}
	if q.EServiceID != "" {
		id, err := uuid.Parse(q.EServiceID)
		if err != nil {
			errs.Add("etjanst", "error.public.eservice")
		}
		conds = append(conds, "c.eservice_id = "+arg(id))
	}
	day := func(field, v string) *time.Time {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, i18n.Stockholm)
		if err != nil {
			errs.Add(field, "error.public.date")
			return nil
		}
		return &t
	}
	if t := day("fran", q.From); t != nil {
		conds = append(conds, "c.submitted_at >= "+arg(*t))
	}
	if t := day("till", q.To); t != nil {
		conds = append(conds, "c.submitted_at < "+arg(t.AddDate(0, 0, 1)))
	}
	if words := strings.TrimSpace(q.Words); words != "" {
		if utf8.RuneCountInString(words) > maxWords {
			words = string([]rune(words)[:maxWords])
		}
		conds = append(conds, "c.search @@ websearch_to_tsquery('swedish', "+arg(words)+"::text)",
			"NOT EXISTS (SELECT 1 FROM account p WHERE p.id = c.account_id AND p.protected_identity)")
	}
	if err := errs.Err(); err != nil {
		return FoundPage{}, err
	}
	if t, id, ok := db.DecodeCursor(q.After); ok {
		conds = append(conds, fmt.Sprintf("(c.submitted_at, c.id) < (%s, %s)", arg(t), arg(id)))
	}
	var p FoundPage
	b := &pgx.Batch{}
	db.QueueRows(b, &p.Cases, func(row pgx.CollectableRow) (Found, error) {
		var f Found
		err := row.Scan(&f.CaseID, &f.Reference, &f.EService, &f.SubmittedAt, &f.Linked)
		return f, err
	}, `SELECT c.id, c.reference, e.title, c.submitted_at,
			EXISTS (SELECT 1 FROM disclosure_document d WHERE d.request_id = $2 AND d.case_id = c.id)
		FROM cases c JOIN eservice e ON e.id = c.eservice_id
		WHERE `+strings.Join(conds, " AND ")+` AND EXISTS (SELECT 1 FROM disclosure_request q WHERE q.id = $2 AND q.tenant_id = $1)
		ORDER BY c.submitted_at DESC, c.id DESC LIMIT $3`, args...)
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Registrar, What: audit.Search, Detail: "request:" + requestID.String()}, "true")
	if err := db.Run(ctx, s.db, b); err != nil {
		return FoundPage{}, err
	}
	if len(p.Cases) > limit {
		p.Cases = p.Cases[:limit]
		last := p.Cases[limit-1]
		p.Next = db.EncodeCursor(last.SubmittedAt, last.CaseID)
	}
	return p, nil
}

package casework

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
)

// personalNumberQuery is a personal identity number as a caseworker types it: 12 digits, or
// YYYYMMDD-NNNN (a '+' for the hyphen is accepted too).
var personalNumberQuery = regexp.MustCompile(`^(\d{8})[-+]?(\d{4})$`)

// maxSearchLength bounds a search query (in characters).
const maxSearchLength = 200

// searchTerms is a search query as the search reads it: trimmed and at most maxSearchLength
// characters, the personal identity number it is (nil when not one), and the words a name is
// looked for by, as LIKE patterns (nil when none is long enough for the trigram index). When
// findHolders has set byHolders, holders are the accounts whose holder has that name.
type searchTerms struct {
	query     string
	pnr       *string
	names     []string
	byHolders bool
	holders   []uuid.UUID
}

func parseSearch(query string) searchTerms {
	t := searchTerms{query: strings.TrimSpace(query)}
	if utf8.RuneCountInString(t.query) > maxSearchLength {
		t.query = string([]rune(t.query)[:maxSearchLength])
	}
	if p := personalNumberQuery.FindStringSubmatch(t.query); p != nil {
		digits := p[1] + p[2]
		t.pnr = &digits
	}
	for _, w := range strings.Fields(t.query) {
		if utf8.RuneCountInString(w) >= 3 && strings.ContainsFunc(w, isLetter) {
			t.names = append(t.names, "%"+escapeLike(w)+"%")
		}
	}
	return t
}

// maxHolders bounds the accounts a search of several words looks a name up among: with more, the
// name is looked for on the cases themselves (see findHolders).
const maxHolders = 200

// findHolders looks up, for a search of several words, the accounts (never a protected
// identity's) whose holder's name holds every word, and when there are at most maxHolders of
// them sets t.holders to them and t.byHolders; otherwise, and for a search of one word, it leaves
// t as it is. A full name's words are each in thousands of names:
// intersecting their trigrams takes the cases' index (a million names) about 12 ms, and the
// accounts' (a tenth of the entries) about one. The cases' name is their account holder's (kept
// by triggers, migration 00037), so the cases of these accounts are the cases with the name. With
// more accounts (fragments such as "mar berg"), walking the newest cases is the faster way, and
// one word alone gains nothing from the accounts (a common surname is in too many names).
func (s *Store) findHolders(ctx context.Context, m staff.Member, t *searchTerms) error {
	if len(t.names) < 2 || !m.Has(staff.Caseworker) {
		return nil
	}
	args := []any{maxHolders + 1}
	var conds []string
	for _, n := range t.names {
		args = append(args, n)
		conds = append(conds, fmt.Sprintf("display_name ILIKE $%d", len(args)))
	}
	var ids []uuid.UUID
	err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		b.Queue(db.PlanOnce) // the trigram index whatever the words
		db.QueueRows(b, &ids, pgx.RowTo[uuid.UUID], `SELECT id FROM account WHERE NOT protected_identity AND `+
			strings.Join(conds, " AND ")+` LIMIT $1`, args...)
	})
	if err != nil || len(ids) > maxHolders {
		return err
	}
	t.holders, t.byHolders = ids, true
	return nil
}

// queueSearch queues the finding, among the cases the caseworker may see, those whose reference is the query
// (exactly, in any case), whose citizen has the personal identity number (12 digits or
// YYYYMMDD-NNNN), whose citizen's name holds every word of the query, or whose answers hold
// its words (full-text search, Swedish stemming). A protected identity is never found by number,
// name or the text of the answers, only by the case's reference, and its name is never shown.
// Newest first, paged by key like Queue: after is the Next of the previous page.
func queueSearch(b *pgx.Batch, m staff.Member, t searchTerms, after string, limit int, out *QueuePage) {
	query := t.query
	if !m.Has(staff.Caseworker) || query == "" {
		return
	}
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	// The hits are found by one statement and the page's rows read for them by another. The first
	// is planned for these very terms each time: a prepared statement's generic plan cannot know
	// that a common surname matches thousands of cases and a rare word a handful, and at a million
	// cases it chose a bitmap scan and sort of every match (ten times slower for "Andersson"). The
	// second, which joins what a row shows, is planned once: planning it afresh with the hits had
	// cost PostgreSQL more than the search itself. The hits pass between them in a setting of the
	// batch's transaction (hitsSetting), so the search is one round trip (and the lookup of
	// findHolders before it, for a name of several words).
	//
	// The hits' parameters: $1 the member, $2 the municipality, $3 whether restricted, $4 the page
	// size, $5 the reference, $6 the text query; then the cursor, the candidate e-services, the
	// accounts with the name or the name patterns (every one must match), and the personal number
	// when the query is one.
	args := []any{m.ID, m.TenantID, m.Restricted, limit + 1, strings.ToUpper(query), query}
	cursor := "true"
	if at, id, _, err := decodeCursor(after); after != "" && err == nil {
		args = append(args, at, id)
		cursor = fmt.Sprintf("(c.submitted_at, c.id) < ($%d, $%d)", len(args)-1, len(args))
	}
	// Each way of matching is a branch of its own, served by its own index (the reference's, the
	// personal number's, and for words the full-text index on the answers with the trigram index
	// on names). Only the reference finds a protected identity's case. Each branch is the newest
	// page of its own kind of match among the member's candidates; the page is the newest of their
	// union. So a rare match is found through its indexes, and a common one by walking the
	// municipality's cases newest first until a page is full: a word is looked for in the answers
	// and the name in the same walk, which stops as soon as either has filled the page. The
	// candidates are the cases of the e-services the member handled when read (m.EServices): the
	// planner knows from the table's statistics how many of the municipality's cases those are,
	// where the access rule's EXISTS left it to guess (and at a million cases it guessed 30 times
	// too few for "Andersson" and read all 19 000 matches instead of walking 1 600 cases). The
	// page's statement applies the access rule itself.
	args = append(args, candidateEServices(m))
	candidates := fmt.Sprintf("c.tenant_id = $2 AND (NOT $3 OR c.assigned_to = $1) AND ($%d::uuid[] IS NULL OR c.eservice_id = ANY ($%d))", len(args), len(args))
	branch := func(cond string) string {
		return `(SELECT c.id FROM cases c WHERE ` + candidates + ` AND ` + cond + ` AND ` + cursor + `
			ORDER BY c.submitted_at DESC, c.id DESC LIMIT $4)`
	}
	words := "c.search @@ websearch_to_tsquery('swedish', $6::text)"
	var byName []string
	switch {
	case t.byHolders:
		// The accounts with the name, found first: their cases through the accounts' index, in a
		// branch of their own.
		args = append(args, t.holders)
		byName = []string{branch(fmt.Sprintf("c.account_id = ANY ($%d)", len(args)))}
	case t.names != nil:
		// The applicant's name on the case (a protected identity's is never there). One ILIKE per
		// word (not ILIKE ALL of an array), so that the trigram index serves a rare name.
		var conds []string
		for _, n := range t.names {
			args = append(args, n)
			conds = append(conds, fmt.Sprintf("c.applicant_name ILIKE $%d", len(args)))
		}
		words = "(" + words + " OR (" + strings.Join(conds, " AND ") + "))"
	}
	branches := append([]string{
		branch("c.reference = $5"),
		branch(words + " AND NOT EXISTS (SELECT 1 FROM account p WHERE p.id = c.account_id AND p.protected_identity)"),
	}, byName...)
	if t.pnr != nil {
		args = append(args, *t.pnr)
		branches = append(branches, branch(fmt.Sprintf(
			"c.account_id = (SELECT x.id FROM account x WHERE x.personal_number = $%d AND NOT x.protected_identity)", len(args))))
	}
	b.Queue(db.PlanEachTime)
	b.Queue(`SELECT set_config('`+hitsSetting+`', coalesce(string_agg(hit.id::text, ','), ''), true)
		FROM (`+strings.Join(branches, "\n\t\tUNION\n\t\t")+`) hit`, args...)
	b.Queue(db.PlanOnce)
	// $1..$4 are the member's (seesArgs), $5 the page size, $6 the reference.
	b.Queue(`
		SELECT c.id, c.reference, e.title ->> 'sv', c.submitted_at, c.status,
			coalesce((SELECT es.label FROM eservice_status es WHERE es.eservice_id = c.eservice_id AND es.key = c.status_key), '{}'),
			coalesce(st.name, ''),
			CASE WHEN a.protected_identity THEN '' ELSE coalesce(a.display_name, '') END,
			coalesce(a.protected_identity, false), c.anonymous,
			EXISTS (SELECT 1 FROM case_flag f WHERE f.case_id = c.id AND f.staff_id = $1)
		FROM unnest(string_to_array(nullif(current_setting('`+hitsSetting+`'), ''), ',')::uuid[]) AS hit (id)
		JOIN cases c ON c.id = hit.id
		JOIN eservice e ON e.id = c.eservice_id
		LEFT JOIN account a ON a.id = c.account_id
		LEFT JOIN staff st ON st.id = c.assigned_to
		WHERE `+seesAt(m, 1)+` AND (c.reference = $6 OR NOT coalesce(a.protected_identity, false))
		ORDER BY c.submitted_at DESC, c.id DESC
		LIMIT $5`, append(seesArgs(m), limit+1, strings.ToUpper(query))...).Query(func(rows pgx.Rows) error {
		p, err := queuePage(rows, limit)
		if err != nil {
			return fmt.Errorf("casework: search: %w", err)
		}
		*out = p
		return nil
	})
}

// hitsSetting carries a search's hits, the ids of the cases found, from the statement that
// finds them to the one that reads their rows, within the batch's transaction.
const hitsSetting = "minasidor.search_hits"

// candidateEServices are the e-services whose cases a search looks among: those the member
// handled when read; nil, every e-service of the municipality, for an API client (which sees
// them all) and for a member not read by staff.Store.ByID.
func candidateEServices(m staff.Member) []uuid.UUID {
	if m.APIClient {
		return nil
	}
	return m.EServices
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > utf8.RuneSelf
}

// escapeLike escapes the wildcards of a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

package disclosure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
)

// Answer is what the requester gets: the documents as released, made from the data, and, when
// anything is masked or withheld, the written decision. Masked and withheld content is not in
// it at all: an item that is masked has its label and a note, and no values.
type Answer struct {
	Municipality string
	Reference    string // the request's
	Lang         string
	RequestedAt  time.Time
	DecidedAt    time.Time
	Registrar    string // who decided
	Outcome      string
	Documents    []ReleasedDocument
	Grounds      []Ground // the grounds of every masking and withholding, in the order of the settings
	Reasoning    string   // the registrar's own words to the decision
}

// ReleasedDocument is one case as released.
type ReleasedDocument struct {
	Reference   string
	EService    string
	SubmittedAt time.Time
	Sections    []Section
}

// Section is a step of the form, the files or the messages of a case.
type Section struct {
	Title string
	Items []Item
}

// Item is a released part, or the note at the place of a masked or withheld one.
type Item struct {
	Label  string   // "" for a withheld part: not even what it was is shown
	Values []string // nil when masked or withheld
	Note   string   // the masking's or withholding's note, naming the ground; "" when released
}

// Ruling is the registrar's decision on the request as a whole.
type Ruling struct {
	RefuseAll bool   // nothing is released: a refusal of the whole request
	Ground    string // the ground of a whole refusal
	Reasoning string // the registrar's own words, optional
}

// MaxReasoning bounds the registrar's words to a decision.
const MaxReasoning = 4000

// build makes the answer from the cases and their parts' decisions, in the request's language.
func build(req Request, set Settings, cases []caseData, r Ruling, registrarName string, at time.Time) Answer {
	p := i18n.For(req.Lang)
	a := Answer{Municipality: req.Municipality, Reference: req.Reference, Lang: req.Lang, RequestedAt: req.CreatedAt,
		DecidedAt: at, Registrar: registrarName, Outcome: OutcomeReleased, Reasoning: strings.TrimSpace(r.Reasoning)}
	used := map[string]bool{}
	if r.RefuseAll {
		a.Outcome = OutcomeRefused
		used[r.Ground] = true
	} else {
		held := 0
		total := 0
		for i := range cases {
			c := &cases[i]
			doc := ReleasedDocument{Reference: c.Reference, EService: c.EService.Title.In(req.Lang), SubmittedAt: c.SubmittedAt}
			sections := map[string]int{}
			for _, part := range c.parts(req.Lang, set) {
				title := part.Group
				switch part.Kind {
				case PartFile:
					title = p.T("public.pdf.files")
				case PartMessage:
					title = p.T("public.pdf.messages")
				}
				si, ok := sections[title]
				if !ok {
					si = len(doc.Sections)
					sections[title] = si
					doc.Sections = append(doc.Sections, Section{Title: title})
				}
				total++
				it := Item{Label: part.Label}
				if part.Kind == PartMessage {
					it.Label = part.Label + ", " + i18n.DateTime(part.At)
				}
				g, _ := set.Ground(part.Ground)
				if g.Code == "" {
					g.Code = part.Ground
				}
				switch part.Decision {
				case Release:
					it.Values = part.Values
				case Mask:
					it.Note = p.T("public.pdf.masked", g.Text())
				default:
					it.Label, it.Note = "", p.T("public.pdf.withheld."+part.Kind, g.Text())
				}
				if part.Decision != Release {
					held++
					used[part.Ground] = true
				}
				doc.Sections[si].Items = append(doc.Sections[si].Items, it)
			}
			a.Documents = append(a.Documents, doc)
		}
		switch {
		case total > 0 && held == total:
			a.Outcome = OutcomeRefused
		case held > 0:
			a.Outcome = OutcomePartly
		}
	}
	for _, g := range set.Grounds {
		if used[g.Code] {
			a.Grounds = append(a.Grounds, g)
			delete(used, g.Code)
		}
	}
	for code := range used { // a ground no longer in the settings, chosen before they changed
		a.Grounds = append(a.Grounds, Ground{Code: code})
	}
	return a
}

// review reads, in q, the request, the settings and every linked case, for building the answer.
func (s *Store) review(ctx context.Context, q db.Querier, m staff.Member, requestID uuid.UUID) (Request, Settings, []caseData, error) {
	var req Request
	var set Settings
	var ids []uuid.UUID
	found := false
	b := &pgx.Batch{}
	queueRequest(b, `q.id = $1 AND q.tenant_id = $2`, []any{requestID, m.TenantID}, &req, &found)
	queueSettings(b, m.TenantID, &set)
	db.QueueRows(b, &ids, pgx.RowTo[uuid.UUID], `SELECT d.case_id FROM disclosure_document d JOIN cases c ON c.id = d.case_id
		WHERE d.request_id = $1 ORDER BY c.reference`, requestID)
	if err := db.Run(ctx, q, b); err != nil {
		return req, set, nil, err
	}
	if !found {
		return req, set, nil, ErrNotFound
	}
	cases := make([]caseData, len(ids))
	if len(ids) > 0 {
		b = &pgx.Batch{}
		oks := make([]bool, len(ids))
		for i, id := range ids {
			queueCase(b, m.TenantID, requestID, id, &cases[i], &oks[i])
		}
		if err := db.Run(ctx, q, b); err != nil {
			return req, set, nil, err
		}
	}
	return req, set, cases, nil
}

// Preview renders the answer as it would be released now, for the registrar to check, and
// records the read of each linked case in the audit log. It changes nothing else.
func (s *Store) Preview(ctx context.Context, m staff.Member, requestID uuid.UUID) ([]byte, error) {
	if err := registrar(m); err != nil {
		return nil, err
	}
	var pdf []byte
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		req, set, cases, err := s.review(ctx, tx, m, requestID)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if err := audit.Write(ctx, tx, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
				Role: staff.Registrar, CaseID: c.ID, What: audit.Answers, Detail: "preview:" + requestID.String()}); err != nil {
				return err
			}
		}
		a := build(req, set, cases, Ruling{}, m.Name, s.now())
		pdf, err = Render(a, true)
		return err
	})
	return pdf, err
}

// Decide answers an open request: it builds the answer from the linked cases and every part's
// decision (the defaults made the registrar's own), renders it, and records each masking and
// withholding with its ground and the decision itself, in one transaction. When the
// municipality wants a second registrar, the answer waits for one (StateProposed); otherwise it
// is released at once and the requester told. It returns the request's new state.
func (s *Store) Decide(ctx context.Context, m staff.Member, requestID uuid.UUID, r Ruling) (string, error) {
	var state string
	err := s.openRequest(ctx, m, requestID, func(tx pgx.Tx) error {
		req, set, cases, err := s.review(ctx, tx, m, requestID)
		if err != nil {
			return err
		}
		var errs apperr.FieldErrors
		r.Reasoning = strings.TrimSpace(r.Reasoning)
		if utf8.RuneCountInString(r.Reasoning) > MaxReasoning {
			errs.Add("motivering", "error.public.reasoning")
		}
		if r.RefuseAll {
			if _, ok := set.Ground(r.Ground); !ok {
				errs.Add("avslag-grund", "error.public.ground")
			}
		} else if len(cases) == 0 {
			errs.Add("avsla", "error.public.nothing")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		now := s.now()
		a := build(req, set, cases, r, m.Name, now)
		pdf, err := Render(a, false)
		if err != nil {
			return err
		}
		// Every part's decision as it was released, the defaults made explicit, and each
		// masking and withholding in the log.
		if !r.RefuseAll {
			for _, c := range cases {
				for _, part := range c.parts(req.Lang, set) {
					var ground *string
					if part.Ground != "" {
						ground = &part.Ground
					}
					if _, err := tx.Exec(ctx, `INSERT INTO disclosure_part (request_id, case_id, kind, key, decision, ground, decided_by)
						VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
						requestID, c.ID, part.Kind, part.Key, part.Decision, ground, m.ID); err != nil {
						return fmt.Errorf("disclosure: part: %w", err)
					}
					if part.Decision == Release {
						continue
					}
					kind := "masked"
					if part.Decision == Withhold {
						kind = "withheld"
					}
					if err := event(ctx, tx, m.TenantID, requestID, &m, kind, map[string]any{"case": c.Reference,
						"part": part.Kind, "key": part.Key, "ground": part.Ground}); err != nil {
						return err
					}
				}
			}
		}
		detail := map[string]any{"outcome": a.Outcome}
		if r.RefuseAll {
			detail["ground"] = r.Ground
		}
		if err := event(ctx, tx, m.TenantID, requestID, &m, "decided", detail); err != nil {
			return err
		}
		state = StateDecided
		var released *time.Time
		if set.SecondRegistrar {
			state = StateProposed
		} else {
			released = &now
		}
		if _, err := tx.Exec(ctx, `INSERT INTO disclosure_answer (request_id, tenant_id, outcome, reasoning, pdf, decided_by, proposed_at, released_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, requestID, m.TenantID, a.Outcome, r.Reasoning, pdf, m.ID, now, released); err != nil {
			return fmt.Errorf("disclosure: answer: %w", err)
		}
		if state == StateProposed {
			if _, err := tx.Exec(ctx, `UPDATE disclosure_request SET state = 'proposed' WHERE id = $1`, requestID); err != nil {
				return err
			}
			return event(ctx, tx, m.TenantID, requestID, &m, "proposed", nil)
		}
		return s.release(ctx, tx, m, req, now)
	})
	return state, err
}

// release marks the request answered, logs it and tells the requester, in tx.
func (s *Store) release(ctx context.Context, tx pgx.Tx, m staff.Member, req Request, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE disclosure_request SET state = 'decided', decided_at = $2 WHERE id = $1`, req.ID, now); err != nil {
		return err
	}
	if err := event(ctx, tx, m.TenantID, req.ID, &m, "released", map[string]any{"delivery": req.Delivery}); err != nil {
		return err
	}
	if s.notices == nil {
		return nil
	}
	switch req.Delivery {
	case DeliveryMyPages:
		return s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: req.TenantID, AccountID: *req.AccountID, RequestID: req.ID, Kind: notify.KindRequestAnswered})
	case DeliveryEmail:
		return s.notices.Enqueue(ctx, tx, notify.Notice{TenantID: req.TenantID, RequestID: req.ID, Kind: notify.KindRequestAnswered})
	}
	return nil // the secret link shows the answer; a letter goes by post
}

// Approve releases an answer that waits for a second registrar: one who did not make it.
func (s *Store) Approve(ctx context.Context, m staff.Member, requestID uuid.UUID) error {
	return s.proposal(ctx, m, requestID, func(tx pgx.Tx, req Request, decidedBy uuid.UUID) error {
		if decidedBy == m.ID {
			return ErrSameRegistrar
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE disclosure_answer SET approved_by = $2, released_at = $3 WHERE request_id = $1`, requestID, m.ID, now); err != nil {
			return err
		}
		if err := event(ctx, tx, m.TenantID, requestID, &m, "approved", nil); err != nil {
			return err
		}
		return s.release(ctx, tx, m, req, now)
	})
}

// Return sends an answer that waits for approval back to the registrars: the request is open
// again, and the proposal is gone (its log stays).
func (s *Store) Return(ctx context.Context, m staff.Member, requestID uuid.UUID) error {
	return s.proposal(ctx, m, requestID, func(tx pgx.Tx, req Request, _ uuid.UUID) error {
		if _, err := tx.Exec(ctx, `DELETE FROM disclosure_answer WHERE request_id = $1`, requestID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE disclosure_request SET state = 'received' WHERE id = $1`, requestID); err != nil {
			return err
		}
		return event(ctx, tx, m.TenantID, requestID, &m, "returned", nil)
	})
}

// proposal runs fn in a transaction on a request of the registrar's municipality that waits for
// approval, holding it locked.
func (s *Store) proposal(ctx context.Context, m staff.Member, requestID uuid.UUID, fn func(pgx.Tx, Request, uuid.UUID) error) error {
	if err := registrar(m); err != nil {
		return err
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var state string
		var decidedBy uuid.UUID
		err := tx.QueryRow(ctx, `SELECT q.state, a.decided_by FROM disclosure_request q JOIN disclosure_answer a ON a.request_id = q.id
			WHERE q.id = $1 AND q.tenant_id = $2 FOR UPDATE OF q`, requestID, m.TenantID).Scan(&state, &decidedBy)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM disclosure_request WHERE id = $1 AND tenant_id = $2)`, requestID, m.TenantID).Scan(&exists); err != nil {
				return err
			}
			if exists {
				return ErrNotProposed
			}
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if state != StateProposed {
			return ErrNotProposed
		}
		var req Request
		found := false
		if err := db.Read(ctx, tx, func(b *pgx.Batch) {
			queueRequest(b, `q.id = $1`, []any{requestID}, &req, &found)
		}); err != nil {
			return err
		}
		return fn(tx, req, decidedBy)
	})
}

// AnswerForRegistrar returns the answer of a request of the registrar's municipality as made
// (a proposal or released), for them to read before approving or sending by post, and records the
// read of each linked case in the audit log in the same transaction.
func (s *Store) AnswerForRegistrar(ctx context.Context, m staff.Member, requestID uuid.UUID) (string, []byte, error) {
	if err := registrar(m); err != nil {
		return "", nil, err
	}
	var ref string
	var pdf []byte
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT q.reference, a.pdf FROM disclosure_request q JOIN disclosure_answer a ON a.request_id = q.id
			WHERE q.id = $1 AND q.tenant_id = $2`, requestID, m.TenantID).Scan(&ref, &pdf)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO audit_record (tenant_id, staff_id, staff_name, staff_unit, role, case_id, what, detail)
			SELECT $1, $2, $3, $4, $5, d.case_id, 'answers', $7
			FROM disclosure_document d WHERE d.request_id = $6`,
			m.TenantID, m.ID, m.Name, m.Unit, staff.Registrar, requestID, "answer:"+requestID.String())
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return ref, pdf, nil
}

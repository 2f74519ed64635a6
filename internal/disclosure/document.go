package disclosure

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/staff"
)

// caseData is a linked case as the review needs it: read in one round trip.
type caseData struct {
	ID          uuid.UUID
	Reference   string
	SubmittedAt time.Time
	Anonymous   bool
	Protected   bool // the applicant has a protected identity
	Answers     form.Answers
	EService    eservice.EService
	Version     eservice.Version
	Files       []caseFile
	Messages    []message.Message
	Decisions   map[string]PartDecision // by partID, the registrar's own
}

type caseFile struct {
	ID          uuid.UUID
	Name        string
	ContentType string
	Size        int64
	FromStaff   bool // attached to a caseworker's message
	Field       string
}

// PartDecision is the decision on one part.
type PartDecision struct {
	Decision string // one of Decisions
	Ground   string // the ground's code; "" for Release
}

func partID(kind, key string) string { return kind + ":" + key }

// queueCase queues the reading of a case of the municipality linked to the request into out;
// found says whether there is one.
func queueCase(b *pgx.Batch, tenantID, requestID, caseID uuid.UUID, out *caseData, found *bool) {
	db.QueueOptional(b, found, func(row pgx.Row) error {
		var answers []byte
		if err := row.Scan(&out.ID, &out.Reference, &out.SubmittedAt, &out.Anonymous, &out.Protected, &answers); err != nil {
			return fmt.Errorf("disclosure: case: %w", err)
		}
		if err := json.Unmarshal(answers, &out.Answers); err != nil {
			return fmt.Errorf("disclosure: answers of %s: %w", out.ID, err)
		}
		return nil
	}, `SELECT c.id, c.reference, c.submitted_at, c.anonymous, coalesce(a.protected_identity, false), c.answers
		FROM cases c JOIN disclosure_document d ON d.case_id = c.id AND d.request_id = $2
		LEFT JOIN account a ON a.id = c.account_id
		WHERE c.id = $3 AND c.tenant_id = $1`, tenantID, requestID, caseID)
	eservice.QueueOfCase(b, caseID, &out.EService)
	eservice.QueueVersionOfCase(b, caseID, &out.Version)
	db.QueueRows(b, &out.Files, func(r pgx.CollectableRow) (caseFile, error) {
		var f caseFile
		err := r.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.FromStaff, &f.Field)
		return f, err
	}, `SELECT u.id, u.filename, u.content_type, u.size,
			coalesce((SELECT m.sender = 'caseworker' FROM message m WHERE m.id = u.message_id), false), u.field_key
		FROM upload u WHERE u.case_id = $1 ORDER BY u.created_at, u.id`, caseID)
	message.QueueThread(b, caseID, &out.Messages)
	out.Decisions = map[string]PartDecision{}
	b.Queue(`SELECT kind, key, decision, coalesce(ground, '') FROM disclosure_part WHERE request_id = $1 AND case_id = $2`,
		requestID, caseID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var kind, key string
			var d PartDecision
			if err := rows.Scan(&kind, &key, &d.Decision, &d.Ground); err != nil {
				return err
			}
			out.Decisions[partID(kind, key)] = d
		}
		return rows.Err()
	})
}

// Part is one answer, file or message of a linked case, with what is decided on it.
type Part struct {
	Kind     string // PartAnswer, PartFile or PartMessage
	Key      string // the field key, or the file's or message's id
	Group    string // the step's title for an answer
	Label    string // the field's label, the file's name, or who wrote the message
	Values   []string
	At       time.Time // of a message
	FromUser bool      // a message or file from the applicant
	PartDecision
	Default bool // no decision of the registrar's own: the default
}

// ID names the part in forms: kind:key.
func (p Part) ID() string { return partID(p.Kind, p.Key) }

// InputID names the part's inputs in a page (kind-key), and the errors of DecideParts: the
// decision "beslut-<InputID>", the ground "grund-<InputID>".
func (p Part) InputID() string { return p.Kind + "-" + p.Key }

// Options are the decisions a part allows: a file is released or withheld as a whole.
func (p Part) Options() []string {
	if p.Kind == PartFile {
		return []string{Release, Withhold}
	}
	return Decisions
}

// identifying reports whether a field can identify or locate the person who fills it in.
func identifying(f form.Field) bool {
	switch f.Type {
	case form.PersonalNumber, form.Address, form.Contact, form.Email, form.Phone:
		return true
	case form.ShortText:
		return f.Prefill
	}
	return f.Personal
}

// parts lists the parts of a case in the language, each with its decision: the registrar's own,
// or the default. By default everything is released, except, when the applicant has a protected
// identity, what can identify or locate them: the answers that name, number or locate a person,
// the applicant's messages (masked) and files (withheld), on the protected-identity ground.
func (c *caseData) parts(lang string, set Settings) []Part {
	p := i18n.For(lang)
	def := c.Version.Definition
	var out []Part
	decide := func(part Part, protect bool) {
		if d, ok := c.Decisions[part.ID()]; ok {
			part.PartDecision = d
		} else {
			part.Default = true
			part.PartDecision = PartDecision{Decision: Release}
			if protect && c.Protected {
				part.PartDecision = PartDecision{Decision: Mask, Ground: set.protectedGround()}
				if part.Kind == PartFile {
					part.Decision = Withhold
				}
			}
		}
		out = append(out, part)
	}
	if def != nil {
		for _, st := range def.Summary(c.Answers, lang, func(key string) string { return p.T(key) }) {
			for _, item := range st.Items {
				if item.Type == form.File {
					continue // the files are parts of their own
				}
				f, _ := def.Field(item.Field)
				decide(Part{Kind: PartAnswer, Key: item.Field, Group: st.Title, Label: item.Label, Values: item.Values}, identifying(f))
			}
		}
	}
	for _, f := range c.Files {
		decide(Part{Kind: PartFile, Key: f.ID.String(), Label: f.Name, Values: []string{byteSize(f.Size, lang)}, FromUser: !f.FromStaff}, !f.FromStaff)
	}
	for _, m := range c.Messages {
		fromUser := m.Sender == message.Citizen
		who := p.T("public.message.municipality")
		if fromUser {
			who = p.T("public.message.applicant")
		}
		decide(Part{Kind: PartMessage, Key: m.ID.String(), Label: who, Values: []string{m.Body}, At: m.CreatedAt, FromUser: fromUser}, fromUser)
	}
	return out
}

// Document is a linked case as the registrar reviews it.
type Document struct {
	Request     Request
	CaseID      uuid.UUID
	Reference   string
	EService    string
	SubmittedAt time.Time
	Protected   bool
	Anonymous   bool
	Parts       []Part
	Settings    Settings
}

// ReadDocument reads a case linked to a request of the registrar's municipality, with each part
// and its decision, in the language lang, and records the read in the audit log, in one round
// trip whose implicit transaction holds the reads and the record. A case not linked to the
// request is not found, and nothing is recorded.
func (s *Store) ReadDocument(ctx context.Context, m staff.Member, requestID, caseID uuid.UUID, lang string) (Document, error) {
	if err := registrar(m); err != nil {
		return Document{}, err
	}
	var d Document
	var c caseData
	foundReq, foundCase := false, false
	b := &pgx.Batch{}
	queueRequest(b, `q.id = $1 AND q.tenant_id = $2`, []any{requestID, m.TenantID}, &d.Request, &foundReq)
	queueCase(b, m.TenantID, requestID, caseID, &c, &foundCase)
	queueSettings(b, m.TenantID, &d.Settings)
	audit.QueueWrite(b, audit.Record{TenantID: m.TenantID, StaffID: m.ID, StaffName: m.Name, StaffUnit: m.Unit,
		Role: staff.Registrar, CaseID: caseID, What: audit.Case, Detail: "request:" + requestID.String()},
		`EXISTS (SELECT 1 FROM disclosure_document d WHERE d.request_id = $9 AND d.case_id = $6)`, requestID)
	if err := db.Run(ctx, s.db, b); err != nil {
		return Document{}, err
	}
	if !foundReq || !foundCase {
		return Document{}, ErrNotFound
	}
	d.CaseID, d.Reference, d.SubmittedAt = c.ID, c.Reference, c.SubmittedAt
	d.EService, d.Protected, d.Anonymous = c.EService.Title.In(lang), c.Protected, c.Anonymous
	d.Parts = c.parts(lang, d.Settings)
	return d, nil
}

// Decide is the registrar's decisions on parts of a case, by Part.ID.
type Decide map[string]PartDecision

// DecideParts stores the registrar's decisions on the parts of a case linked to an open request:
// each part given must be one of the case's, each masking or withholding must name one of the
// municipality's grounds. Every decision that changes is an event in the request's log, in the
// same transaction. Nothing is stored when one is refused; the errors name the parts' inputs
// (see Part.InputID).
func (s *Store) DecideParts(ctx context.Context, m staff.Member, requestID, caseID uuid.UUID, in Decide) error {
	return s.openRequest(ctx, m, requestID, func(tx pgx.Tx) error {
		var c caseData
		var set Settings
		found := false
		b := &pgx.Batch{}
		queueCase(b, m.TenantID, requestID, caseID, &c, &found)
		queueSettings(b, m.TenantID, &set)
		if err := db.Run(ctx, tx, b); err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		parts := c.parts(string(i18n.Default), set)
		var errs apperr.FieldErrors
		type change struct {
			part Part
			to   PartDecision
		}
		var changes []change
		for _, p := range parts {
			d, ok := in[p.ID()]
			if !ok {
				continue
			}
			switch {
			case !slices.Contains(p.Options(), d.Decision):
				errs.Add("beslut-"+p.InputID(), "error.public.decision")
				continue
			case d.Decision == Release:
				d.Ground = ""
			case d.Ground == "":
				errs.Add("grund-"+p.InputID(), "error.public.ground")
				continue
			default:
				if _, ok := set.Ground(d.Ground); !ok {
					errs.Add("grund-"+p.InputID(), "error.public.ground")
					continue
				}
			}
			if d != p.PartDecision || p.Default {
				changes = append(changes, change{p, d})
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		for _, ch := range changes {
			var ground *string
			if ch.to.Ground != "" {
				ground = &ch.to.Ground
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO disclosure_part (request_id, case_id, kind, key, decision, ground, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (request_id, case_id, kind, key) DO UPDATE SET decision = $5, ground = $6, decided_by = $7, decided_at = now()`,
				requestID, caseID, ch.part.Kind, ch.part.Key, ch.to.Decision, ground, m.ID); err != nil {
				return fmt.Errorf("disclosure: part: %w", err)
			}
			if ch.to == ch.part.PartDecision {
				continue // a default made the registrar's own: nothing changes
			}
			if err := event(ctx, tx, m.TenantID, requestID, &m, "part_decided", map[string]any{"case": c.Reference,
				"part": ch.part.Kind, "key": ch.part.Key, "decision": ch.to.Decision, "ground": ch.to.Ground}); err != nil {
				return err
			}
		}
		return nil
	})
}

// byteSize formats a file size as the pages do, with a decimal comma except in English.
func byteSize(n int64, lang string) string {
	switch {
	case n >= 1<<20:
		s := fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		if lang != "en" {
			s = string(replaceDot([]byte(s)))
		}
		return s
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func replaceDot(b []byte) []byte {
	if i := slices.Index(b, '.'); i >= 0 {
		b[i] = ','
	}
	return b
}

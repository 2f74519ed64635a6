// Package disclosure handles requests for public documents (begäran om allmän handling) and
// their secrecy review (sekretessprövning).
//
// Anyone may ask, logged in or not and without giving a name, for documents named by reference
// number or described by e-service, period and subject. The request is a case of its own for the
// municipality's registrars. A registrar searches the municipality's cases (each search and each
// read an audit record), links the cases asked for to the request, and decides for each answer,
// file and message whether it is released, masked or withheld, and on which ground of the
// Public Access to Information and Secrecy Act (OSL). The answer is a PDF made from the data, in
// which masked content is absent, with a note of the ground at each masking; a refusal, whole or
// in part, is a written decision with how to appeal. A second registrar may have to approve.
// Every step is an event in an append-only log that the municipality admin reads.
//
// Drafts are never public documents: nothing here reads the draft table, and only cases
// (submitted e-services) can be found or linked.
package disclosure

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/staff"
)

// How the requester wants the answer.
const (
	DeliveryMyPages = "mypages" // to download on Mina sidor: a logged-in requester only
	DeliveryLink    = "link"    // to download through the secret link given at the request
	DeliveryEmail   = "email"   // by e-mail, the documents attached
	DeliveryPost    = "post"    // by post, printed by the registrar
)

// Deliveries lists the ways of delivery.
var Deliveries = []string{DeliveryMyPages, DeliveryLink, DeliveryEmail, DeliveryPost}

// States of a request.
const (
	StateReceived = "received" // open: the registrars' queue
	StateProposed = "proposed" // answered, waiting for a second registrar's approval
	StateDecided  = "decided"  // answered and released
)

// What a registrar decides on a part of a document.
const (
	Release  = "release"  // shown as it is
	Mask     = "mask"     // its content is absent; a note of the ground is at its place
	Withhold = "withhold" // the part is held back entirely; a note of the ground is at its place
)

// Decisions lists the decisions on a part.
var Decisions = []string{Release, Mask, Withhold}

// Kinds of part of a document.
const (
	PartAnswer  = "answer"
	PartFile    = "file"
	PartMessage = "message"
)

// Outcomes of a request.
const (
	OutcomeReleased = "released" // everything asked for, as it is
	OutcomePartly   = "partly"   // released in part: something masked or withheld
	OutcomeRefused  = "refused"  // nothing released
)

// Outcomes lists the outcomes.
var Outcomes = []string{OutcomeReleased, OutcomePartly, OutcomeRefused}

// Errors.
var (
	ErrNotFound = apperr.New(apperr.NotFound, "")
	// ErrNotRegistrar is a registrar's action by someone who is not one.
	ErrNotRegistrar = apperr.New(apperr.Forbidden, "")
	// ErrClosed is a change of a request that is already answered.
	ErrClosed = apperr.New(apperr.Conflict, "error.public.closed")
	// ErrSameRegistrar is an approval by the registrar who made the decision.
	ErrSameRegistrar = apperr.New(apperr.Conflict, "error.public.same")
	// ErrNotProposed is an approval of a request that waits for none.
	ErrNotProposed = apperr.New(apperr.Conflict, "error.public.notproposed")
)

// Store reads and writes requests and their review.
type Store struct {
	db      db.Querier
	notices notify.Outbox
	now     func() time.Time
}

// NewStore returns a store on q that tells requesters through notices (nil: none are sent).
func NewStore(q db.Querier, notices notify.Outbox) *Store {
	return &Store{db: q, notices: notices, now: time.Now}
}

// WithClock returns the store with another clock, for tests of times.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// registrar checks that m is a registrar.
func registrar(m staff.Member) error {
	if !m.Has(staff.Registrar) {
		return ErrNotRegistrar
	}
	return nil
}

// event appends a step of a request's handling to its log, in tx.
func event(ctx context.Context, tx pgx.Tx, tenantID, requestID uuid.UUID, m *staff.Member, kind string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	var staffID *uuid.UUID
	name := ""
	if m != nil {
		staffID, name = &m.ID, m.Name
	}
	_, err := tx.Exec(ctx, `INSERT INTO disclosure_event (tenant_id, request_id, staff_id, staff_name, kind, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`, tenantID, requestID, staffID, name, kind, detail)
	return err
}

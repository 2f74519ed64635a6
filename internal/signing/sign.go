package signing

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/signature"
	"github.com/minasidor/minasidor/internal/tenant"
)

// A signature's SAML exchange, like a login's, runs on the installation's address (the one the
// IdP knows), whichever municipality's host the signer is on:
//
//  1. Send (the applicant) or Start (a co-signer), on the signer's host: a pending signature
//     holding the content's hash and the sign message.
//  2. Begin, on the installation's host: the SAML request, bound to a cookie of that host (at
//     once, in step 1, when the signer is on that host).
//  3. Finish, at the assertion consumer: the IdP's answer checked against both, the signature
//     kept, and the browser sent back to the page it came from on its own host.

// pending stores a started signature of party p over content c with msg, and begins its SAML
// exchange when direct.
func (s *Store) pending(ctx context.Context, tx pgx.Tx, p Party, accountID uuid.UUID, c Content, msg, origin, returnPath string, direct bool) (Next, error) {
	handle := randomToken()
	var requestID, redirect string
	var binding string
	var bindingHash []byte
	if direct {
		var err error
		if redirect, requestID, err = s.eid.Request(msg, RelayPrefix+handle); err != nil {
			return Next{}, err
		}
		binding = randomToken()
		bindingHash = hashToken(binding)
	} else {
		u := *s.base
		u.Path = "/saml/signera"
		u.RawQuery = url.Values{"h": {handle}}.Encode()
		redirect = u.String()
	}
	origin, err := s.knownOrigin(ctx, tx, origin)
	if err != nil {
		return Next{}, err
	}
	var reqID any
	if requestID != "" {
		reqID = requestID
	}
	_, err = tx.Exec(ctx, `
		WITH gone AS (DELETE FROM sign_pending WHERE created_at < now() - $10::interval)
		INSERT INTO sign_pending (handle, party_id, account_id, content_hash, sign_message, origin, return_path, request_id, binding)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		handle, p.ID, accountID, c.Hash, msg, origin, returnPath, reqID, bindingHash, PendingLifetime.String())
	if err != nil {
		return Next{}, fmt.Errorf("signing: pending: %w", err)
	}
	return Next{Redirect: redirect, Binding: binding}, nil
}

// knownOrigin is the origin a signer returns to: the one given when its host is the
// installation's or a municipality's, and the installation's address otherwise (so that a
// signature's return is never an open redirect).
func (s *Store) knownOrigin(ctx context.Context, q db.Querier, origin string) (string, error) {
	u, err := url.Parse(origin)
	base := strings.TrimRight(s.base.String(), "/")
	if err != nil || u.Host == "" {
		return base, nil
	}
	host := tenant.NormalizeHost(u.Host)
	if host == tenant.NormalizeHost(s.base.Host) {
		return s.base.Scheme + "://" + u.Host, nil
	}
	var known bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tenant_host WHERE host = $1)`, host).Scan(&known); err != nil {
		return "", fmt.Errorf("signing: origin: %w", err)
	}
	if !known {
		return base, nil
	}
	return s.base.Scheme + "://" + u.Host, nil
}

// Begin makes the SAML request of a pending signature started on another host, on the
// installation's host, and returns the address of the IdP and the cookie that binds the exchange
// to this browser. A pending signature makes one request only.
func (s *Store) Begin(ctx context.Context, handle string) (Next, error) {
	var msg string
	err := s.db.QueryRow(ctx, `SELECT sign_message FROM sign_pending WHERE handle = $1 AND request_id IS NULL AND created_at >= now() - $2::interval`,
		handle, PendingLifetime.String()).Scan(&msg)
	if errors.Is(err, pgx.ErrNoRows) {
		return Next{}, &FinishError{Reason: ReasonExpired}
	}
	if err != nil {
		return Next{}, fmt.Errorf("signing: begin: %w", err)
	}
	redirect, requestID, err := s.eid.Request(msg, RelayPrefix+handle)
	if err != nil {
		return Next{}, err
	}
	binding := randomToken()
	tag, err := s.db.Exec(ctx, `UPDATE sign_pending SET request_id = $2, binding = $3 WHERE handle = $1 AND request_id IS NULL`,
		handle, requestID, hashToken(binding))
	if err != nil {
		return Next{}, fmt.Errorf("signing: begin: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Next{}, &FinishError{Reason: ReasonExpired}
	}
	return Next{Redirect: redirect, Binding: binding}, nil
}

// Reasons a signature was not made, for the page that says so (signing.failed.<reason>).
const (
	ReasonExpired     = "expired"     // no pending signature for this browser, or too old
	ReasonCancelled   = "cancelled"   // the signer cancelled at the IdP
	ReasonWrongSigner = "wrongSigner" // someone else authenticated
	ReasonChanged     = "changed"     // the draft changed after the signer read it
	ReasonClosed      = "closed"      // the draft is no longer out for signing, or gone
	ReasonRefused     = "refused"     // the IdP's answer is not accepted
	ReasonNotEligible = "notEligible" // the register no longer names the signer (Problem says why)
)

// Reasons lists the reasons a signature was not made.
var Reasons = []string{ReasonExpired, ReasonCancelled, ReasonWrongSigner, ReasonChanged, ReasonClosed, ReasonRefused, ReasonNotEligible}

// FinishError is a signature that was not made, with where to go back to.
type FinishError struct {
	Reason   string
	Return   string        // the page the signer came from, on their host; "" when unknown
	Expected string        // the name of who must sign
	Actual   string        // the name of who authenticated, for ReasonWrongSigner
	Problem  *ProblemError // for ReasonNotEligible
	Cause    error         // for the log: never a personal identity number or the response
}

func (e *FinishError) Error() string {
	return fmt.Sprintf("signing: signature not made (%s): %v", e.Reason, e.Cause)
}

// Finished is a signature made.
type Finished struct {
	Return    string    // the page the signer came from, on their host
	Role      string    // the signer's role
	Submitted uuid.UUID // the case, when this signature was the last one
	CaseRef   string
}

// Finish checks the IdP's answer posted to the assertion consumer, for the browser holding
// binding, and keeps the signature: in one transaction with the content's hash checked again,
// the applicant's signature sends the draft for signing, and the last signature submits the case.
// The pending signature is used up whatever the outcome. Every failure is a *FinishError.
func (s *Store) Finish(ctx context.Context, form url.Values, binding string) (Finished, error) {
	handle, ok := strings.CutPrefix(form.Get("RelayState"), RelayPrefix)
	if !ok || handle == "" || binding == "" {
		return Finished{}, &FinishError{Reason: ReasonExpired, Cause: errors.New("no relay state or no binding cookie")}
	}
	var pd struct {
		party, account uuid.UUID
		hash           []byte
		msg, origin    string
		ret, requestID string
		binding        []byte
		created        time.Time
	}
	var reqID *string
	err := s.db.QueryRow(ctx, `
		DELETE FROM sign_pending WHERE handle = $1
		RETURNING party_id, account_id, content_hash, sign_message, origin, return_path, request_id, binding, created_at`, handle).
		Scan(&pd.party, &pd.account, &pd.hash, &pd.msg, &pd.origin, &pd.ret, &reqID, &pd.binding, &pd.created)
	if errors.Is(err, pgx.ErrNoRows) {
		return Finished{}, &FinishError{Reason: ReasonExpired, Cause: errors.New("no pending signature (used, or unknown)")}
	}
	if err != nil {
		return Finished{}, fmt.Errorf("signing: take pending: %w", err)
	}
	back := strings.TrimRight(pd.origin, "/") + pd.ret
	fail := func(reason string, cause error) (Finished, error) {
		return Finished{}, &FinishError{Reason: reason, Return: back, Cause: cause}
	}
	switch {
	case reqID == nil:
		return fail(ReasonExpired, errors.New("pending signature never begun"))
	case subtle.ConstantTimeCompare(pd.binding, hashToken(binding)) != 1:
		return fail(ReasonExpired, errors.New("answer posted by another browser"))
	case time.Since(pd.created) > PendingLifetime:
		return fail(ReasonExpired, errors.New("pending signature too old"))
	}
	p, g, err := partyByID(ctx, s.db, pd.party)
	if err != nil || g.DraftID == nil {
		return fail(ReasonClosed, err)
	}
	c, err := loadContent(ctx, s.db, *g.DraftID)
	if err != nil {
		return fail(ReasonClosed, err)
	}
	ev, err := s.eid.Verify(ctx, form, signature.Expected{RequestID: *reqID, Message: pd.msg, Signer: p.PersonalNumber})
	var wrong *signature.WrongSignerError
	switch {
	case errors.As(err, &wrong):
		return Finished{}, &FinishError{Reason: ReasonWrongSigner, Return: back, Expected: p.Name, Actual: wrong.Name, Cause: err}
	case errors.Is(err, signature.ErrCancelled):
		return fail(ReasonCancelled, err)
	case err != nil:
		return fail(ReasonRefused, err)
	}
	if err := s.mayStillSign(ctx, c, p); err != nil {
		var pe *ProblemError
		errors.As(err, &pe)
		return Finished{}, &FinishError{Reason: ReasonNotEligible, Return: back, Problem: pe, Cause: err}
	}
	done := Finished{Return: back, Role: p.Role}
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		g, err := signingOfDraft(ctx, tx, *g.DraftID, true)
		if err != nil || g == nil {
			return &FinishError{Reason: ReasonClosed, Return: back, Cause: err}
		}
		c, err := loadContent(ctx, tx, *g.DraftID)
		if err != nil {
			return err
		}
		if !hashEqual(c.Hash, pd.hash) {
			return &FinishError{Reason: ReasonChanged, Return: back, Cause: errors.New("content changed while signing")}
		}
		if p.Role != RoleApplicant && (g.State != StateSent || !hashEqual(g.ContentHash, c.Hash)) {
			return &FinishError{Reason: ReasonClosed, Return: back, Cause: errors.New("not out for signing")}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO signature (party_id, tenant_id, signed_at, personal_number, name, content_hash, sign_message, response,
				issuer, certificate, loa, assertion_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			p.ID, g.TenantID, s.now(), ev.PersonalNumber, nameOr(ev.Name, p.Name), c.Hash, pd.msg, ev.Response,
			ev.Issuer, ev.Certificate, ev.LoA, ev.AssertionID); err != nil {
			return fmt.Errorf("signing: keep signature: %w", err)
		}
		ps, err := parties(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		if p.Role == RoleApplicant {
			done.Submitted, err = s.send(ctx, tx, *g, c, ps)
			return err
		}
		for _, q := range ps {
			if !q.Valid(c.Hash) {
				return nil // others have still to sign
			}
		}
		done.Submitted, err = s.submit(ctx, tx, *g, c, ps)
		return err
	})
	if err != nil {
		return Finished{}, err
	}
	return done, nil
}

func nameOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// partyByID reads a party with its signing, in one round trip.
func partyByID(ctx context.Context, q db.Querier, id uuid.UUID) (Party, Signing, error) {
	var g Signing
	var ps []Party
	found := false
	if err := db.Read(ctx, q, func(b *pgx.Batch) { queueOfParty(b, id, &g, &found, &ps) }); err != nil {
		return Party{}, g, fmt.Errorf("signing: party: %w", err)
	}
	p, ok := partyIn(ps, id)
	if !found || !ok {
		return Party{}, g, ErrNotFound
	}
	return p, g, nil
}

// queueOfParty queues on b the reading of the signing of the party with the id, and of its
// parties.
func queueOfParty(b *pgx.Batch, id uuid.UUID, g *Signing, found *bool, ps *[]Party) {
	const signingID = `(SELECT signing_id FROM signing_party WHERE id = $1)`
	queueSigning(b, `g.id = `+signingID, id, g, found)
	queueParties(b, signingID, id, ps)
}

// partyIn finds the party with the id among ps.
func partyIn(ps []Party, id uuid.UUID) (Party, bool) {
	for _, p := range ps {
		if p.ID == id {
			return p, true
		}
	}
	return Party{}, false
}

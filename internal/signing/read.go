package signing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
)

// Review is what the applicant's review and signing pages show of a draft's signing: the content
// as it is now, who must sign by the rule today (the plan), and the signing so far, if the draft
// has been sent.
type Review struct {
	Content   Content
	Plan      Plan
	Signing   *Signing
	Parties   []Party
	Applicant string
}

// ForApplicant reads the signing of the account's draft, in one round trip. withPlan asks the
// registers who must sign today, for the review page.
func (s *Store) ForApplicant(ctx context.Context, draftID, accountID uuid.UUID, withPlan bool) (Review, error) {
	d, err := s.draftSigning(ctx, draftID, accountID)
	if err != nil {
		return Review{}, err
	}
	r := Review{Content: d.content, Signing: d.signing, Parties: d.parties, Applicant: d.applicant.Name}
	if withPlan && d.content.Rule.Required() && d.content.Draft.CaseID == nil {
		r.Plan, err = s.Plan(ctx, d.content, d.applicant.PersonalNumber)
	}
	return r, err
}

// draftRead is the content of an account's draft with its applicant, and its signing with the
// parties, if it has one.
type draftRead struct {
	content   Content
	applicant applicantInfo
	signing   *Signing
	parties   []Party
}

// draftSigning reads the content of the account's draft, the account, the draft's signing and
// the signing's parties in one batch; another account's draft is not found.
func (s *Store) draftSigning(ctx context.Context, draftID, accountID uuid.UUID) (draftRead, error) {
	var d draftRead
	var cr contentRead
	var g Signing
	hasSigning := false
	if err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueContent(b, draftID, &cr)
		queueAccount(b, `$1`, accountID, &d.applicant)
		queueSigning(b, `g.draft_id = $1`, draftID, &g, &hasSigning)
		queueParties(b, `(SELECT id FROM signing WHERE draft_id = $1)`, draftID, &d.parties)
	}); err != nil {
		return draftRead{}, fmt.Errorf("signing: draft's signing: %w", err)
	}
	c, err := cr.content()
	if err != nil {
		return draftRead{}, err
	}
	if c.Draft.AccountID == nil || *c.Draft.AccountID != accountID || d.applicant.ID == uuid.Nil {
		return draftRead{}, ErrNotFound
	}
	d.content = c
	if hasSigning {
		d.signing = &g
	}
	return d, nil
}

// Given is what a draft's step pages say of its signatures before a change: who has signed the
// draft as it is now (a change voids those signatures), and whether it is out for signing.
type Given struct {
	Signers []string // the names of those whose signature counts for the content as it is
	Sent    bool     // out for signing, unchanged since it was sent
}

// GivenOf reads who has signed the account's draft as it is now, in one round trip; nobody for
// anyone else's draft.
func (s *Store) GivenOf(ctx context.Context, draftID, accountID uuid.UUID) (Given, error) {
	var gv Given
	d, err := s.draftSigning(ctx, draftID, accountID)
	if errors.Is(err, ErrNotFound) {
		return gv, nil
	}
	if err != nil || d.signing == nil {
		return gv, err
	}
	for _, p := range d.parties {
		if p.Valid(d.content.Hash) {
			gv.Signers = append(gv.Signers, p.Signature.Name)
		}
	}
	gv.Sent = d.signing.State == StateSent && hashEqual(d.signing.ContentHash, d.content.Hash)
	return gv, nil
}

// Waiting are the parties who have not signed the content whose hash is given.
func Waiting(ps []Party, hash []byte) []Party {
	var out []Party
	for _, p := range ps {
		if !p.Valid(hash) {
			out = append(out, p)
		}
	}
	return out
}

// SignerPage is a co-signer's page of a draft to sign.
type SignerPage struct {
	Party     Party
	Signing   Signing
	Parties   []Party
	Applicant string
	// Content is the draft as it is now; nil when it is gone, and for anyone who may not see it.
	Content *Content
	CaseRef string // once submitted
	// Problem says why the person logged in may not sign (and sees nothing of the content): not
	// the person who must sign, or no longer a guardian of the child.
	Problem *ProblemError
	// CanSign: out for signing, unchanged since it was sent, and not signed or declined yet.
	CanSign bool
}

// ForSigner reads the page of party for the person logged in with accountID, in two round trips:
// the signing, and the content for its own person. Only the party's own person sees the content;
// anyone else is told why they cannot sign.
func (s *Store) ForSigner(ctx context.Context, partyID, accountID uuid.UUID) (SignerPage, error) {
	var v SignerPage
	var applicant, viewer applicantInfo
	found := false
	if err := db.Read(ctx, s.db, func(b *pgx.Batch) {
		queueOfParty(b, partyID, &v.Signing, &found, &v.Parties)
		queueAccount(b, `(SELECT g.account_id FROM signing g JOIN signing_party p ON p.signing_id = g.id WHERE p.id = $1)`, partyID, &applicant)
		queueAccount(b, `$1`, accountID, &viewer)
		db.QueueOptional(b, nil, func(row pgx.Row) error { return row.Scan(&v.CaseRef) },
			`SELECT c.reference FROM cases c JOIN signing g ON g.case_id = c.id JOIN signing_party p ON p.signing_id = g.id
			WHERE p.id = $1`, partyID)
	}); err != nil {
		return v, fmt.Errorf("signing: signer's page: %w", err)
	}
	p, ok := partyIn(v.Parties, partyID)
	if !found || !ok || viewer.ID == uuid.Nil {
		return v, ErrNotFound
	}
	g := v.Signing
	v.Party, v.Applicant = p, applicant.Name
	if viewer.PersonalNumber != p.PersonalNumber || p.Role == RoleApplicant {
		v.CaseRef = "" // read with the rest, but not told to someone else
		v.Problem = &ProblemError{Key: "signing.problem.wrongPerson." + p.Role, Args: []any{p.Name, viewer.Name}}
		return v, nil
	}
	if g.DraftID == nil {
		return v, nil
	}
	c, err := loadContent(ctx, s.db, *g.DraftID)
	if errors.Is(err, ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	if g.State == StateSent {
		if err := s.mayStillSign(ctx, c, p); err != nil {
			var pe *ProblemError
			if !errors.As(err, &pe) {
				return v, err
			}
			v.Problem = pe
			return v, nil
		}
	}
	v.Content = &c
	v.CanSign = g.State == StateSent && hashEqual(g.ContentHash, c.Hash) && !p.Valid(c.Hash) && p.DeclinedAt == nil
	return v, nil
}

// FileOfSigner returns a file of the content the party is asked to sign, to its own person.
func (s *Store) FileOfSigner(ctx context.Context, partyID, accountID, fileID uuid.UUID) (File, []byte, error) {
	v, err := s.ForSigner(ctx, partyID, accountID)
	if err != nil {
		return File{}, nil, err
	}
	if v.Content == nil {
		return File{}, nil, ErrNotFound
	}
	for _, f := range v.Content.Files {
		if f.ID == fileID {
			var data []byte
			err := s.db.QueryRow(ctx, `SELECT data FROM upload WHERE id = $1 AND draft_id = $2`, fileID, v.Content.Draft.ID).Scan(&data)
			if errors.Is(err, pgx.ErrNoRows) {
				return File{}, nil, ErrNotFound
			}
			return f, data, err
		}
	}
	return File{}, nil, ErrNotFound
}

// ToSign is a draft the person is asked to sign, as Mina sidor lists it.
type ToSign struct {
	PartyID      uuid.UUID
	EService     form.Text
	Municipality string
	Applicant    string
	DeadlineAt   time.Time
	Signed       bool // signed already: waiting for the others
}

// QueueToSign queues on b the reading of the drafts out for signing that the account's holder
// is asked to sign, the nearest deadline first.
func QueueToSign(b *pgx.Batch, accountID uuid.UUID, out *[]ToSign) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (ToSign, error) {
		var t ToSign
		err := r.Scan(&t.PartyID, &t.EService, &t.Municipality, &t.Applicant, &t.DeadlineAt, &t.Signed)
		return t, err
	}, `
		SELECT p.id, e.title, t.name, a.display_name, g.deadline_at,
			EXISTS (SELECT 1 FROM signature x WHERE x.party_id = p.id AND x.content_hash = g.content_hash)
		FROM signing_party p
		JOIN signing g ON g.id = p.signing_id
		JOIN eservice e ON e.id = g.eservice_id
		JOIN tenant t ON t.id = g.tenant_id
		JOIN account a ON a.id = g.account_id
		WHERE p.personal_number = (SELECT personal_number FROM account WHERE id = $1)
			AND p.role <> 'applicant' AND g.state = 'sent' AND g.draft_id IS NOT NULL AND p.declined_at IS NULL
		ORDER BY g.deadline_at, p.id`, accountID)
}

// Awaiting is a draft of the account's out for signing, or back from it.
type Awaiting struct {
	DraftID      uuid.UUID
	EService     form.Text
	Municipality string
	State        string
	DeadlineAt   *time.Time
}

// QueueAwaiting queues on b the reading of the account's drafts sent for signing (or returned).
func QueueAwaiting(b *pgx.Batch, accountID uuid.UUID, out *[]Awaiting) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Awaiting, error) {
		var a Awaiting
		err := r.Scan(&a.DraftID, &a.EService, &a.Municipality, &a.State, &a.DeadlineAt)
		return a, err
	}, `
		SELECT g.draft_id, e.title, t.name, g.state, g.deadline_at
		FROM signing g JOIN eservice e ON e.id = g.eservice_id JOIN tenant t ON t.id = g.tenant_id
		WHERE g.account_id = $1 AND g.state IN ('sent', 'returned') AND g.draft_id IS NOT NULL
		ORDER BY g.sent_at DESC, g.id`, accountID)
}

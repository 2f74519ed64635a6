// Package draft holds forms being filled in. A draft is saved on every step and is private to its
// owner: an account, or for a visitor a random key kept in the visitor's session. Anyone else,
// staff included, gets not found. A draft is not a public document.
package draft

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/virusscan"
)

// Draft is a form being filled in.
type Draft struct {
	ID          uuid.UUID
	TenantID    uuid.UUID
	EServiceID  uuid.UUID
	VersionID   uuid.UUID
	AccountID   *uuid.UUID
	CaseID      *uuid.UUID // set when the draft supplements a submitted case
	Answers     form.Answers
	CurrentStep string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Saved reports whether the draft is kept for its owner's account (listed on Mina sidor).
func (d Draft) Saved() bool { return d.AccountID != nil }

// Owner is who may see a draft: a logged-in account, or a visitor's session key.
type Owner struct {
	AccountID  uuid.UUID
	SessionKey []byte
}

func (o Owner) args() (any, any) {
	var account, key any
	if o.AccountID != uuid.Nil {
		account = o.AccountID
	}
	if len(o.SessionKey) > 0 {
		key = o.SessionKey
	}
	return account, key
}

// ErrNotFound is returned for a draft that does not exist or is not the caller's.
var ErrNotFound = apperr.New(apperr.NotFound, "")

// Store reads and writes drafts.
type Store struct {
	db       db.Querier
	bookings *booking.Store   // holds the times picked in booking fields; nil: none are held
	scan     *virusscan.Guard // scans uploads before they are stored; nil scans nothing
}

// NewStore returns a store on q (a pool, or a transaction).
func NewStore(q db.Querier) *Store { return &Store{db: q} }

// WithScanner returns the store with uploads scanned for viruses by g before they are stored.
func (s *Store) WithScanner(g *virusscan.Guard) *Store {
	c := *s
	c.scan = g
	return &c
}

// Create starts a draft of an e-service version for its owner.
func (s *Store) Create(ctx context.Context, tenantID, eserviceID, versionID uuid.UUID, owner Owner, firstStep string) (Draft, error) {
	account, key := owner.args()
	if account == nil && key == nil {
		return Draft{}, errors.New("draft: no owner")
	}
	if account != nil {
		key = nil // a logged-in owner keeps the draft in the account
	}
	row := s.db.QueryRow(ctx, `
		INSERT INTO draft (tenant_id, eservice_id, version_id, account_id, session_key, current_step)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+columns,
		tenantID, eserviceID, versionID, account, key, firstStep)
	return scan(row)
}

const columns = `id, tenant_id, eservice_id, version_id, account_id, case_id, answers, current_step, created_at, updated_at`

// ownedBy is the condition that the draft belongs to the owner.
const ownedBy = `((account_id IS NOT NULL AND account_id = $2) OR (session_key IS NOT NULL AND session_key = $3))`

// ForSupplement returns the account's draft that supplements the case, starting it from the
// case's answers on the case's own version if there is none.
func (s *Store) ForSupplement(ctx context.Context, tenantID, eserviceID, versionID, caseID, accountID uuid.UUID, answers form.Answers, firstStep string) (Draft, error) {
	b, err := json.Marshal(answers)
	if err != nil {
		return Draft{}, err
	}
	return scan(s.db.QueryRow(ctx, `
		INSERT INTO draft (tenant_id, eservice_id, version_id, account_id, case_id, answers, current_step)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (case_id) WHERE case_id IS NOT NULL DO UPDATE SET updated_at = draft.updated_at
		RETURNING `+columns, tenantID, eserviceID, versionID, accountID, caseID, b, firstStep))
}

// Get returns the owner's draft.
func (s *Store) Get(ctx context.Context, id uuid.UUID, owner Owner) (Draft, error) {
	account, key := owner.args()
	return scan(s.db.QueryRow(ctx, `SELECT `+columns+` FROM draft WHERE id = $1 AND `+ownedBy, id, account, key))
}

// Save stores the answers and the step the owner is on.
func (s *Store) Save(ctx context.Context, id uuid.UUID, owner Owner, answers form.Answers, step string) (Draft, error) {
	account, key := owner.args()
	b, err := json.Marshal(answers)
	if err != nil {
		return Draft{}, err
	}
	return scan(s.db.QueryRow(ctx, `
		UPDATE draft SET answers = $4, current_step = $5, updated_at = now()
		WHERE id = $1 AND `+ownedBy+` RETURNING `+columns, id, account, key, b, step))
}

// ClaimSession moves a visitor's drafts into the account they have now logged in with, so that
// they can be saved and resumed.
func (s *Store) ClaimSession(ctx context.Context, sessionKey []byte, accountID uuid.UUID) error {
	_, err := s.db.Exec(ctx, `
		UPDATE draft SET account_id = $2, session_key = NULL, updated_at = now()
		WHERE session_key = $1`, sessionKey, accountID)
	if err != nil {
		return fmt.Errorf("draft: claim: %w", err)
	}
	return nil
}

// Delete removes the owner's draft and its files, and gives back the times held for its booking
// fields (the holds go with the draft, and their trigger gives their places back).
func (s *Store) Delete(ctx context.Context, id uuid.UUID, owner Owner) error {
	account, key := owner.args()
	tag, err := s.db.Exec(ctx, `DELETE FROM draft WHERE id = $1 AND `+ownedBy, id, account, key)
	if err != nil {
		return fmt.Errorf("draft: delete: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Listed is a saved draft as Mina sidor lists it.
type Listed struct {
	ID           uuid.UUID
	CaseRef      string // for a supplement: the reference of the case it supplements
	Title        form.Text
	Municipality string
	CurrentStep  string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	answers      form.Answers
	definition   *form.Definition // of the draft's version
}

// FirstAnswer is the draft's first telling answer in lang, which with CreatedAt tells two drafts
// of the same e-service apart (see form.Definition.FirstAnswer).
func (l Listed) FirstAnswer(lang string) string { return l.definition.FirstAnswer(l.answers, lang) }

// ForAccount returns the account's saved drafts in every municipality, the latest first.
func (s *Store) ForAccount(ctx context.Context, accountID uuid.UUID) ([]Listed, error) {
	var out []Listed
	return out, db.Read(ctx, s.db, func(b *pgx.Batch) { queueForAccount(b, accountID, &out) })
}

// Listing reads an account's drafts for a page that shows them beside other things (Mina sidor,
// Mina ärenden), in two steps: the page's batch only asks whether the account has any (HasSome,
// from an index: Mina sidor asks in the statement of its counts, Mina ärenden in one of its own,
// Queue; most accounts have none), and Read lists them in a round trip of their own when it has.
// The list names the drafts' e-services, municipalities, versions and cases, tables that would
// cost PostgreSQL their opening in every view, even of an account without drafts.
type Listing struct {
	AccountID uuid.UUID
	Some      bool // the account has drafts, as HasSome tells
}

// HasSome is an SQL expression that holds when the account $1 has drafts.
const HasSome = `EXISTS (SELECT FROM draft d WHERE d.account_id = $1)`

// Queue queues on b the question whether the account has drafts, in a statement of its own, for a
// page whose batch reads nothing else of the account to ask it in (Mina ärenden).
func (l *Listing) Queue(b *pgx.Batch) {
	b.Queue(`SELECT `+HasSome, l.AccountID).QueryRow(func(row pgx.Row) error { return row.Scan(&l.Some) })
}

// Read returns the account's drafts (as ForAccount) when it has some, without a read when not.
func (l Listing) Read(ctx context.Context, q db.Querier) ([]Listed, error) {
	if !l.Some {
		return nil, nil
	}
	var out []Listed
	return out, db.Read(ctx, q, func(b *pgx.Batch) { queueForAccount(b, l.AccountID, &out) })
}

// queueForAccount queues on b the reading of the account's drafts (as ForAccount) into out.
func queueForAccount(b *pgx.Batch, accountID uuid.UUID, out *[]Listed) {
	b.Queue(`
		SELECT d.id, coalesce(c.reference, ''), e.title, t.name, d.current_step, d.created_at, d.updated_at, d.answers, v.definition
		FROM draft d JOIN eservice e ON e.id = d.eservice_id JOIN tenant t ON t.id = d.tenant_id
		JOIN eservice_version v ON v.id = d.version_id
		LEFT JOIN cases c ON c.id = d.case_id
		WHERE d.account_id = $1
		ORDER BY d.updated_at DESC`, accountID).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
			var l Listed
			var answers, def []byte
			if err := r.Scan(&l.ID, &l.CaseRef, &l.Title, &l.Municipality, &l.CurrentStep, &l.CreatedAt, &l.UpdatedAt, &answers, &def); err != nil {
				return l, err
			}
			l.definition = new(form.Definition)
			if err := json.Unmarshal(def, l.definition); err != nil {
				return l, err
			}
			return l, json.Unmarshal(answers, &l.answers)
		})
		if err != nil {
			return fmt.Errorf("draft: list: %w", err)
		}
		*out = list
		return nil
	})
}

func scan(row pgx.Row) (Draft, error) {
	var d Draft
	var answers []byte
	err := row.Scan(d.fields(&answers)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Draft{}, ErrNotFound
	}
	if err != nil {
		return Draft{}, fmt.Errorf("draft: %w", err)
	}
	if err := d.decode(answers); err != nil {
		return Draft{}, err
	}
	return d, nil
}

// fields are the destinations of the draft's columns, the answers as their JSON.
func (d *Draft) fields(answers *[]byte) []any {
	return []any{&d.ID, &d.TenantID, &d.EServiceID, &d.VersionID, &d.AccountID, &d.CaseID, answers, &d.CurrentStep, &d.CreatedAt, &d.UpdatedAt}
}

// decode sets the draft's answers from their JSON.
func (d *Draft) decode(answers []byte) error {
	if err := json.Unmarshal(answers, &d.Answers); err != nil {
		return fmt.Errorf("draft %s: answers: %w", d.ID, err)
	}
	if d.Answers == nil {
		d.Answers = form.Answers{}
	}
	return nil
}

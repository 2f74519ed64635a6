// Package message is the thread between a citizen and the caseworkers of a case. Messages carry
// attachments under the same checks as form uploads, are marked read when their recipient opens
// them, and are refused once the case is closed (the thread stays readable).
package message

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/webhook"
)

// Senders.
const (
	Citizen    = "citizen"
	Caseworker = "caseworker"
)

// Limits of a message.
const (
	MaxBody     = 10000 // characters
	MaxFiles    = 5
	MaxFileSize = 10 << 20
)

// AttachmentTypes are the content types a message may carry, as sniffed.
var AttachmentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// Message is one message of a case's thread.
type Message struct {
	ID          uuid.UUID
	CaseID      uuid.UUID
	Sender      string
	AuthorName  string
	Body        string
	CreatedAt   time.Time
	ReadAt      *time.Time
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	ID   uuid.UUID
	Name string
	Size int64
}

// File is an attachment on its way in.
type File struct {
	Name string
	Data []byte
}

// Errors.
var (
	ErrClosed    = apperr.New(apperr.Conflict, "error.message.closed")
	ErrEmpty     = apperr.New(apperr.Invalid, "error.message.empty")
	ErrTooLong   = apperr.New(apperr.Invalid, "error.message.long")
	ErrFileCount = apperr.New(apperr.Invalid, "error.message.files")
)

// Store reads and writes messages.
type Store struct {
	db      db.Querier
	notices notify.Outbox
	scan    *virusscan.Guard // scans attachments before they are stored; nil scans nothing
}

// NewStore returns a store on q (a pool, or a transaction) that tells citizens of caseworkers' messages.
func NewStore(q db.Querier, notices notify.Outbox) *Store {
	return &Store{db: q, notices: notices}
}

// WithScanner returns the store with attachments scanned for viruses by g before they are stored.
func (s *Store) WithScanner(g *virusscan.Guard) *Store {
	c := *s
	c.scan = g
	return &c
}

// Send adds a message with its attachments to the case's thread, records the event, and, for a
// caseworker's message to a citizen, enqueues the notice, and, for a citizen's message, the
// webhooks' event — all in one transaction. A closed case takes no new messages. Attachments
// are scanned for viruses first: an infected one refuses the message (virusscan.ErrInfected,
// recorded), and so does one the scanner gives no verdict on, unless the scanner's policy keeps
// it marked for a later scan.
func (s *Store) Send(ctx context.Context, caseID uuid.UUID, sender, author, body string, files []File) (Message, error) {
	m, ok, err := checked(caseID, sender, author, body, files)
	if err != nil {
		return Message{}, err
	}
	if len(ok) > 0 && s.scan != nil {
		var tenantID uuid.UUID
		if err := s.db.QueryRow(ctx, `SELECT tenant_id FROM cases WHERE id = $1`, caseID).Scan(&tenantID); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return Message{}, err
		}
		for i, f := range ok {
			pending, err := s.scan.Check(ctx, virusscan.Upload{TenantID: tenantID, Source: virusscan.SourceMessage, MayWait: true}, f.data)
			if err != nil {
				return Message{}, err
			}
			if pending {
				ok[i].scan = virusscan.ScanPending
			}
		}
	}

	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		c, err := Lock(ctx, tx, caseID)
		if err != nil {
			return err
		}
		return write(ctx, tx, s.notices, c, &m, ok)
	})
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

// Case is what a message needs of its case, read with the case locked by the transaction the
// message is written in.
type Case struct {
	ID, TenantID uuid.UUID
	AccountID    *uuid.UUID // nil for a case without an account (submitted without e-ID)
	// NoChannel: the account's holder has chosen no channel for notices, so a notice of a
	// caseworker's message is written as not sent, with no job to deliver it (notify.Notice).
	NoChannel bool
}

// Lock locks the case in tx for a message: one that is not there is not found, and a closed
// one takes no message (ErrClosed).
func Lock(ctx context.Context, tx pgx.Tx, caseID uuid.UUID) (Case, error) {
	c := Case{ID: caseID}
	var closed bool
	err := tx.QueryRow(ctx, `
		SELECT c.tenant_id, c.account_id, c.closed_at IS NOT NULL, `+notify.NoChannelSQL+`
		FROM cases c LEFT JOIN account a ON a.id = c.account_id WHERE c.id = $1 FOR UPDATE OF c`, caseID).
		Scan(&c.TenantID, &c.AccountID, &closed, &c.NoChannel)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return c, apperr.New(apperr.NotFound, "")
	case err != nil:
		return c, err
	case closed:
		return c, ErrClosed
	}
	return c, nil
}

// SendOnLocked adds a caseworker's message without attachments to the thread of a case that tx
// has locked and found open (Lock, or a change of its status), as Send does, in tx, with the
// citizen's notice in notices.
func SendOnLocked(ctx context.Context, tx pgx.Tx, notices notify.Outbox, c Case, author, body string) (Message, error) {
	m, _, err := checked(c.ID, Caseworker, author, body, nil)
	if err != nil {
		return Message{}, err
	}
	return m, write(ctx, tx, notices, c, &m, nil)
}

// attachment is a message's file once checked, with its scan's verdict.
type attachment struct {
	name, contentType, scan string
	data                    []byte
}

// checked returns the message and its attachments, or why they cannot be sent.
func checked(caseID uuid.UUID, sender, author, body string, files []File) (Message, []attachment, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return Message{}, nil, ErrEmpty
	case utf8.RuneCountInString(body) > MaxBody || !utf8.ValidString(body) || strings.ContainsRune(body, 0):
		return Message{}, nil, ErrTooLong
	case len(files) > MaxFiles:
		return Message{}, nil, ErrFileCount
	}
	var ok []attachment
	for _, f := range files {
		if len(f.Data) == 0 {
			return Message{}, nil, draft.ErrFileEmpty
		}
		if len(f.Data) > MaxFileSize {
			return Message{}, nil, draft.ErrFileSize
		}
		ct := draft.SniffType(f.Data)
		if !slices.Contains(AttachmentTypes, ct) {
			return Message{}, nil, draft.ErrFileType
		}
		ok = append(ok, attachment{draft.CleanName(f.Name), ct, virusscan.ScanClean, f.Data})
	}
	return Message{CaseID: caseID, Sender: sender, AuthorName: author, Body: body}, ok, nil
}

// write writes the message m of the locked case c with its attachments in tx: the message, its
// attachments, its event and the case's change in one batch, with the citizen's notice of a
// caseworker's message; then the notice's delivery job (none when the citizen has chosen no
// channel), or the webhooks' event of the citizen's message.
func write(ctx context.Context, tx pgx.Tx, notices notify.Outbox, c Case, m *Message, files []attachment) error {
	m.ID = uuid.New()
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO message (id, tenant_id, case_id, sender, author_name, body) VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING created_at`, m.ID, c.TenantID, c.ID, m.Sender, m.AuthorName, m.Body).
		QueryRow(func(row pgx.Row) error { return row.Scan(&m.CreatedAt) })
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		a := Attachment{ID: uuid.New(), Name: f.name, Size: int64(len(f.data))}
		b.Queue(`
			INSERT INTO upload (id, tenant_id, case_id, message_id, field_key, filename, content_type, size, sha256, data, scan)
			VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9, $10)`,
			a.ID, c.TenantID, c.ID, m.ID, f.name, f.contentType, a.Size, sum[:], f.data, f.scan)
		m.Attachments = append(m.Attachments, a)
	}
	b.Queue(`
		INSERT INTO case_event (tenant_id, case_id, kind, actor, data)
		VALUES ($1, $2, 'message', $3, CASE WHEN $3 = 'caseworker' THEN jsonb_build_object('author', $4::text) ELSE '{}' END)`,
		c.TenantID, c.ID, m.Sender, m.AuthorName)
	b.Queue(`UPDATE cases SET updated_at = now() WHERE id = $1`, c.ID)
	var deliver notify.Deliver
	if m.Sender == Caseworker && c.AccountID != nil {
		var err error
		if deliver, err = notices.QueueOn(b, notify.Notice{TenantID: c.TenantID, AccountID: *c.AccountID, CaseID: c.ID, Kind: notify.KindNewMessage,
			NoChannel: c.NoChannel}); err != nil {
			return err
		}
	}
	if err := db.Run(ctx, tx, b); err != nil {
		return fmt.Errorf("message: insert: %w", err)
	}
	if m.Sender == Citizen {
		return webhook.Emit(ctx, tx, webhook.Event{Type: webhook.MessageReceived, CaseID: c.ID, Data: map[string]any{"message_id": m.ID}})
	}
	return deliver.Add(ctx, tx)
}

// Thread returns the case's messages, oldest first, with their attachments.
func (s *Store) Thread(ctx context.Context, caseID uuid.UUID) ([]Message, error) {
	var out []Message
	return out, db.Read(ctx, s.db, func(b *pgx.Batch) { QueueThread(b, caseID, &out) })
}

// QueueThread queues on b the reading of the case's messages with their attachments into out.
func QueueThread(b *pgx.Batch, caseID uuid.UUID, out *[]Message) {
	db.QueueRows(b, out, func(r pgx.CollectableRow) (Message, error) {
		var m Message
		err := r.Scan(&m.ID, &m.CaseID, &m.Sender, &m.AuthorName, &m.Body, &m.CreatedAt, &m.ReadAt)
		return m, err
	}, `SELECT id, case_id, sender, author_name, body, created_at, read_at FROM message
		WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	b.Queue(`SELECT message_id, id, filename, size FROM upload WHERE case_id = $1 AND message_id IS NOT NULL ORDER BY created_at, id`,
		caseID).Query(func(rows pgx.Rows) error {
		byID := map[uuid.UUID]*Message{}
		for i := range *out {
			byID[(*out)[i].ID] = &(*out)[i]
		}
		for rows.Next() {
			var mid uuid.UUID
			var a Attachment
			if err := rows.Scan(&mid, &a.ID, &a.Name, &a.Size); err != nil {
				return err
			}
			if m := byID[mid]; m != nil {
				m.Attachments = append(m.Attachments, a)
			}
		}
		return rows.Err()
	})
}

// MarkRead marks the messages the reader has received on the case as read: a citizen reads the
// caseworkers' messages and a caseworker the citizen's.
func (s *Store) MarkRead(ctx context.Context, caseID uuid.UUID, reader string) error {
	return db.Read(ctx, s.db, func(b *pgx.Batch) { QueueMarkRead(b, caseID, reader, "true") })
}

// QueueMarkRead queues on b the marking of the other side's messages on the case as read by
// reader, when the SQL condition holds (with the case's id as $1 and args from $3 on: for
// example that the reader may see the case).
func QueueMarkRead(b *pgx.Batch, caseID uuid.UUID, reader, condition string, args ...any) {
	from := Caseworker
	if reader == Caseworker {
		from = Citizen
	}
	b.Queue(`UPDATE message SET read_at = now() WHERE case_id = $1 AND sender = $2 AND read_at IS NULL AND `+condition,
		append([]any{caseID, from}, args...)...)
}

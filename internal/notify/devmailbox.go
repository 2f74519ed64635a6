package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// devMailbox is the sender in development: it keeps every e-mail and SMS in the dev_mailbox
// table, for a development page to show, and sends nothing.
type devMailbox struct {
	pool *pgxpool.Pool
	log  *slog.Logger
}

func (m devMailbox) SendEmail(ctx context.Context, to, subject, body string) error {
	return m.store(ctx, ChannelEmail, to, subject, body)
}

// SendEmailWithAttachments keeps the e-mail with a line per file at the end (its name and size);
// the files themselves are not kept.
func (m devMailbox) SendEmailWithAttachments(ctx context.Context, to, subject, body string, files []Attachment) error {
	for _, f := range files {
		body += fmt.Sprintf("\n[%s: %s, %d B]", "bilaga", f.Name, len(f.Data))
	}
	return m.store(ctx, ChannelEmail, to, subject, body)
}

func (m devMailbox) SendSMS(ctx context.Context, to, body string) error {
	return m.store(ctx, ChannelSMS, to, "", body)
}

func (m devMailbox) store(ctx context.Context, channel, to, subject, body string) error {
	_, err := m.pool.Exec(ctx, `INSERT INTO dev_mailbox (channel, recipient, subject, body) VALUES ($1, $2, $3, $4)`,
		channel, to, subject, body)
	if err != nil {
		return fmt.Errorf("notify: dev mailbox: %w", err)
	}
	m.log.InfoContext(ctx, "development mailbox: message stored instead of sent", "channel", channel)
	return nil
}

// MailboxItem is one message in the development mailbox.
type MailboxItem struct {
	ID        uuid.UUID
	Channel   string // ChannelEmail or ChannelSMS
	Recipient string
	Subject   string // empty for SMS
	Body      string
	CreatedAt time.Time
}

// DevMailbox returns the newest limit messages of the development mailbox, newest first.
func DevMailbox(ctx context.Context, pool *pgxpool.Pool, limit int) ([]MailboxItem, error) {
	rows, err := pool.Query(ctx, `
		SELECT id, channel, recipient, subject, body, created_at FROM dev_mailbox
		ORDER BY created_at DESC, id DESC LIMIT $1`, max(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("notify: dev mailbox: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MailboxItem, error) {
		var m MailboxItem
		err := r.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Body, &m.CreatedAt)
		return m, err
	})
}

// Mailbox returns the newest limit messages of the development mailbox, newest first.
func (n *Notifier) Mailbox(ctx context.Context, limit int) ([]MailboxItem, error) {
	return DevMailbox(ctx, n.pool, limit)
}

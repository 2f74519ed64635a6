package notify

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Attachment is a file sent with an e-mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// AttachmentSender sends an e-mail with files. The SMTP sender and the development mailbox are
// both one.
type AttachmentSender interface {
	SendEmailWithAttachments(ctx context.Context, to, subject, body string, files []Attachment) error
}

// sendEmail sends msg to an address, with files when there are any.
func (n *Notifier) sendEmail(ctx context.Context, to string, msg message, files []Attachment) error {
	if len(files) == 0 {
		return n.email.SendEmail(ctx, to, msg.Subject, msg.Body)
	}
	as, ok := n.email.(AttachmentSender)
	if !ok {
		return fmt.Errorf("notify: the e-mail sender cannot attach files")
	}
	return as.SendEmailWithAttachments(ctx, to, msg.Subject, msg.Body, files)
}

// requestAttachments are the answer to a request for public documents, as released: the PDF of
// the documents and the decision, and the files the registrar released.
func (n *Notifier) requestAttachments(ctx context.Context, requestID uuid.UUID) ([]Attachment, error) {
	rows, err := n.pool.Query(ctx, `
		SELECT 'begaran-' || q.reference || '.pdf', 'application/pdf', a.pdf, 0 AS n
		FROM disclosure_answer a JOIN disclosure_request q ON q.id = a.request_id
		WHERE a.request_id = $1 AND a.released_at IS NOT NULL
		UNION ALL
		SELECT u.filename, u.content_type, u.data, 1
		FROM disclosure_part p JOIN upload u ON u.id::text = p.key AND u.case_id = p.case_id
		WHERE p.request_id = $1 AND p.kind = 'file' AND p.decision = 'release'
		ORDER BY 4, 1`, requestID)
	if err != nil {
		return nil, fmt.Errorf("notify: attachments of request %s: %w", requestID, err)
	}
	files, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Attachment, error) {
		var a Attachment
		var order int
		err := r.Scan(&a.Name, &a.ContentType, &a.Data, &order)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("notify: attachments of request %s: %w", requestID, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("notify: request %s has no released answer", requestID)
	}
	return files, nil
}

package notify

import "context"

// EmailSender sends one plain-text e-mail. An error means it was not accepted and may be retried.
type EmailSender interface {
	SendEmail(ctx context.Context, to, subject, body string) error
}

// SMSSender sends one text message to a number in E.164 form (+46701234567).
type SMSSender interface {
	SendSMS(ctx context.Context, to, body string) error
}

package eservice

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MessageTemplate is a ready text a caseworker can start a message from.
type MessageTemplate struct {
	ID    uuid.UUID
	Title string
	Body  string
}

// MessageTemplates returns the e-service's message templates in order.
func (s *Store) MessageTemplates(ctx context.Context, eserviceID uuid.UUID) ([]MessageTemplate, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, body FROM eservice_message_template WHERE eservice_id = $1 ORDER BY position, title`, eserviceID)
	if err != nil {
		return nil, fmt.Errorf("eservice: message templates: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MessageTemplate, error) {
		var t MessageTemplate
		err := r.Scan(&t.ID, &t.Title, &t.Body)
		return t, err
	})
}

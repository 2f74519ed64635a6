package eservice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
)

// Message templates are ready texts a caseworker can start a message to the citizen from; the
// e-service's admin writes them. Caseworkers read them through casework.Store.MessageTemplates.

// Limits of a message template, in characters.
const (
	maxTemplateTitle = 200
	maxTemplateBody  = 10000
	maxTemplates     = 100
)

// Errors of the message templates.
var (
	ErrTemplateNotFound = apperr.New(apperr.NotFound, "")
	ErrTooManyTemplates = apperr.New(apperr.Conflict, "error.esettings.templateTooMany")
)

// TemplateInput is a message template as the admin writes it. Its field errors name the inputs
// title and body.
type TemplateInput struct {
	Title string
	Body  string
}

func (in TemplateInput) clean() (TemplateInput, apperr.FieldErrors) {
	var errs apperr.FieldErrors
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	switch {
	case in.Title == "":
		errs.Add("title", "error.esettings.templateTitle")
	case utf8.RuneCountInString(in.Title) > maxTemplateTitle || strings.ContainsAny(in.Title, "\n\t"):
		errs.Add("title", "error.esettings.templateTitleLong")
	}
	switch {
	case in.Body == "":
		errs.Add("body", "error.esettings.templateBody")
	case utf8.RuneCountInString(in.Body) > maxTemplateBody:
		errs.Add("body", "error.esettings.templateBodyLong")
	}
	return in, errs
}

// AddMessageTemplate adds a template after the e-service's others.
func (s *Store) AddMessageTemplate(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID, in TemplateInput) (uuid.UUID, error) {
	in, errs := in.clean()
	if err := errs.Err(); err != nil {
		return uuid.Nil, err
	}
	var id uuid.UUID
	err := s.change(ctx, actor, eserviceID, "eservice_template_added", func(tx pgx.Tx, e EService) (map[string]any, error) {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM eservice_message_template WHERE eservice_id = $1`, e.ID).Scan(&n); err != nil {
			return nil, err
		}
		if n >= maxTemplates {
			return nil, ErrTooManyTemplates
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO eservice_message_template (tenant_id, eservice_id, title, body, position)
			VALUES ($1, $2, $3, $4, coalesce((SELECT max(position) FROM eservice_message_template WHERE eservice_id = $2), 0) + 1)
			RETURNING id`, e.TenantID, e.ID, in.Title, in.Body).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("eservice: add template: %w", err)
		}
		return map[string]any{"template": id, "title": in.Title}, nil
	})
	return id, err
}

// UpdateMessageTemplate changes a template's title and text.
func (s *Store) UpdateMessageTemplate(ctx context.Context, actor audit.Actor, eserviceID, templateID uuid.UUID, in TemplateInput) error {
	in, errs := in.clean()
	if err := errs.Err(); err != nil {
		return err
	}
	return s.change(ctx, actor, eserviceID, "eservice_template_changed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		tag, err := tx.Exec(ctx, `UPDATE eservice_message_template SET title = $3, body = $4 WHERE id = $1 AND eservice_id = $2`,
			templateID, e.ID, in.Title, in.Body)
		if err != nil {
			return nil, fmt.Errorf("eservice: change template: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil, ErrTemplateNotFound
		}
		return map[string]any{"template": templateID, "title": in.Title}, nil
	})
}

// RemoveMessageTemplate removes a template; messages written from it stay as they were sent.
func (s *Store) RemoveMessageTemplate(ctx context.Context, actor audit.Actor, eserviceID, templateID uuid.UUID) error {
	return s.change(ctx, actor, eserviceID, "eservice_template_removed", func(tx pgx.Tx, e EService) (map[string]any, error) {
		var title string
		err := tx.QueryRow(ctx, `DELETE FROM eservice_message_template WHERE id = $1 AND eservice_id = $2 RETURNING title`, templateID, e.ID).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrTemplateNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("eservice: remove template: %w", err)
		}
		return map[string]any{"template": templateID, "title": title}, nil
	})
}

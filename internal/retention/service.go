package retention

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/security"
)

// Settings returns the municipality's retention settings.
func (s *Service) Settings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	return SettingsOf(ctx, s.pool, tenantID)
}

// UpdateSettings stores the actor's municipality's retention settings (see UpdateSettings).
func (s *Service) UpdateSettings(ctx context.Context, actor audit.Actor, in Settings) error {
	return UpdateSettings(ctx, s.pool, actor, in)
}

// Overview is what the municipality admin's retention page shows: the settings, a page of the
// deletion records and the latest security events.
type Overview struct {
	Settings  Settings
	Deletions DeletionsPage
	Events    []security.Event
}

// Overview reads the admin's retention page, in one round trip.
func (s *Service) Overview(ctx context.Context, tenantID uuid.UUID, after string) (Overview, error) {
	var o Overview
	return o, db.Read(ctx, s.pool, func(b *pgx.Batch) {
		queueSettings(b, tenantID, &o.Settings)
		queueDeletions(b, tenantID, after, 50, &o.Deletions)
		security.QueueOfMunicipality(b, tenantID, 50, &o.Events)
	})
}

// AddressRetention is how long client addresses are kept.
func (s *Service) AddressRetention() time.Duration { return s.cfg.AddressRetention }

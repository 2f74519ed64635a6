package retention

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/audit"
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

// Overview reads the admin's retention page.
func (s *Service) Overview(ctx context.Context, tenantID uuid.UUID, after string) (Overview, error) {
	var o Overview
	var err error
	if o.Settings, err = SettingsOf(ctx, s.pool, tenantID); err != nil {
		return o, err
	}
	if o.Deletions, err = Deletions(ctx, s.pool, tenantID, after, 50); err != nil {
		return o, err
	}
	o.Events, err = security.OfMunicipality(ctx, s.pool, tenantID, 50)
	return o, err
}

// AddressRetention is how long client addresses are kept.
func (s *Service) AddressRetention() time.Duration { return s.cfg.AddressRetention }

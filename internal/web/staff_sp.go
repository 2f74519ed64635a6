package web

import (
	"context"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/auth"
)

// staffPrefix is where the staff area and its service provider live.
const staffPrefix = "/personal"

// staffSP is the staff service provider of a municipality.
func (s *Server) staffSP(ctx context.Context, tenantID uuid.UUID) (*auth.ServiceProvider, error) {
	return s.staffLogins.For(ctx, tenantID)
}

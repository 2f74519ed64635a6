package web

import (
	"context"
	"fmt"
	"sync"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/auth"
)

// staffPrefix is where the staff area and its service provider live.
const staffPrefix = "/personal"

// staffLogins holds the staff service provider of each municipality: one entity (its own id,
// ACS and keys, apart from the citizens'), checking answers against that municipality's IdP.
type staffLogins struct {
	mu  sync.Mutex
	sps map[uuid.UUID]*auth.ServiceProvider
}

// staffSP returns the staff service provider of a municipality, made the first time it is needed.
func (s *Server) staffSP(ctx context.Context, tenantID uuid.UUID) (*auth.ServiceProvider, error) {
	s.staffLogins.mu.Lock()
	defer s.staffLogins.mu.Unlock()
	if sp, ok := s.staffLogins.sps[tenantID]; ok {
		return sp, nil
	}
	md, err := s.staffIdPMetadata(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	sp := auth.NewServiceProvider(s.pool, s.staffSPConfig(tenantID, md))
	s.staffLogins.sps[tenantID] = sp
	return sp, nil
}

func (s *Server) staffSPConfig(tenantID uuid.UUID, md *saml.EntityDescriptor) auth.SPConfig {
	return auth.SPConfig{
		Name:        auth.Staff,
		BaseURL:     s.cfg.BaseURL,
		PathPrefix:  staffPrefix + "/saml",
		Keys:        s.staffKeys,
		IdPMetadata: md,
		Tenant:      tenantID,
		DisplayName: map[string]string{"sv": "Mina sidor – personal", "en": "Mina sidor – staff"},

		NameIDFormat: s.cfg.StaffNameIDFormat, // the employee id may come from the NameID only when persistent
	}
}

// staffIdPMetadata is the municipality's staff IdP: the development IdP in development, and the
// metadata stored for the municipality otherwise.
func (s *Server) staffIdPMetadata(ctx context.Context, tenantID uuid.UUID) (*saml.EntityDescriptor, error) {
	if s.devIdP != nil {
		return s.devIdP.Metadata(), nil
	}
	doc, err := s.staff.IdPMetadata(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	md, err := samlsp.ParseMetadata(doc)
	if err != nil {
		return nil, fmt.Errorf("staff IdP metadata of %s: %w", tenantID, err)
	}
	return md, nil
}

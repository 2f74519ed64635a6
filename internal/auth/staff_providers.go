package auth

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/db"
)

// StaffPathPrefix is where the staff service provider's endpoints live.
const StaffPathPrefix = "/personal/saml"

// StaffProviders holds the staff service provider of each municipality: one entity (its own id,
// ACS and keys, apart from the citizens'), checking answers against that municipality's own IdP.
type StaffProviders struct {
	db           db.Querier
	base         *url.URL
	keys         KeyPair
	nameIDFormat string
	// idp is the municipality's IdP metadata: the stored document, or in development the
	// development IdP's for every municipality.
	idp func(ctx context.Context, tenantID uuid.UUID) (*saml.EntityDescriptor, error)

	mu  sync.Mutex
	sps map[uuid.UUID]*ServiceProvider
}

// NewStaffProviders returns the staff service providers of the installation at base. stored
// reads a municipality's IdP metadata document; dev, when not nil, is the IdP of every one.
func NewStaffProviders(q db.Querier, base *url.URL, keys KeyPair, nameIDFormat string,
	stored func(ctx context.Context, tenantID uuid.UUID) ([]byte, error), dev *saml.EntityDescriptor) *StaffProviders {
	idp := func(ctx context.Context, tenantID uuid.UUID) (*saml.EntityDescriptor, error) {
		if dev != nil {
			return dev, nil
		}
		doc, err := stored(ctx, tenantID)
		if err != nil {
			return nil, err
		}
		md, err := samlsp.ParseMetadata(doc)
		if err != nil {
			return nil, fmt.Errorf("staff IdP metadata of %s: %w", tenantID, err)
		}
		return md, nil
	}
	return &StaffProviders{db: q, base: base, keys: keys, nameIDFormat: nameIDFormat, idp: idp, sps: map[uuid.UUID]*ServiceProvider{}}
}

// For returns the staff service provider of a municipality, made the first time it is needed.
func (p *StaffProviders) For(ctx context.Context, tenantID uuid.UUID) (*ServiceProvider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if sp, ok := p.sps[tenantID]; ok {
		return sp, nil
	}
	md, err := p.idp(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	sp := NewServiceProvider(p.db, p.config(tenantID, md))
	p.sps[tenantID] = sp
	return sp, nil
}

// Metadata is the staff service provider's metadata: the same for every municipality.
func (p *StaffProviders) Metadata() ([]byte, error) {
	return NewServiceProvider(p.db, p.config(uuid.Nil, &saml.EntityDescriptor{})).Metadata()
}

func (p *StaffProviders) config(tenantID uuid.UUID, md *saml.EntityDescriptor) SPConfig {
	return SPConfig{
		Name:        Staff,
		BaseURL:     p.base,
		PathPrefix:  StaffPathPrefix,
		Keys:        p.keys,
		IdPMetadata: md,
		Tenant:      tenantID,
		DisplayName: map[string]string{"sv": "Mina sidor – personal", "en": "Mina sidor – staff"},
		// the employee id may come from the NameID only when it is persistent
		NameIDFormat: p.nameIDFormat,
	}
}

package staff_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/demo"
	"github.com/minasidor/minasidor/internal/staff"
)

func TestLogin(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	alingsas, motala := tenantID(t, pool, "alingsas"), tenantID(t, pool, "motala")
	s := staff.NewStore(pool)

	m, err := s.Login(ctx, alingsas, "ali-1001", "Anna H.", "", []string{"ali-handlaggare", "ali-extra"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Anna H." || m.Email != "anna.handlaggare@alingsas.example" || len(m.Groups) != 2 || !m.Has(staff.Caseworker) || m.Has(staff.MunicipalityAdmin) || m.LastLoginAt == nil {
		t.Errorf("member %+v", m)
	}
	// The same employee id in another municipality is nobody there.
	if _, err := s.Login(ctx, motala, "ali-1001", "", "", nil); !errors.Is(err, staff.ErrUnknown) {
		t.Errorf("another municipality: %v", err)
	}
	if _, err := s.Login(ctx, alingsas, "ali-9999", "", "", nil); !errors.Is(err, staff.ErrUnknown) {
		t.Errorf("unregistered: %v", err)
	}
	if _, err := pool.Exec(ctx, `UPDATE staff SET active = false WHERE employee_id = 'ali-1001'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, alingsas, "ali-1001", "", "", nil); !errors.Is(err, staff.ErrUnknown) {
		t.Errorf("deactivated: %v", err)
	}
	if _, err := s.ByID(ctx, m.ID); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("a deactivated member is still found: %v", err)
	}
	if _, err := staff.Add(ctx, pool, staff.Member{TenantID: alingsas, EmployeeID: "ali-2", Roles: []string{"king"}}); err == nil {
		t.Error("an unknown role was accepted")
	}
}

func TestIdPMetadata(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	alingsas := tenantID(t, pool, "alingsas")
	s := staff.NewStore(pool)
	if _, err := s.IdPMetadata(ctx, alingsas); !errors.Is(err, staff.ErrNoIdP) {
		t.Errorf("no IdP set up: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO tenant_staff_idp (tenant_id, metadata) VALUES ($1, '<EntityDescriptor/>')`, alingsas); err != nil {
		t.Fatal(err)
	}
	if doc, err := s.IdPMetadata(ctx, alingsas); err != nil || string(doc) != "<EntityDescriptor/>" {
		t.Errorf("stored metadata: %q, %v", doc, err)
	}
}

// tenantID is the id of the municipality with the slug.
func tenantID(t *testing.T, pool *pgxpool.Pool, slug string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := pool.QueryRow(context.Background(), `SELECT id FROM tenant WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("municipality %s: %v", slug, err)
	}
	return id
}

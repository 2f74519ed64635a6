package tenant_test

import (
	"context"
	"errors"
	"testing"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/tenant"
)

func TestResolve(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	ali, err := tenant.Create(ctx, pool, tenant.Tenant{Slug: "alingsas", Name: "Alingsås kommun", Code: "ALI"}, []string{"alingsas.localhost", "Minasidor.Alingsas.SE"})
	if err != nil {
		t.Fatal(err)
	}
	mot, err := tenant.Create(ctx, pool, tenant.Tenant{Slug: "motala", Name: "Motala kommun", Code: "MOT"}, []string{"motala.localhost"})
	if err != nil {
		t.Fatal(err)
	}
	s := tenant.NewStore(pool)

	tests := []struct {
		host, def string
		want      string
	}{
		{"motala.localhost:8080", "alingsas", mot.Slug},
		{"minasidor.alingsas.se", "motala", ali.Slug},
		{"MINASIDOR.ALINGSAS.SE.", "motala", ali.Slug},
		{"localhost:8080", "motala", mot.Slug},
		{"127.0.0.1:8080", "alingsas", ali.Slug},
	}
	for _, tt := range tests {
		got, settings, err := s.Resolve(ctx, tt.host, tt.def)
		if err != nil || got.Slug != tt.want || settings.TenantID != got.ID || settings.Name != got.Name {
			t.Errorf("Resolve(%q, %q) = %q (settings of %q), %v; want %q", tt.host, tt.def, got.Slug, settings.Name, err, tt.want)
		}
	}
	if _, _, err := s.Resolve(ctx, "unknown.example", ""); !errors.Is(err, tenant.ErrNotFound) {
		t.Errorf("unknown host without default: %v", err)
	}
	all, err := s.All(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Alingsås kommun" {
		t.Errorf("All = %v, %v", all, err)
	}
}

func TestCreateRefusesDuplicatesAndBadCodes(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	if _, err := tenant.Create(ctx, pool, tenant.Tenant{Slug: "ale", Name: "Ale kommun", Code: "ALE"}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := tenant.Create(ctx, pool, tenant.Tenant{Slug: "ale2", Name: "Ale 2", Code: "ALE"}, nil)
	if apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("duplicate code: %v", err)
	}
	_, err = tenant.Create(ctx, pool, tenant.Tenant{Slug: "x", Name: "X", Code: "lower"}, nil)
	if apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("bad code: %v", err)
	}
}

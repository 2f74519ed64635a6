package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

const tenantUsage = `usage:
  minasidor tenant add -slug alingsas -name 'Alingsås kommun' -code ALI -host minasidor.alingsas.se
  minasidor tenant staff-idp -slug alingsas -metadata FILE_OR_HTTPS_URL
  minasidor tenant admin -slug alingsas -employee-id ID -name NAME [-email E]`

// tenantCommand sets up a municipality of the installation: adds it, sets the IdP its staff log
// in through, and registers its first municipality admin.
func tenantCommand(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(tenantUsage)
	}
	var run func(context.Context, *pgxpool.Pool, io.Writer, []string) error
	switch args[0] {
	case "add":
		run = tenantAdd
	case "staff-idp":
		run = tenantStaffIdP
	case "admin":
		run = tenantAdmin
	default:
		return fmt.Errorf("tenant: unknown subcommand %q\n%s", args[0], tenantUsage)
	}
	pool, _, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	return run(ctx, pool, os.Stdout, args[1:])
}

// tenantAdd adds a municipality.
func tenantAdd(ctx context.Context, pool *pgxpool.Pool, out io.Writer, args []string) error {
	fs := flag.NewFlagSet("tenant add", flag.ContinueOnError)
	slug := fs.String("slug", "", "short stable name, lower case, e.g. alingsas")
	name := fs.String("name", "", "display name, e.g. 'Alingsås kommun'")
	code := fs.String("code", "", "2 to 6 capital letters used in reference numbers, e.g. ALI")
	hosts := fs.String("host", "", "comma-separated host names the municipality is served under")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || *name == "" || *code == "" {
		return errors.New("tenant add: -slug, -name and -code are required")
	}
	var hostList []string
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hostList = append(hostList, h)
		}
	}
	t, err := tenant.Create(ctx, pool, tenant.Tenant{Slug: *slug, Name: *name, Code: *code}, hostList)
	if err != nil {
		return err
	}
	// The e-service of data protection requests, for the admins to give its handlers.
	if _, err := rights.EnsureEService(ctx, pool, t.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "added %s (%s) with id %s\n", t.Name, t.Code, t.ID)
	return nil
}

// tenantStaffIdP sets the IdP a municipality's staff log in through, from its metadata.
func tenantStaffIdP(ctx context.Context, pool *pgxpool.Pool, out io.Writer, args []string) error {
	fs := flag.NewFlagSet("tenant staff-idp", flag.ContinueOnError)
	slug := fs.String("slug", "", "the municipality, e.g. alingsas")
	source := fs.String("metadata", "", "the IdP's SAML metadata: a file, or an https address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || *source == "" {
		return errors.New("tenant staff-idp: -slug and -metadata are required")
	}
	t, err := municipality(ctx, pool, *slug)
	if err != nil {
		return err
	}
	md, err := auth.ReadIdPMetadata(ctx, *source)
	if err != nil {
		return fmt.Errorf("tenant staff-idp: %w", err)
	}
	if err := staff.NewStore(pool).SetIdPMetadata(ctx, t.ID, md); err != nil {
		return fmt.Errorf("tenant staff-idp: %w", plain(err))
	}
	fmt.Fprintf(out, "the staff of %s now log in through %s\n(a running server that has logged staff in through a previous IdP keeps it until it restarts)\n", t.Name, md.EntityID)
	return nil
}

// tenantAdmin registers a municipality's first municipality admin.
func tenantAdmin(ctx context.Context, pool *pgxpool.Pool, out io.Writer, args []string) error {
	fs := flag.NewFlagSet("tenant admin", flag.ContinueOnError)
	slug := fs.String("slug", "", "the municipality, e.g. alingsas")
	employeeID := fs.String("employee-id", "", "the employee id as the municipality's IdP releases it (STAFF_ATTR_EMPLOYEE_ID)")
	name := fs.String("name", "", "the admin's name")
	email := fs.String("email", "", "the admin's e-mail address (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || *employeeID == "" || *name == "" {
		return errors.New("tenant admin: -slug, -employee-id and -name are required")
	}
	t, err := municipality(ctx, pool, *slug)
	if err != nil {
		return err
	}
	m, err := staff.NewStore(pool).AddFirstAdmin(ctx, t.ID, staff.Member{EmployeeID: *employeeID, Name: *name, Email: *email})
	if err != nil {
		return fmt.Errorf("tenant admin: %w", plain(err))
	}
	fmt.Fprintf(out, "added %s (employee id %s) as municipality admin of %s\n", m.Name, m.EmployeeID, t.Name)
	return nil
}

// municipality returns the municipality with slug, or an error that says how to add it.
func municipality(ctx context.Context, pool *pgxpool.Pool, slug string) (tenant.Tenant, error) {
	t, err := tenant.NewStore(pool).BySlug(ctx, slug)
	if errors.Is(err, tenant.ErrNotFound) {
		return t, fmt.Errorf("no municipality with slug %q: add it first with `minasidor tenant add`", slug)
	}
	return t, err
}

// plain drops the kind of a domain error ("invalid: ", "conflict: ") from what an operator reads,
// when the cause says it all.
func plain(err error) error {
	var e *apperr.Error
	if errors.As(err, &e) && e.Err != nil && e.Key == "" {
		return e.Err
	}
	return err
}

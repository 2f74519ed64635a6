package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/minasidor/minasidor/internal/tenant"
)

// tenantCommand adds a municipality to the installation.
func tenantCommand(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: minasidor tenant add -slug alingsas -name 'Alingsås kommun' -code ALI -host minasidor.alingsas.se")
	}
	fs := flag.NewFlagSet("tenant add", flag.ContinueOnError)
	slug := fs.String("slug", "", "short stable name, lower case, e.g. alingsas")
	name := fs.String("name", "", "display name, e.g. 'Alingsås kommun'")
	code := fs.String("code", "", "2 to 6 capital letters used in reference numbers, e.g. ALI")
	hosts := fs.String("host", "", "comma-separated host names the municipality is served under")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *slug == "" || *name == "" || *code == "" {
		return errors.New("tenant add: -slug, -name and -code are required")
	}
	pool, _, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
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
	fmt.Printf("added %s (%s) with id %s\n", t.Name, t.Code, t.ID)
	return nil
}

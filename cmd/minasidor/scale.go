package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/minasidor/minasidor/internal/demo"
)

// scaleCommand fills the development database with demo data at the size of a large
// municipality: minasidor scale -citizens 100000 -cases 1000000. It applies the migrations and
// loads the demo data first. Never in production.
func scaleCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	citizens := fs.Int("citizens", 100000, "citizen accounts to add")
	cases := fs.Int("cases", 1000000, "cases to add, spread over the demo municipalities' e-services")
	seed := fs.Uint64("seed", 1, "seed of the random choices")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *citizens < 0 || *cases < 0 {
		return errors.New("scale: -citizens and -cases must not be negative")
	}
	if env := os.Getenv("APP_ENV"); env == "production" {
		return errors.New("scale: demo data is never added in production")
	}
	pool, log, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrateAll(ctx, pool, log); err != nil {
		return err
	}
	if err := demo.Load(ctx, pool, log); err != nil {
		return err
	}
	res, err := demo.Scale(ctx, pool, demo.ScaleOptions{Citizens: *citizens, Cases: *cases, Seed: *seed, Progress: os.Stdout})
	if err != nil {
		return err
	}
	fmt.Printf("added %d citizens, %d cases with %d events and %d messages, and %d flags in %s\n",
		res.Citizens, res.Cases, res.Events, res.Messages, res.Flags, res.Took.Round(100_000_000))
	return nil
}

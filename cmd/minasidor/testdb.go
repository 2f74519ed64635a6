package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/minasidor/minasidor/internal/db/dbtest"
	"github.com/minasidor/minasidor/internal/virusscan/clamdtest"
)

// testdb runs a command with TEST_DATABASE_URL set to an ephemeral PostgreSQL cluster and
// CLAMD_TEST_ADDR (and CLAMD_TEST_SOCKET) to a ClamAV daemon with our test signature, then stops
// and removes both. make test runs the whole suite through it, so that all test packages share
// one server of each (each package still gets databases of its own).
func testdb(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("usage: minasidor testdb -- command [args...]")
	}
	var env []string
	if os.Getenv(clamdtest.EnvVar) == "" {
		clamd, err := clamdtest.Start(ctx)
		if err != nil {
			return err
		}
		defer clamd.Stop()
		fmt.Fprintf(os.Stderr, "testdb: ClamAV daemon at %s\n", clamd.TCP)
		env = append(env, clamdtest.EnvVar+"="+clamd.TCP, clamdtest.SocketEnvVar+"="+clamd.Socket)
	}
	if url := os.Getenv(dbtest.EnvVar); url != "" {
		return runCommand(ctx, args, env)
	}
	cluster, err := dbtest.StartCluster(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(cluster.Dir))
	defer cluster.Stop()
	fmt.Fprintf(os.Stderr, "testdb: ephemeral PostgreSQL on port %d\n", cluster.Port)
	return runCommand(ctx, args, append(env, dbtest.EnvVar+"="+cluster.URL("postgres")))
}

func runCommand(ctx context.Context, args, env []string) error {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return commandResult(err)
	case <-ctx.Done():
		cmd.Process.Signal(os.Interrupt)
		return commandResult(<-done)
	}
}

func commandResult(err error) error {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitCode(exitErr.ExitCode())
	}
	return err
}

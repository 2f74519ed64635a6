package main

import (
	"os"
	"testing"

	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// runMainVar makes the test binary run the command itself (main) instead of the tests: the tests
// of several servers start real processes of it, with the arguments and environment they give.
const runMainVar = "MINASIDOR_TEST_RUN_MAIN"

// TestMain gives the tests a PostgreSQL server (see dbtest.Main).
func TestMain(m *testing.M) {
	if os.Getenv(runMainVar) == "1" {
		main()
		os.Exit(0)
	}
	dbtest.Main(m)
}

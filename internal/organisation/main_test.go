package organisation_test

import (
	"testing"

	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// TestMain gives the tests a PostgreSQL server (see dbtest.Main).
func TestMain(m *testing.M) { dbtest.Main(m) }

package db_test

import (
	"testing"

	"github.com/minasidor/minasidor/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

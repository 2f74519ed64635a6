package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/minasidor/minasidor/internal/db/dbtest"
)

// A uuid.UUID goes to PostgreSQL as the uuid it is: alone, through a pointer (nil is NULL), in an
// array, and to a text parameter as its usual spelling.
func TestUUIDParameters(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	id := uuid.MustParse("6a0adf87-133f-4e05-adca-3d70244d6424")
	other := uuid.MustParse("97899f5b-d252-41e7-82e7-8837bbd7f5ca")
	var nilID *uuid.UUID
	var got uuid.UUID
	var text string
	var isNull bool
	var n int
	err := pool.QueryRow(ctx, `SELECT $1::uuid, $2::text, $3::uuid IS NULL, cardinality($4::uuid[]) FROM (SELECT 1) x WHERE $1 = ANY ($4)`,
		id, id, nilID, []uuid.UUID{other, id}).Scan(&got, &text, &isNull, &n)
	if err != nil {
		t.Fatal(err)
	}
	if got != id || text != id.String() || !isNull || n != 2 {
		t.Fatalf("got %v %q %v %d", got, text, isNull, n)
	}
	if err := pool.QueryRow(ctx, `SELECT $1::uuid`, &other).Scan(&got); err != nil || got != other {
		t.Fatalf("pointer: %v %v", got, err)
	}
	// Not through its driver.Valuer, which formats it as text to be parsed back.
	c, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if plan := c.Conn().TypeMap().PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id); strings.Contains(fmt.Sprintf("%T", plan), "DriverValuer") {
		t.Errorf("a uuid.UUID is encoded by %T", plan)
	}
}

package db

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCursor(t *testing.T) {
	at, id := time.Date(2026, 12, 3, 17, 4, 5, 123456789, time.UTC), uuid.New()
	gotT, gotID, ok := DecodeCursor(EncodeCursor(at, id))
	if !ok || !gotT.Equal(at.Truncate(time.Microsecond)) || gotID != id {
		t.Errorf("round trip: %v %v %v, want %v %v", gotT, gotID, ok, at, id)
	}
	for _, bad := range []string{"", "x", "!!!", EncodeCursor(at, id)[:10]} {
		if _, _, ok := DecodeCursor(bad); ok {
			t.Errorf("DecodeCursor(%q) ok", bad)
		}
	}
}

package cache

import (
	"errors"
	"testing"
	"time"
)

func TestTTL(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c := New[string, int](30 * time.Second)
	c.now = func() time.Time { return now }
	loads := 0
	load := func() (int, error) { loads++; return loads, nil }

	for range 3 {
		if v, err := c.Get("a", load); v != 1 || err != nil {
			t.Fatalf("Get = %d, %v; want the first load's 1", v, err)
		}
	}
	now = now.Add(30 * time.Second)
	if v, _ := c.Get("a", load); v != 2 {
		t.Errorf("after its lifetime: %d, want a new load (2)", v)
	}
	c.Clear()
	if v, _ := c.Get("a", load); v != 3 {
		t.Errorf("after Clear: %d, want a new load (3)", v)
	}
	boom := errors.New("boom")
	if _, err := c.Get("b", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("a failed load: %v", err)
	}
	if v, _ := c.Get("b", load); v != 4 {
		t.Errorf("a failed load was kept: %d", v)
	}
}

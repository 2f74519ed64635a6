package auth_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/minasidor/minasidor/internal/auth"
)

type unlisted struct{ A string }

// A session of strings, integers, booleans and lists of strings comes back as it went in, in the
// flat form; one with any other value goes through gob; sessions stored with gob before are read.
func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 4, 10, 11, 12, 13, time.UTC)
	citizen := map[string]any{
		"account_id": "0b7e0d2c-1a2b-4c3d-8e9f-000000000001",
		"name":       "Karin Åström",
		"auth_at":    int64(1796300000),
		"born":       int64(-5),
		"count":      3,
		"flag":       true,
		"off":        false,
		"receipts":   []string{"a", "", "ö"},
		"empty":      "",
	}
	var c auth.SessionCodec
	b, err := c.Encode(deadline, citizen)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 0 {
		t.Fatalf("a session of plain values was not stored flat: % x", b[:4])
	}
	gotDeadline, got, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, citizen) {
		t.Errorf("flat round trip: %v %#v", gotDeadline, got)
	}

	// A value of another type: gob, which needs the type registered, as scs's codec does.
	other := map[string]any{"numbers": []int{1, 2}, "name": "Per"}
	b, err = c.Encode(deadline, other)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] == 0 {
		t.Fatal("a session with a list of numbers was stored flat")
	}
	if _, got, err := c.Decode(b); err != nil || !reflect.DeepEqual(got, other) {
		t.Errorf("gob round trip: %#v, %v", got, err)
	}
	if _, err := c.Encode(deadline, map[string]any{"x": unlisted{"a"}}); err == nil {
		t.Error("an unregistered type was encoded")
	}

	// A session written before the flat form.
	old, err := scs.GobCodec{}.Encode(deadline, citizen)
	if err != nil {
		t.Fatal(err)
	}
	if gotDeadline, got, err := c.Decode(old); err != nil || !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, citizen) {
		t.Errorf("gob session read: %v %#v %v", gotDeadline, got, err)
	}

	// A damaged or cut flat session is an error, never a session with fewer values.
	flat, _ := c.Encode(deadline, citizen)
	for _, bad := range [][]byte{flat[:len(flat)-1], append(append([]byte{}, flat...), 0), {0}, {0, 9}, {0, 1, 0, 0, 1, 1, 'k', 'z'}} {
		if _, v, err := c.Decode(bad); err == nil {
			t.Errorf("damaged session % x read as %#v", bad, v)
		}
	}
}

// The flat form is what a citizen's page view reads.
func BenchmarkSessionDecode(b *testing.B) {
	values := map[string]any{"account_id": "0b7e0d2c-1a2b-4c3d-8e9f-000000000001", "name": "Karin Åström",
		"loa": "http://id.elegnamnden.se/loa/1.0/loa3", "auth_at": int64(1796300000), "host": "alingsas.example",
		"born": int64(1796300000), "deadline": int64(1796303600)}
	deadline := time.Now()
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"flat", auth.SessionCodec{}}, {"gob", scs.GobCodec{}}} {
		data, err := c.codec.Encode(deadline, values)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.codec.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package migrations

import (
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var name = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

// Migrations are numbered 00001, 00002, ... with no gap and no duplicate, start with a goose Up
// annotation, and are forward only.
func TestNumbering(t *testing.T) {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, e := range entries {
		m := name.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s: name must be NNNNN_lower_case_words.sql", e.Name())
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if n != i+1 {
			t.Errorf("%s: expected number %05d (numbers must run 1, 2, 3... with no gap or duplicate)", e.Name(), i+1)
		}
		b, err := fs.ReadFile(FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !strings.HasPrefix(text, "-- +goose Up\n") {
			t.Errorf("%s: must start with the line %q", e.Name(), "-- +goose Up")
		}
		if strings.Contains(text, "+goose Down") {
			t.Errorf("%s: migrations are forward only; remove the Down section", e.Name())
		}
	}
}

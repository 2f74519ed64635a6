package eservice_test

import (
	"context"
	"testing"

	"github.com/minasidor/minasidor/internal/form"
)

// The editor works on the draft version when there is one, else on the current published
// version (not an older one), and on an empty form before the first version.
func TestWorkingVersion(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	working := func(what string) (number int, published, ok bool) {
		t.Helper()
		v, ok, err := f.store.Working(ctx, f.school)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v.Number, v.PublishedAt != nil, ok
	}
	current := f.get(f.school).CurrentVersionID
	first, err := f.store.Version(ctx, *current)
	if err != nil {
		t.Fatal(err)
	}

	if n, published, ok := working("published"); !ok || !published || n != first.Number {
		t.Errorf("a published e-service: version %d (published %v, ok %v), want its current %d", n, published, ok, first.Number)
	}
	rename := func(d *form.Definition) error { d.Steps[0].Title["sv"] += " (ändrad)"; return nil }
	if _, err := f.store.EditDraft(ctx, f.erik, f.school, "form_step_changed", first.Definition.Steps[0].Key, rename); err != nil {
		t.Fatal(err)
	}
	if n, published, ok := working("a draft"); !ok || published || n != first.Number+1 {
		t.Errorf("with a draft version: version %d (published %v, ok %v), want the draft %d", n, published, ok, first.Number+1)
	}
	if _, err := f.store.PublishDraft(ctx, f.erik, f.school); err != nil {
		t.Fatal(err)
	}
	if n, published, ok := working("republished"); !ok || !published || n != first.Number+1 {
		t.Errorf("after publishing: version %d (published %v, ok %v), want the new current %d, not the old %d", n, published, ok, first.Number+1, first.Number)
	}

	e, err := f.store.CreateByAdmin(ctx, f.erik, "Nytt formulär", "", "culture")
	if err != nil {
		t.Fatal(err)
	}
	v, ok, err := f.store.Working(ctx, e.ID)
	if err != nil || ok || v.Definition == nil || len(v.Definition.Steps) != 0 {
		t.Errorf("a new e-service: ok %v, definition %v, %v; want an empty form", ok, v.Definition, err)
	}
}

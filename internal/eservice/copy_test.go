package eservice_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minasidor/minasidor/internal/form"
)

// A copy is a draft at a free address, titled "Kopia av …" and "Copy of …" from the catalogue,
// in the languages the original's title has.
func TestCopyTitle(t *testing.T) {
	f := newESFixture(t)
	src := f.get(f.school)
	if src.Title["sv"] == "" || src.Title["en"] == "" {
		t.Fatalf("the demo e-service needs a title in both languages: %v", src.Title)
	}
	c, err := f.store.Copy(context.Background(), f.erik, f.school)
	if err != nil {
		t.Fatal(err)
	}
	got := f.get(c.ID)
	want := form.Text{"sv": "Kopia av " + src.Title["sv"], "en": "Copy of " + src.Title["en"]}
	if diff := cmp.Diff(want, got.Title); diff != "" {
		t.Errorf("title (-want +got):\n%s", diff)
	}
	if got.Slug != src.Slug+"-kopia" || got.State != "draft" {
		t.Errorf("copy at %q in state %q", got.Slug, got.State)
	}
}

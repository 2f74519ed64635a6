package eservice_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
)

// Message templates are added after the others, changed and removed, each change recorded;
// refused input and another e-service's template change nothing.
func TestMessageTemplates(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	list := func() []string {
		t.Helper()
		var out []string
		rows, err := f.pool.Query(ctx, `SELECT title || ': ' || body FROM eservice_message_template WHERE eservice_id = $1 ORDER BY position, title`, f.school)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	id, err := f.store.AddMessageTemplate(ctx, f.erik, f.school, eservice.TemplateInput{Title: " Plats erbjuden ", Body: "Hej!\r\nDitt barn har fått en plats. "})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Vi har börjat handlägga: Hej! Vi har tagit emot ditt ärende och börjat handlägga det. Vi hör av oss om vi behöver något mer från dig.",
		"Behöver mer information: Hej! För att kunna handlägga ditt ärende behöver vi veta mer om följande: ",
		"Plats erbjuden: Hej!\nDitt barn har fått en plats."}
	if diff := cmp.Diff(want, list()); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
	if err := f.store.UpdateMessageTemplate(ctx, f.erik, f.school, id, eservice.TemplateInput{Title: "Plats erbjuden", Body: "Välkommen!"}); err != nil {
		t.Fatal(err)
	}
	if got := list()[2]; got != "Plats erbjuden: Välkommen!" {
		t.Errorf("changed %q", got)
	}

	err = f.store.UpdateMessageTemplate(ctx, f.erik, f.school, id, eservice.TemplateInput{Title: "", Body: strings.Repeat("x", 10001)})
	if diff := cmp.Diff([]string{"title=error.esettings.templateTitle", "body=error.esettings.templateBodyLong"}, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}
	_, err = f.store.AddMessageTemplate(ctx, f.erik, f.school, eservice.TemplateInput{Title: "Två\nrader", Body: " "})
	if diff := cmp.Diff([]string{"title=error.esettings.templateTitleLong", "body=error.esettings.templateBody"}, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}
	if err := f.store.UpdateMessageTemplate(ctx, f.erik, f.eservice("alingsas", "ansokan-om-bygglov"), id, eservice.TemplateInput{Title: "X", Body: "Y"}); !errors.Is(err, eservice.ErrTemplateNotFound) {
		t.Errorf("changed through another e-service: %v", err)
	}
	if err := f.store.RemoveMessageTemplate(ctx, f.erik, f.school, uuid.New()); !errors.Is(err, eservice.ErrTemplateNotFound) {
		t.Errorf("removing an unknown template: %v", err)
	}
	if err := f.store.RemoveMessageTemplate(ctx, f.erik, f.school, id); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[:2], list()); diff != "" {
		t.Errorf("after removing (-want +got):\n%s", diff)
	}
	for action, n := range map[string]int{"eservice_template_added": 1, "eservice_template_changed": 1, "eservice_template_removed": 1} {
		if got := len(f.changes(f.school, action)); got != n {
			t.Errorf("%d %s recorded, want %d", got, action, n)
		}
	}
}

package eservice_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
)

func TestParseGroups(t *testing.T) {
	got := eservice.ParseGroups("ali-handlaggare\r\n\n  ali-kultur  \nali-handlaggare\n")
	if diff := cmp.Diff([]string{"ali-handlaggare", "ali-kultur"}, got); diff != "" {
		t.Error(diff)
	}
}

// The e-service's caseworkers are the municipality's active caseworkers chosen and the groups
// written; the set is replaced, and only caseworkers of the municipality can be chosen.
func TestCaseworkers(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	e := f.get(f.school)
	anna, rebecka := f.actor("ali-1001").StaffID, f.actor("ali-1002").StaffID

	staff, groups, err := f.store.Caseworkers(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	names := func(list []eservice.Candidate) []string {
		var out []string
		for _, c := range list {
			if c.Handles {
				out = append(out, c.Name+"*")
			} else {
				out = append(out, c.Name)
			}
		}
		return out
	}
	if diff := cmp.Diff([]string{"Anna Handläggare", "Rebecka Ring"}, names(staff)); diff != "" {
		t.Errorf("caseworkers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ali-handlaggare"}, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}

	if err := f.store.SetCaseworkers(ctx, f.erik, f.school, []uuid.UUID{anna, anna}, []string{"ali-kultur", " ", "ali-kultur"}); err != nil {
		t.Fatal(err)
	}
	if staff, groups, err = f.store.Caseworkers(ctx, e); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Anna Handläggare*", "Rebecka Ring"}, names(staff)); diff != "" {
		t.Errorf("caseworkers after saving (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ali-kultur"}, groups); diff != "" {
		t.Errorf("groups after saving (-want +got):\n%s", diff)
	}
	c := f.changes(f.school, "eservice_handlers_changed")
	if len(c) != 1 || !cmp.Equal(c[0].Detail, map[string]any{"staff": []any{"ali-1001"}, "groups": []any{"ali-kultur"}}) {
		t.Errorf("changes %+v", c)
	}

	for name, ids := range map[string][]uuid.UUID{
		"an e-service admin":  {rebecka, f.erik.StaffID},
		"Motala's caseworker": {f.motala.StaffID},
		"somebody who is not": {uuid.New()},
	} {
		err := f.store.SetCaseworkers(ctx, f.erik, f.school, ids, nil)
		if diff := cmp.Diff([]string{"caseworkers=error.esettings.caseworker"}, fieldsOf(t, err)); diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
	}
	err = f.store.SetCaseworkers(ctx, f.erik, f.school, nil, []string{"ali-\x00"})
	if diff := cmp.Diff([]string{"groups=error.esettings.group"}, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}
	if n := f.count(`SELECT count(*) FROM eservice_handler WHERE eservice_id = $1`, f.school); n != 2 {
		t.Errorf("%d caseworkers after refusals, want 2", n)
	}

	// Nobody at all is a valid choice too.
	if err := f.store.SetCaseworkers(ctx, f.erik, f.school, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM eservice_handler WHERE eservice_id = $1`, f.school); n != 0 {
		t.Errorf("%d caseworkers, want none", n)
	}
	if n := len(f.changes(f.school, "eservice_handlers_changed")); n != 2 {
		t.Errorf("%d changes, want 2", n)
	}
}

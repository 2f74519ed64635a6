package eservice_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
)

func TestStatusKey(t *testing.T) {
	for _, tc := range []struct {
		label string
		taken []string
		want  string
	}{
		{"Väntar på beslut", nil, "vantar_pa_beslut"},
		{"Inkommen", []string{"inkommen"}, "inkommen_2"},
		{"Inkommen", []string{"inkommen", "inkommen_2"}, "inkommen_3"},
		{"2:a granskning", nil, "status_2_a_granskning"},
		{"???", nil, "status"},
		{"Ärende hos nämnden för bygg och miljö för beslut om lov", nil, "arende_hos_namnden_for_bygg_och_miljo_for"},
		{strings.Repeat("a", 60), []string{strings.Repeat("a", 41)}, strings.Repeat("a", 39) + "_2"},
	} {
		got := eservice.StatusKey(tc.label, tc.taken)
		if got != tc.want {
			t.Errorf("StatusKey(%q, %v) = %q, want %q", tc.label, tc.taken, got, tc.want)
		}
		if len(got) > 41 {
			t.Errorf("%q is longer than a key may be", got)
		}
	}
}

// Statuses are added at the end with a key from their label, changed without their key, moved,
// and removed unless cases have them or the portal needs them; each change is recorded.
func TestStatuses(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	keys := func() []string {
		t.Helper()
		list, err := f.store.Statuses(ctx, f.school)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, st := range list {
			out = append(out, st.Key)
		}
		return out
	}
	byKey := func(key string) eservice.Status {
		t.Helper()
		list, err := f.store.Statuses(ctx, f.school)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			if st.Key == key {
				return st
			}
		}
		t.Fatalf("no status %s", key)
		return eservice.Status{}
	}
	recorded := func(action string) int { return len(f.changes(f.school, action)) }

	st, err := f.store.AddStatus(ctx, f.erik, f.school, eservice.StatusInput{Label: form.Text{"sv": "Väntar på beslut", "en": ""}, Type: "in_progress", HandlingDays: 10})
	if err != nil {
		t.Fatal(err)
	}
	if st.Key != "vantar_pa_beslut" {
		t.Errorf("key %q", st.Key)
	}
	if diff := cmp.Diff([]string{"inkommen", "under_handlaggning", "vantar_komplettering", "avslutat", "vantar_pa_beslut"}, keys()); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if got := byKey("vantar_pa_beslut"); got.HandlingDays != 10 || got.Label["sv"] != "Väntar på beslut" || got.Label["en"] != "" {
		t.Errorf("added %+v", got)
	}
	if st2, err := f.store.AddStatus(ctx, f.erik, f.school, eservice.StatusInput{Label: form.Text{"sv": "Väntar på beslut!"}, Type: "in_progress"}); err != nil || st2.Key != "vantar_pa_beslut_2" {
		t.Errorf("the same label again: %q, %v", st2.Key, err)
	}

	// Changed: a new label and handling time, the key stays.
	if err := f.store.UpdateStatus(ctx, f.erik, f.school, st.ID, eservice.StatusInput{Label: form.Text{"sv": "Hos nämnden", "en": "With the committee"}, Type: "in_progress"}); err != nil {
		t.Fatal(err)
	}
	if got := byKey("vantar_pa_beslut"); got.Label["sv"] != "Hos nämnden" || got.Label["en"] != "With the committee" || got.HandlingDays != 0 {
		t.Errorf("changed %+v", got)
	}

	// Moved: up twice, then down once; the first cannot move up.
	for _, dir := range []form.Direction{form.Up, form.Up, form.Down} {
		if err := f.store.MoveStatus(ctx, f.erik, f.school, st.ID, dir); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"inkommen", "under_handlaggning", "vantar_komplettering", "vantar_pa_beslut", "avslutat", "vantar_pa_beslut_2"}, keys()); diff != "" {
		t.Errorf("order after moving (-want +got):\n%s", diff)
	}
	first := byKey("inkommen")
	if err := f.store.MoveStatus(ctx, f.erik, f.school, first.ID, form.Up); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("the first moved up: %v", err)
	}

	// A case in a status keeps it, and keeps its type.
	f.exec(`INSERT INTO cases (tenant_id, eservice_id, version_id, reference, answers, source_draft_id, status, status_key)
		SELECT tenant_id, id, current_version_id, 'ALI-2026-990001', '{}', gen_random_uuid(), 'in_progress', 'vantar_pa_beslut' FROM eservice WHERE id = $1`, f.school)
	if got := byKey("vantar_pa_beslut").Cases; got != 1 {
		t.Errorf("%d cases in the status", got)
	}
	if err := f.store.RemoveStatus(ctx, f.erik, f.school, st.ID); !errors.Is(err, eservice.ErrStatusInUse) {
		t.Errorf("removing a status in use: %v", err)
	}
	err = f.store.UpdateStatus(ctx, f.erik, f.school, st.ID, eservice.StatusInput{Label: form.Text{"sv": "Hos nämnden"}, Type: "closed"})
	if diff := cmp.Diff([]string{"type=error.esettings.statusTypeInUse"}, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}

	// The last status of the types the portal needs stays, with its type.
	closed := byKey("avslutat")
	if err := f.store.RemoveStatus(ctx, f.erik, f.school, closed.ID); !errors.Is(err, eservice.ErrStatusLast) {
		t.Errorf("removing the last closed status: %v", err)
	}
	err = f.store.UpdateStatus(ctx, f.erik, f.school, first.ID, eservice.StatusInput{Label: form.Text{"sv": "Inkommen"}, Type: "in_progress"})
	if diff := cmp.Diff([]string{"type=error.esettings.statusTypeLast"}, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}

	// Refused input.
	err = f.store.UpdateStatus(ctx, f.erik, f.school, st.ID, eservice.StatusInput{Label: form.Text{"sv": " ", "en": "a\tb"}, Type: "done", HandlingDays: -1})
	want := []string{"label_sv=error.esettings.statusLabel", "label_en=error.esettings.oneLine", "type=error.esettings.statusType", "handling_days=error.esettings.handlingDays"}
	if diff := cmp.Diff(want, fieldsOf(t, err)); diff != "" {
		t.Error(diff)
	}
	if _, err := f.store.AddStatus(ctx, f.erik, f.school, eservice.StatusInput{Label: form.Text{"sv": strings.Repeat("x", 101)}, Type: "closed", HandlingDays: 3651}); err == nil {
		t.Error("a status with a too long label and handling time was added")
	}

	// Removed: one without cases.
	second, err := f.store.Statuses(ctx, f.school)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RemoveStatus(ctx, f.erik, f.school, second[len(second)-1].ID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"inkommen", "under_handlaggning", "vantar_komplettering", "vantar_pa_beslut", "avslutat"}, keys()); diff != "" {
		t.Errorf("after removing (-want +got):\n%s", diff)
	}
	// A status of another e-service is not found here.
	other, err := f.store.Statuses(ctx, f.eservice("alingsas", "ansokan-om-bygglov"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RemoveStatus(ctx, f.erik, f.school, other[1].ID); !errors.Is(err, eservice.ErrStatusNotFound) {
		t.Errorf("another e-service's status: %v", err)
	}

	for action, want := range map[string]int{"eservice_status_added": 2, "eservice_status_changed": 1, "eservice_status_moved": 3, "eservice_status_removed": 1} {
		if n := recorded(action); n != want {
			t.Errorf("%d %s recorded, want %d", n, action, want)
		}
	}
	if c := f.changes(f.school, "eservice_status_removed"); len(c) == 1 && c[0].Detail["status"] != "vantar_pa_beslut_2" {
		t.Errorf("removal recorded %+v", c[0].Detail)
	}
}

// The queue's status filter lists the statuses of the e-services a caseworker handles (here
// through a group), each key once, in order.
func TestStatusesHandledBy(t *testing.T) {
	f := newESFixture(t)
	ctx := context.Background()
	if _, err := f.store.AddStatus(ctx, f.erik, f.school, eservice.StatusInput{Label: form.Text{"sv": "Plats erbjuden"}, Type: "in_progress"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uuid.UUID{f.school, f.eservice("alingsas", "ansokan-om-bygglov")} {
		if err := f.store.SetCaseworkers(ctx, f.erik, id, nil, []string{"statusfilter"}); err != nil {
			t.Fatal(err)
		}
	}
	statuses := func(groups []string) []string {
		var got []eservice.StatusOption
		if err := db.Read(ctx, f.pool, func(b *pgx.Batch) {
			eservice.QueueStatusesHandledBy(b, uuid.New(), f.erik.TenantID, groups, &got)
		}); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range got {
			keys = append(keys, o.Key+"="+o.Label["sv"])
		}
		return keys
	}
	want := []string{"inkommen=Inkommen", "under_handlaggning=Under handläggning", "vantar_komplettering=Väntar på komplettering",
		"avslutat=Avslutat", "plats_erbjuden=Plats erbjuden"}
	if diff := cmp.Diff(want, statuses([]string{"statusfilter"})); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if got := statuses([]string{"ingen-sadan-grupp"}); len(got) != 0 {
		t.Errorf("no e-services handled: %v", got)
	}
}

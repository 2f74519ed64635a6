package draft_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/form"
)

// A journey is the owner's draft with its e-service, its version, the reference of the case it
// supplements and whether it is out for signing, read in one statement; anyone else's draft,
// and no draft, is not found.
func TestJourney(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	karin := draft.Owner{AccountID: e.karin}
	visitor := draft.Owner{SessionKey: []byte("besokare-1")}

	d := e.create(e.ler, karin, "plats")
	if _, err := e.store.Save(ctx, d.ID, karin, form.Answers{"plats": {"Torget"}}, "beskrivning"); err != nil {
		t.Fatal(err)
	}
	j, err := e.store.Journey(ctx, d.ID, karin)
	if err != nil {
		t.Fatal(err)
	}
	if j.Draft.ID != d.ID || j.Draft.EServiceID != e.ler.eservice || j.Draft.CurrentStep != "beskrivning" || j.Draft.Answers["plats"][0] != "Torget" {
		t.Errorf("the draft: %+v", j.Draft)
	}
	if j.EService.ID != e.ler.eservice || j.EService.Municipality != "Lerums kommun" || j.EService.Title["sv"] != "Felanmälan" {
		t.Errorf("the e-service: %+v", j.EService)
	}
	if j.Version.ID != e.ler.version || j.Version.EServiceID != e.ler.eservice || j.Version.Number != 1 || j.Version.Definition == nil {
		t.Errorf("the version: %+v", j.Version)
	}
	if j.CaseRef != "" || j.Signing {
		t.Errorf("a new application: case %q, signing %v", j.CaseRef, j.Signing)
	}

	for name, other := range map[string]draft.Owner{"another account": {AccountID: e.per}, "a visitor": visitor, "nobody": {}} {
		if _, err := e.store.Journey(ctx, d.ID, other); !errors.Is(err, draft.ErrNotFound) {
			t.Errorf("by %s: %v", name, err)
		}
	}
	if _, err := e.store.Journey(ctx, uuid.New(), karin); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("no draft: %v", err)
	}
	v := e.create(e.ali, visitor, "sokande")
	if j, err := e.store.Journey(ctx, v.ID, visitor); err != nil || j.EService.ID != e.ali.eservice || j.Draft.Saved() {
		t.Errorf("a visitor's draft by its session key: %+v, %v", j.Draft, err)
	}

	// A supplement names the case it supplements.
	caseID := e.newCase(e.ali, e.karin, "ALI-2026-000007", form.Answers{})
	s, err := e.store.ForSupplement(ctx, e.ali.tenant, e.ali.eservice, e.ali.version, caseID, e.karin, form.Answers{}, "sokande")
	if err != nil {
		t.Fatal(err)
	}
	if j, err := e.store.Journey(ctx, s.ID, karin); err != nil || j.CaseRef != "ALI-2026-000007" {
		t.Errorf("a supplement: case %q, %v", j.CaseRef, err)
	}

	// Out for signing, or with a signature, a change may void the signatures; an open signing
	// without any is not yet either.
	signing := e.id(`INSERT INTO signing (tenant_id, eservice_id, draft_id, account_id) VALUES ($1, $2, $3, $4) RETURNING id`,
		e.ler.tenant, e.ler.eservice, d.ID, e.karin)
	if j, err := e.store.Journey(ctx, d.ID, karin); err != nil || j.Signing {
		t.Errorf("an open signing: %v, %v", j.Signing, err)
	}
	e.exec(`UPDATE signing SET state = 'sent', sent_at = now(), deadline_at = now() + interval '30 days', content_hash = '\x01' WHERE id = $1`, signing)
	if j, err := e.store.Journey(ctx, d.ID, karin); err != nil || !j.Signing {
		t.Errorf("sent for signing: %v, %v", j.Signing, err)
	}
}

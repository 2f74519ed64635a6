package draft

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/eservice"
)

// Journey is a draft with what its step, review and submit pages need: its e-service, the
// version it is filled in on and, for a supplement, the reference of the case it supplements.
type Journey struct {
	Draft    Draft
	EService eservice.EService
	Version  eservice.Version
	CaseRef  string
	// Signing: the draft has signatures, or is out for signing (package signing): a change may
	// void them, which its step pages warn of.
	Signing bool
}

// Journey reads the owner's draft with its e-service, version, case reference and signing, in
// one statement. Anyone else's draft is not found.
func (s *Store) Journey(ctx context.Context, id uuid.UUID, owner Owner) (Journey, error) {
	account, key := owner.args()
	var j Journey
	var answers []byte
	var err error
	j.EService, j.Version, err = eservice.ScanWithVersion(s.db.QueryRow(ctx, `
		SELECT `+eservice.WithVersionColumns+`, d.*, coalesce(c.reference, ''),
			EXISTS (SELECT 1 FROM signing g WHERE g.draft_id = d.id AND (g.state = 'sent'
				OR EXISTS (SELECT 1 FROM signing_party p JOIN signature s ON s.party_id = p.id WHERE p.signing_id = g.id)))
		FROM (SELECT `+columns+` FROM draft WHERE id = $1 AND `+ownedBy+`) d
		JOIN eservice e ON e.id = d.eservice_id JOIN tenant t ON t.id = e.tenant_id
		JOIN eservice_version v ON v.id = d.version_id
		LEFT JOIN cases c ON c.id = d.case_id`, id, account, key),
		append(j.Draft.fields(&answers), &j.CaseRef, &j.Signing)...)
	if errors.Is(err, eservice.ErrNotFound) {
		return Journey{}, ErrNotFound
	}
	if err != nil {
		return Journey{}, err
	}
	if err := j.Draft.decode(answers); err != nil {
		return Journey{}, err
	}
	return j, nil
}

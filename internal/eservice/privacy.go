package eservice

import (
	"slices"
	"strings"

	"github.com/minasidor/minasidor/internal/apperr"
)

// ErrPrivacyIncomplete refuses to publish an e-service whose privacy notice lacks a part: the
// citizen reads the notice before the form, so it must say what data is kept, why, on what legal
// basis, who is responsible and for how long.
var ErrPrivacyIncomplete = apperr.New(apperr.Invalid, "error.builder.privacyIncomplete")

// Missing returns the parts of the notice (names of PrivacyParts, in their order) that have no
// Swedish text. Swedish is required; English is optional, as everywhere in the settings.
func (p Privacy) Missing() []string {
	var out []string
	for _, name := range PrivacyParts {
		if !slices.Contains(OptionalPrivacyParts, name) && strings.TrimSpace((*p.Part(name))["sv"]) == "" {
			out = append(out, name)
		}
	}
	return out
}

// Publishable checks what an e-service needs, besides a form that works, before citizens may
// start it: a complete privacy notice. An e-service in another system (an external address)
// shows that system's notice, not ours.
func (e EService) Publishable() error {
	if e.ExternalURL == "" && len(e.Privacy.Missing()) > 0 {
		return ErrPrivacyIncomplete
	}
	return nil
}

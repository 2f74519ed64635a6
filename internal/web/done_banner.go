package web

import (
	"context"

	"github.com/minasidor/minasidor/internal/i18n"
)

// doneText is the confirmation a page shows after a change, for the ?klart=<value> its address
// carries: the catalogue's "<family>.<value>" (family e.g. "builder.done"). It is "" for no
// value and for a value the catalogue does not know, so that an address typed or altered by hand
// shows no banner, and never a raw key.
func doneText(ctx context.Context, family, value string) string {
	if value == "" {
		return ""
	}
	p, key := i18n.FromContext(ctx), family+"."+value
	if !p.Has(key) {
		return ""
	}
	return p.T(key)
}

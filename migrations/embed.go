// Package migrations embeds the numbered, forward-only SQL migrations that the binary applies.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS

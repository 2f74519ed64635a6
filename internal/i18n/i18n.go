// Package i18n is the message catalogue: every user-facing string is looked up here by key.
// Swedish is the default language, English the second. The catalogue files are embedded.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Lang is a supported language tag.
type Lang string

const (
	Swedish Lang = "sv"
	English Lang = "en"
)

// Default is the language used when the user has chosen none.
const Default = Swedish

// Langs lists the supported languages, the default first.
var Langs = []Lang{Swedish, English}

// Parse returns the supported language for a tag, and false if it is not supported.
func Parse(tag string) (Lang, bool) {
	l := Lang(strings.ToLower(strings.TrimSpace(tag)))
	return l, slices.Contains(Langs, l)
}

//go:embed messages/*.json
var files embed.FS

// Catalogue holds the messages of every language.
type Catalogue struct {
	msgs map[Lang]map[string]string
}

// Load reads the embedded catalogue files: for each language "<lang>.json" and any number of
// "<lang>.<part>.json" (one part per area of the portal). A key defined twice is an error.
func Load() (*Catalogue, error) {
	c := &Catalogue{msgs: map[Lang]map[string]string{}}
	for _, l := range Langs {
		names, err := fs.Glob(files, "messages/"+string(l)+".*json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("i18n: no catalogue for %s", l)
		}
		all := map[string]string{}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q is defined twice", name, k)
				}
				all[k] = v
			}
		}
		c.msgs[l] = all
	}
	return c, nil
}

// MustLoad is Load for program start and tests, where a broken catalogue is a build fault.
func MustLoad() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Keys returns the sorted keys of one language.
func (c *Catalogue) Keys(l Lang) []string {
	keys := make([]string, 0, len(c.msgs[l]))
	for k := range c.msgs[l] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Printer returns the translator for one language.
func (c *Catalogue) Printer(l Lang) *Printer {
	if _, ok := c.msgs[l]; !ok {
		l = Default
	}
	return &Printer{Lang: l, msgs: c.msgs[l]}
}

// Printer translates keys into one language.
type Printer struct {
	Lang Lang
	msgs map[string]string
}

// Has reports whether the catalogue has a message for key in the printer's language.
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// T returns the message for key, formatted with args as by fmt.Sprintf when args are given.
// A missing key is returned as itself, so that it shows up and the catalogue test catches it.
func (p *Printer) T(key string, args ...any) string {
	m, ok := p.msgs[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

type ctxKey struct{}

// WithPrinter stores the request's printer in ctx.
func WithPrinter(ctx context.Context, p *Printer) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the request's printer, or a Swedish one when none is set.
func FromContext(ctx context.Context) *Printer {
	if p, ok := ctx.Value(ctxKey{}).(*Printer); ok {
		return p
	}
	return fallback
}

// embedded is the catalogue built into the binary, loaded once.
var embedded = MustLoad()

var fallback = embedded.Printer(Default)

// For returns the printer of the built-in catalogue for a language tag as stored with an account
// ("sv", "en"), the default language's for a tag that is not supported. It is for work done
// outside a request, such as a notice in its recipient's language.
func For(tag string) *Printer {
	l, _ := Parse(tag)
	return embedded.Printer(l)
}

// T translates key in the language of the request in ctx.
func T(ctx context.Context, key string, args ...any) string {
	return FromContext(ctx).T(key, args...)
}

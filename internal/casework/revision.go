package casework

import (
	"slices"
	"time"
)

// Supplement is one supplement of a case as the caseworker reads it: the revision of the answers
// it made, when, the request it answered, and what it changed from the revision before.
type Supplement struct {
	Revision int
	At       time.Time
	Request  string
	Changes  []Change
}

// Supplements lists what each supplement of the case changed, the latest first: for every revision
// after the first, the answers it changed from the one before, in the form's order, with display
// values (lang, tr as for form.Definition.Summary). A file answer is named by its files' names,
// with the files the supplement added and those it took away.
func (d CaseworkerDossier) Supplements(lang string, tr func(string) string) []Supplement {
	def := d.Version.Definition
	if def == nil || len(d.Revisions) < 2 {
		return nil
	}
	names := make(map[string]string, len(d.Files))
	for _, f := range d.Files {
		names[f.ID.String()] = f.Name
	}
	named := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if n, ok := names[id]; ok {
				out = append(out, n)
			} else {
				out = append(out, id)
			}
		}
		return out
	}
	without := func(ids, other []string) []string {
		var out []string
		for _, id := range ids {
			if !slices.Contains(other, id) {
				out = append(out, id)
			}
		}
		return out
	}
	var out []Supplement
	for i := len(d.Revisions) - 1; i > 0; i-- {
		prev, rev := d.Revisions[i-1], d.Revisions[i]
		s := Supplement{Revision: rev.Number, At: rev.CreatedAt, Request: rev.Request}
		for _, c := range Changes(def, prev.Answers, rev.Answers, lang, tr) {
			if c.Files {
				c.Added, c.Removed = named(without(c.After, c.Before)), named(without(c.Before, c.After))
				c.Before, c.After = named(c.Before), named(c.After)
			}
			s.Changes = append(s.Changes, c)
		}
		out = append(out, s)
	}
	return out
}

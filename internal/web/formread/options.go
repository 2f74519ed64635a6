package formread

import (
	"strconv"
	"strings"

	"github.com/minasidor/minasidor/internal/form"
)

// parseOptions reads the options, one per line: "value | Swedish text | English text",
// "value | Swedish text", or only the Swedish text, whose value is then made from it (unique
// among the options). Blank lines are skipped; ok is false for a line of more than three parts.
func parseOptions(text string) (opts []form.Option, ok bool) {
	ok = true
	var made []int // the options whose value is to be made from their text
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		switch len(parts) {
		case 1:
			made = append(made, len(opts))
			opts = append(opts, form.Option{Label: Text(parts[0], "")})
		case 2:
			opts = append(opts, form.Option{Value: parts[0], Label: Text(parts[1], "")})
		case 3:
			opts = append(opts, form.Option{Value: parts[0], Label: Text(parts[1], parts[2])})
		default:
			ok = false
		}
	}
	used := map[string]bool{}
	for _, o := range opts {
		used[o.Value] = true
	}
	for _, i := range made {
		base := form.Slug(opts[i].Label["sv"])
		if base == "" {
			base = opts[i].Label["sv"]
		}
		v := base
		for n := 2; used[v]; n++ {
			v = base + "_" + strconv.Itoa(n)
		}
		used[v] = true
		opts[i].Value = v
	}
	for i := range opts {
		if opts[i].Label == nil {
			opts[i].Label = form.Text{}
		}
	}
	return opts, ok
}

// formatOptions writes the options one per line, as parseOptions reads them.
func formatOptions(opts []form.Option) string {
	lines := make([]string, len(opts))
	for i, o := range opts {
		lines[i] = o.Value + " | " + o.Label["sv"]
		if en := o.Label["en"]; en != "" {
			lines[i] += " | " + en
		}
	}
	return strings.Join(lines, "\n")
}

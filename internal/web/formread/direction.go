package formread

import (
	"net/url"

	"github.com/minasidor/minasidor/internal/form"
)

// Direction reads the direction of a move button (a step's, a field's or a status's): riktning
// "upp" is one place up, "ner" one place down. Anything else is form.ErrCannotMove.
func Direction(v url.Values) (form.Direction, error) {
	switch v.Get("riktning") {
	case "upp":
		return form.Up, nil
	case "ner":
		return form.Down, nil
	}
	return 0, form.ErrCannotMove
}

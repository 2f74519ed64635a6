package form

import "regexp"

// Change is one change of the form editor: Edit changes a definition (one of the editing
// operations, see edit.go), and Item, when set, returns where the step or field the change is
// about is in the changed definition ("steps[1].fields[0]"), so that its problems can be told
// from the others.
type Change struct {
	Edit func(*Definition) error
	Item func(*Definition) string
}

// Apply makes the change on d and returns the path of its item.
func (c Change) Apply(d *Definition) (path string, err error) {
	if err := c.Edit(d); err != nil {
		return "", err
	}
	if c.Item != nil {
		path = c.Item(d)
	}
	return path, nil
}

// Try makes the change on a copy of d and checks the result as CheckDraft does (as storing it
// would), leaving d as it was. It returns the path of the change's item when the change itself
// could be made.
func (c Change) Try(d *Definition) (path string, err error) {
	d = d.Clone()
	if path, err = c.Apply(d); err != nil {
		return "", err
	}
	return path, d.CheckDraft()
}

// itemPath is the path of the step or field a problem's path is in.
var itemPath = regexp.MustCompile(`^steps\[\d+\](\.fields\[\d+\])?`)

// Item splits the problem's path into the path of the step or field it is in and the rest:
// "steps[1].fields[0]" and ".rules.min" of "steps[1].fields[0].rules.min". A problem of the
// whole form has no item: "" and its path.
func (e DefinitionError) Item() (item, rest string) {
	item = itemPath.FindString(e.Path)
	return item, e.Path[len(item):]
}

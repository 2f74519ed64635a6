package form

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every message key the package uses is listed in MESSAGES.md, for the catalogue.
func TestMessagesListed(t *testing.T) {
	doc, err := os.ReadFile("MESSAGES.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\| (error\.[A-Za-z.]+) \|`).FindAllStringSubmatch(string(doc), -1) {
		listed[m[1]] = true
	}
	var used []string
	for file, re := range map[string]*regexp.Regexp{
		"check.go":          regexp.MustCompile(`"((?:noSteps|(?:step|field|options|option|rule|upload|condition)\.[A-Za-z]+))"`),
		"validate_field.go": regexp.MustCompile(`"(error\.field\.[A-Za-z.]+)"`),
		"edit.go":           regexp.MustCompile(`"(error\.editor\.[A-Za-z.]+)"`),
	} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if !strings.HasPrefix(key, "error.") {
				key = "error.form.def." + key
			}
			used = append(used, key)
		}
	}
	used = append(used, ErrJSON.Key, ErrDefinition.Key)
	if len(used) < 60 {
		t.Fatalf("found only %d keys in the source", len(used))
	}
	for _, k := range used {
		if !listed[k] {
			t.Errorf("%s is not in MESSAGES.md", k)
		}
	}
}

package i18n_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/webhook"
)

// The code uses only keys the catalogue has, in every language: a missing key would show as the
// key itself. The test reads the module's code (.go files, and the .templ files rather than the
// code generated from them; test files aside):
//
//   - every string literal given to a function, method or struct field that takes a key (see
//     sinks and keyFields) is a key, with the prefix that function puts before it;
//   - every other literal that looks like a key of one of the catalogue's areas ("error.x.y") is a
//     key, or the stem of keys ("duration.day" of "duration.day.one"), unless notKeys says why not;
//   - a literal that starts a key built at run time ("error." + code + ".title") must be the
//     prefix of one of the families below, and every member of every family is a key.
//
// The other test of the package (TestEveryLanguageHasTheSameKeys) fails when a key exists in one
// language and not in another.
func TestCodeUsesCatalogueKeys(t *testing.T) {
	c := i18n.MustLoad()
	var all []string
	for _, l := range i18n.Langs {
		all = append(all, c.Keys(l)...)
	}
	areas := map[string]bool{}
	for _, k := range all {
		area, _, _ := strings.Cut(k, ".")
		areas[area] = true
	}
	missing := func(key string) []i18n.Lang {
		var out []i18n.Lang
		for _, l := range i18n.Langs {
			if !c.Printer(l).Has(key) {
				out = append(out, l)
			}
		}
		return out
	}
	isStem := func(s string) bool {
		return slices.ContainsFunc(all, func(k string) bool { return strings.HasPrefix(k, s+".") })
	}

	found := scanModule(t, moduleRoot(t))
	if len(found.keys) < 500 {
		t.Fatalf("found only %d keys in the code: is the scan broken?", len(found.keys))
	}
	for _, u := range found.keys {
		if u.key == "" {
			t.Errorf("%s: an empty catalogue key", u.at)
			continue
		}
		if ls := missing(u.key); len(ls) > 0 {
			t.Errorf("%s: key %q is missing in %v", u.at, u.key, ls)
		}
	}
	for _, u := range found.literals {
		area, _, _ := strings.Cut(u.key, ".")
		if !areas[area] || notKeys[u.key] != "" {
			continue
		}
		if ls := missing(u.key); len(ls) == len(i18n.Langs) && !isStem(u.key) {
			t.Errorf("%s: %q looks like a catalogue key but is none (add it, or to notKeys with the reason)", u.at, u.key)
		} else if len(ls) > 0 && len(ls) < len(i18n.Langs) {
			t.Errorf("%s: key %q is missing in %v", u.at, u.key, ls)
		}
	}

	declared := map[string]bool{}
	for _, f := range families() {
		declared[f.prefix] = true
		if len(f.keys) == 0 {
			t.Errorf("family %q has no members", f.prefix)
		}
		for _, k := range f.keys {
			if ls := missing(k); len(ls) > 0 {
				t.Errorf("family %q: key %q is missing in %v", f.prefix, k, ls)
			}
		}
	}
	for _, s := range sinks {
		if s.prefix != "" {
			declared[s.prefix] = true // its members are the literals given to the sink
		}
	}
	for _, u := range found.prefixes {
		area, _, _ := strings.Cut(u.key, ".")
		if !areas[area] || declared[u.key] || notKeys[u.key] != "" {
			continue
		}
		t.Errorf("%s: keys are built from %q at run time: add the family and its members to families()", u.at, u.key)
	}
	for _, u := range found.families {
		if !declared[u.key+"."] {
			t.Errorf("%s: %q is used as a family of keys: add it and its members to families()", u.at, u.key)
		}
	}
}

// family is a set of keys the code builds at run time from a literal prefix.
type family struct {
	prefix string   // as the code writes it: "error."
	keys   []string // every member
}

// members returns prefix+v+suffix for every value and suffix; no suffix means "".
func members[S ~string](prefix string, values []S, suffixes ...string) []string {
	if len(suffixes) == 0 {
		suffixes = []string{""}
	}
	var out []string
	for _, v := range values {
		for _, s := range suffixes {
			out = append(out, prefix+string(v)+s)
		}
	}
	return out
}

// families are the keys built at run time, with their members: from the domain's own lists where
// it has them, so that a new member is checked too, otherwise listed here.
func families() []family {
	fam := func(prefix string, values []string, suffixes ...string) family {
		return family{prefix, members(prefix, values, suffixes...)}
	}
	var uploadNames []string
	for _, u := range form.UploadTypes {
		uploadNames = append(uploadNames, u.Name)
	}
	return []family{
		// ?klart= confirmations (see web/done_banner.go), by page
		fam("admin.done.", []string{"added", "removed", "assigned"}),
		fam("builder.done.", []string{"created", "published", "discarded", "unpublished", "republished", "period",
			"copied", "archived", "imported", "stepadded", "stepsaved", "stepmoved", "stepremoved", "fieldadded",
			"fieldsaved", "fieldmoved", "fieldremoved", "settings", "statusadded", "statussaved", "statusmoved",
			"statusremoved", "templateadded", "templatesaved", "templateremoved", "caseworkers", "notices", "signing"}),
		fam("bulletin.done.", []string{"added", "ended"}),
		fam("handle.done.", []string{"assign", "close", "flag", "message", "note", "status", "supplement",
			"representation_confirmed", "representation_refused"}),
		fam("municipality.done.", []string{"saved", "logo", "logo_removed"}),

		// error pages, by the status codes web.statusKey gives
		fam("error.", []string{"400", "401", "403", "404", "405", "409", "413", "429", "500"}, ".title", ".message"),

		// the domain's values
		fam("audience.", eservice.Audiences),
		fam("category.", eservice.Categories),
		fam("builder.state.", []string{"draft", "published", "unpublished", "archived"}),
		fam("esettings.login.", eservice.LoginRules),
		fam("esettings.once.", eservice.OnceOnlyRules),
		fam("esettings.notice.", eservice.NoticeKinds, "", ".hint"),
		fam("esettings.privacy.", eservice.PrivacyParts, "", ".hint"),
		fam("esettings.statusType.", eservice.StatusTypes),
		fam("status.", eservice.StatusTypes),
		{"esettings.fieldType.", members("esettings.fieldType.", []form.FieldType{form.PersonalNumber, form.Email})},
		{"editor.type.", members("editor.type.", form.FieldTypes())},
		fam("editor.rule.", []string{"minLength", "maxLength", "pattern", "patternMessage", "min", "max", "integer",
			"minDate", "maxDate", "minChoices", "maxChoices"}),
		fam("filetype.", uploadNames),
		fam("form.", []string{"yes", "no"}), // the answers of yes/no and consent fields
		fam("form.part.", slices.Concat(form.AddressParts, form.ContactParts)),
		fam("login.", slices.Concat(members("", eservice.LoginRules),
			members("", []string{"failed", "cancelled", "expired", "loa"}, ".heading", ".text"))),
		fam("confirm.", []string{notify.ChannelEmail, notify.ChannelSMS}),
		fam("notice.", notify.Kinds, ".subject", ".lead"),
		fam("notice.code.", []string{notify.ChannelEmail + ".subject", notify.ChannelEmail + ".body", notify.ChannelSMS + ".body"}),
		fam("role.", staff.Roles),
		fam("public.pdf.withheld.", []string{disclosure.PartAnswer, disclosure.PartFile, disclosure.PartMessage}),
		fam("public.part.", []string{disclosure.PartAnswer, disclosure.PartFile, disclosure.PartMessage}),
		fam("public.decision.", disclosure.Decisions),
		fam("public.delivery.", disclosure.Deliveries),
		fam("public.outcome.", disclosure.Outcomes),
		fam("public.tab.", disclosure.Tabs),
		fam("public.state.requester.", []string{disclosure.StateReceived, disclosure.StateProposed, disclosure.StateDecided}),
		fam("public.state.registry.", []string{disclosure.StateReceived, disclosure.StateProposed, disclosure.StateDecided}),
		fam("public.event.", []string{"received", "linked", "unlinked", "part_decided", "masked", "withheld", "decided",
			"proposed", "returned", "approved", "released"}),
		fam("public.done.", []string{"sent", "linked", "unlinked", "saved", "released", "proposed", "approved", "returned", "settings"}),
		fam("queue.tab.", casework.Tabs),
		fam("cases.sort.", casework.Sorts),
		fam("event.", []string{"submitted", "message", "status", "supplemented", "assigned", "note", "exported",
			casework.EventRepresentationConfirmed, casework.EventRepresentationRefused}),
		fam("integration.done.", []string{"webhook_removed", "client_revoked", "resent"}),
		fam("integration.event.", webhook.Events),
		fam("integration.state.", []string{webhook.StatePending, webhook.StateDelivered, webhook.StateFailed}),
		{"integration.scope.", func() (out []string) {
			for _, sc := range apiclient.Scopes {
				out = append(out, "integration.scope."+strings.ReplaceAll(sc, ":", "_"))
			}
			return out
		}()},
		fam("api.error.", []string{"400", "401", "403", "404", "405", "409", "413", "429", "500"}),
		fam("archive.done.", []string{"requested"}),
		fam("archive.state.", []string{archive.StatePending, archive.StateDone, archive.StateFailed}),
		fam("duration.", []string{"day", "hour", "minute", "second"}, ".one", ".other"),
		fam("signing.role.", signing.Roles),
		fam("signing.unnamed.", signing.Roles),
		fam("signing.message.", signing.Roles),
		fam("signing.problem.wrongPerson.", signing.Roles),
		fam("signing.state.", signing.States),
		fam("signing.failed.", signing.Reasons, ".heading", ".text"),
		fam("esigning.rule.", eservice.CoSignRules),
		fam("org.cases.link.", []string{organisation.Company, organisation.Association}),
		fam("org.cases.heading.", []string{organisation.Company, organisation.Association}),
		fam("org.done.", []string{"stopped", "declared"}),
		fam("change.", []string{
			"eservice_created", "eservice_copied", "eservice_imported", "eservice_published",
			"eservice_draft_discarded", "eservice_unpublished", "eservice_republished", "eservice_archived",
			"eservice_availability_changed", "eservice_settings_changed", "eservice_status_added",
			"eservice_status_changed", "eservice_status_moved", "eservice_status_removed",
			"eservice_template_added", "eservice_template_changed", "eservice_template_removed",
			"eservice_handlers_changed", "eservice_notice_texts_changed", "eservice_signing_changed",
			"form_step_added", "form_step_changed", "form_step_moved", "form_step_removed",
			"form_field_added", "form_field_changed", "form_field_moved", "form_field_removed",
			"municipality_settings_changed", "municipality_logo_changed", "municipality_logo_removed",
			"operating_message_added", "operating_message_ended", "operating_message_withdrawn",
			"staff_added", "staff_assigned", "staff_removed", "retention_settings_changed",
			"disclosure_settings_changed",
			"webhook_added", "webhook_removed", "api_client_added", "api_client_revoked",
		}),

		// the data rights (issue 17): the extract, requests, retention, security events
		fam("rights.extract.state.", []string{extract.Queued, extract.Building, extract.Ready, extract.Failed, extract.Expired}, "", ".text"),
		fam("rights.kind.", rights.Kinds, "", ".long"),
		fam("rights.extract.notice.", notify.Kinds),
		fam("rights.extract.notice.sent.", []string{notify.ChannelEmail, notify.ChannelSMS}),
		fam("rights.extract.read.", audit.Whats),
		fam("rights.extract.booking.", []string{booking.Booked, booking.Cancelled, booking.Rebooked}),
		fam("rights.extract.language.", []string{"sv", "en"}),
		fam("rights.extract.role.", []string{"applicant", "guardian", "person", "signatory"}),
		fam("rights.security.", security.Kinds),
		fam("rights.deletion.", retention.DeletionKinds),
		fam("rights.rule.", append(slices.Clone(retention.Rules), "months", "days")),
		fam("rights.format.type.", []string{"string", "number", "boolean", "time", "uuid", "map", "object", "list"}),
		fam("rights.esettings.disposal.", eservice.Disposals),
		{"rights.format.", formatKeys()},
		fam("profile.channel.", []string{notify.ChannelEmail, notify.ChannelSMS}),
	}
}

// formatKeys are the descriptions of the register extract's format: of each object and field.
func formatKeys() []string {
	var out []string
	for _, o := range extract.Objects() {
		out = append(out, o.Key())
		for _, f := range o.Fields {
			out = append(out, o.FieldKey(f))
		}
	}
	return out
}

// notKeys are literals that look like catalogue keys and are not, with the reason.
var notKeys = map[string]string{
	"error.form.def.rule.": "the form editor tests a problem's key for this prefix; it builds no key",
	"error.file.":          "the upload's and the import's pages test a refusal's key for this prefix; they build no key",
}

// sink is a function or method that takes a catalogue key.
type sink struct {
	call    string // as written: "apperr.New"; a method of any receiver ".T"; a local function "t"
	dir     string // only in this directory of the module; "" anywhere
	arg     int    // the argument that is the key; afterCtx: the first after a context, if any
	minArgs int    // only calls with at least this many arguments
	prefix  string // what the sink puts before the key
	empty   bool   // "" is allowed (apperr: the kind's default message)
	loose   bool   // a common name: only a literal that looks like a key is checked
	family  bool   // the argument is a family of keys (prefix without its dot), not a key
}

const afterCtx = -1

var sinks = []sink{
	{call: ".T", arg: afterCtx},                       // i18n.T(ctx, key), printer.T(key)
	{call: "t", arg: afterCtx},                        // templates' t(ctx, key), a page's t(key)
	{call: "tr", dir: "internal/form", arg: 0},        // Summary's translator
	{call: "translated", dir: "internal/web", arg: 1}, // translated(ctx, key)
	{call: "s.page", dir: "internal/web", arg: 1},     // the page's title
	{call: "s.pageSettings", dir: "internal/web", arg: 1},
	{call: "doneText", dir: "internal/web", arg: 1, family: true},
	{call: "apperr.New", arg: 1, empty: true},
	{call: "apperr.Wrap", arg: 1, empty: true},
	{call: ".Add", arg: 1, minArgs: 2, loose: true}, // apperr.FieldErrors.Add(field, key)
	{call: "c.add", dir: "internal/eservice", arg: 1, prefix: "error.exchange."},
	{call: "c.add", dir: "internal/form", arg: 3, minArgs: 4, prefix: "error.form.def."},
	{call: "definitionError", dir: "internal/form", arg: 3, prefix: "error.form.def."},
	{call: "add", dir: "internal/form", arg: 1, prefix: "error.form.def."}, // check.go's closures over c.add
	{call: "checkText", dir: "internal/eservice", arg: 5, empty: true},
	{call: "s.change", dir: "internal/eservice", arg: 3, prefix: "change."},
	{call: "s.setState", dir: "internal/eservice", arg: 3, prefix: "builder.state."},
	{call: "s.setState", dir: "internal/eservice", arg: 4, prefix: "change."},
	{call: "builderDone", dir: "internal/web", arg: 4, prefix: "builder.done."},
	{call: "formDone", dir: "internal/web", arg: 3, prefix: "builder.done."},
	{call: "s.builderAction", dir: "internal/web", arg: 1, prefix: "builder.done."},
	{call: "s.staffCaseAction", dir: "internal/web", arg: 2, prefix: "handle.done."},
}

// keyFields are struct fields that hold a catalogue key, by the struct's name; an element of a
// slice of the struct (FieldErrors{{Field: …, Key: …}}) counts too.
var keyFields = []struct {
	typ, slice, field, prefix string
}{
	{".FieldError", ".FieldErrors", "Key", ""},
	{".DefinitionError", ".DefinitionErrors", "Key", ""},
	{".DocumentProblem", "", "Key", ""},
	{"apperr.Error", "", "Key", ""},
	{".Change", "", "Action", "change."},    // audit.Change: "change.<action>" says what it was
	{"formChange", "", "action", "change."}, // web's form editor changes
}

// use is a literal found in the code: a key, a literal that looks like one, or a prefix.
type use struct {
	key string
	at  string
}

type scanned struct {
	keys     []use // given to a sink or key field, prefix added
	literals []use // other literals that look like keys
	prefixes []use // literals that look like the start of a key: "error."
	families []use // families given to a sink that takes one
}

var (
	keyLike    = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_]+)+$`)
	prefixLike = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_]+)*\.$`)
	// templCall is a key given to t in a template; templLiteral any Go string in a template.
	templCall    = regexp.MustCompile(`\bt\(ctx, "((?:[^"\\]|\\.)*)"`)
	templLiteral = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"`)
)

// moduleRoot is the folder of go.mod above the package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}

// scanModule reads the module's code: .go files (not tests, not generated templates) and .templ
// files, in the folders that hold code.
func scanModule(t *testing.T, root string) scanned {
	t.Helper()
	var s scanned
	fset := token.NewFileSet()
	for _, top := range []string{"cmd", "internal", "templates"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			name := d.Name()
			switch {
			case strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go"):
			case strings.HasSuffix(name, ".go"):
				f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
				if err != nil {
					return err
				}
				s.goFile(fset, rel, f)
			case strings.HasSuffix(name, ".templ"):
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				s.templFile(rel, string(b))
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	return s
}

// goFile finds the keys of one Go file.
func (s *scanned) goFile(fset *token.FileSet, rel string, f *ast.File) {
	dir := filepath.ToSlash(filepath.Dir(rel))
	at := func(n ast.Node) string {
		p := fset.Position(n.Pos())
		return fmt.Sprintf("%s:%d", rel, p.Line)
	}
	taken := map[*ast.BasicLit]bool{} // literals checked as keys already
	key := func(e ast.Expr, prefix string, empty bool) {
		lit, ok := stringLit(e)
		if !ok {
			return
		}
		taken[e.(*ast.BasicLit)] = true
		if lit == "" && empty {
			return
		}
		s.keys = append(s.keys, use{prefix + lit, at(e)})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			call := written(n.Fun)
			for _, k := range sinks {
				if !matches(k.call, call) || (k.dir != "" && k.dir != dir) || len(n.Args) < k.minArgs {
					continue
				}
				i := k.arg
				if i == afterCtx {
					i = 0
					if len(n.Args) > 1 && isContext(n.Args[0]) {
						i = 1
					}
				}
				if i >= len(n.Args) {
					continue
				}
				lit, ok := stringLit(n.Args[i])
				switch {
				case !ok:
				case k.family:
					taken[n.Args[i].(*ast.BasicLit)] = true
					s.families = append(s.families, use{lit, at(n)})
				case k.loose && !keyLike.MatchString(lit):
				default:
					key(n.Args[i], k.prefix, k.empty)
				}
			}
		case *ast.CompositeLit:
			typ := written(n.Type)
			for _, kf := range keyFields {
				if matches(kf.typ, typ) || (dir == "internal/apperr" && "apperr."+typ == kf.typ) {
					fieldKeys(n, kf.field, func(e ast.Expr) { key(e, kf.prefix, kf.typ == "apperr.Error") })
				}
				if kf.slice != "" && matches(kf.slice, typ) {
					for _, el := range n.Elts {
						if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
							fieldKeys(inner, kf.field, func(e ast.Expr) { key(e, kf.prefix, false) })
						}
					}
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || taken[lit] {
			return true
		}
		if v, ok := stringLit(lit); ok {
			s.literal(v, at(lit))
		}
		return true
	})
}

// templFile finds the keys of a template: those given to t, and other literals.
func (s *scanned) templFile(rel, text string) {
	for i, line := range strings.Split(text, "\n") {
		at := fmt.Sprintf("%s:%d", rel, i+1)
		calls := map[string]bool{}
		for _, m := range templCall.FindAllStringSubmatch(line, -1) {
			if v, err := strconv.Unquote(`"` + m[1] + `"`); err == nil {
				s.keys = append(s.keys, use{v, at})
				calls[v] = true
			}
		}
		for _, m := range templLiteral.FindAllStringSubmatch(line, -1) {
			if v, err := strconv.Unquote(`"` + m[1] + `"`); err == nil && !calls[v] {
				s.literal(v, at)
			}
		}
	}
}

// literal notes a literal that is not given to a sink, when it looks like a key or a prefix.
func (s *scanned) literal(v, at string) {
	switch {
	case keyLike.MatchString(v):
		s.literals = append(s.literals, use{v, at})
	case prefixLike.MatchString(v):
		s.prefixes = append(s.prefixes, use{v, at})
	}
}

// fieldKeys calls fn with the value of the named field of a struct literal.
func fieldKeys(c *ast.CompositeLit, field string, fn func(ast.Expr)) {
	for _, el := range c.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == field {
				fn(kv.Value)
			}
		}
	}
}

// written is a callee or type as written: "t", "apperr.New", "s.page"; "?.T" when the receiver
// is an expression (FromContext(ctx).T).
func written(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			return x.Name + "." + e.Sel.Name
		}
		return "?." + e.Sel.Name
	case *ast.IndexExpr:
		return written(e.X)
	}
	return ""
}

// matches reports whether a callee or type as written matches a pattern: ".T" is T of any
// receiver or package, or of the file's own package.
func matches(pattern, call string) bool {
	if strings.HasPrefix(pattern, ".") {
		return call == pattern[1:] || strings.HasSuffix(call, pattern)
	}
	return pattern == call
}

// isContext reports whether e is evidently a context: ctx, r.Context(), t.Context(),
// context.Background().
func isContext(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "ctx"
	case *ast.CallExpr:
		name := written(e.Fun)
		return strings.HasSuffix(name, ".Context") || name == "context.Background" || name == "context.TODO"
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// The scan finds the keys of every kind of use, and tells literals and prefixes apart.
func TestScanFindsKeys(t *testing.T) {
	src := `package web

func f(ctx context.Context, r *http.Request) {
	_ = i18n.T(ctx, "a.call")
	_ = i18n.T(r.Context(), "a.request")
	_ = i18n.FromContext(ctx).T("a.printer", 1)
	_ = s.page(r, "a.title", "section")
	_ = apperr.New(apperr.Invalid, "a.error")
	_ = apperr.Wrap(apperr.Invalid, "", err)
	errs.Add("field", "a.field")
	h.Add("Vary", "Cookie")
	_ = apperr.FieldErrors{{Field: "x", Key: "a.element"}}
	_ = &apperr.FieldError{Field: "x", Key: "a.struct"}
	builderDone(w, r, id, "page", "saved")
	_ = doneText(ctx, "a.done", r.URL.Query().Get("klart"))
	key := "a.variable"
	_ = i18n.T(ctx, "a.family." + key)
	_ = "not a key"
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var s scanned
	s.goFile(fset, "internal/web/x.go", f)
	s.templFile("templates/x.templ", `<p class="hint">{ t(ctx, "a.templ") }</p>`+"\n"+`{"path", "a.table"},`)
	keys := func(us []use) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.key)
		}
		return out
	}
	want := scanned{
		keys: []use{{key: "a.call"}, {key: "a.request"}, {key: "a.printer"}, {key: "a.title"}, {key: "a.error"},
			{key: "a.field"}, {key: "a.element"}, {key: "a.struct"}, {key: "builder.done.saved"}, {key: "a.templ"}},
		literals: []use{{key: "a.variable"}, {key: "a.table"}},
		prefixes: []use{{key: "a.family."}},
		families: []use{{key: "a.done"}},
	}
	for name, got := range map[string][2][]use{"keys": {s.keys, want.keys}, "literals": {s.literals, want.literals},
		"prefixes": {s.prefixes, want.prefixes}, "families": {s.families, want.families}} {
		if g, w := keys(got[0]), keys(got[1]); !slices.Equal(g, w) {
			t.Errorf("%s = %q, want %q", name, g, w)
		}
	}
}

// Package templates holds the templ components and pages. Every page takes a Page with what the
// layout needs and a view model of its own; texts come from the message catalogue through t.
package templates

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/web"
)

// Page is what the layout needs to know about the request.
type Page struct {
	Title        string // the page's own title, already translated
	Lang         string
	Municipality string // the municipality's display name
	Path         string // the current path and query, where the language switch returns to
	Section      string // which menu item is current: eservices, mypages or ""
	User         *User  // the logged-in citizen; nil for a visitor
	StaffName    string // set on the staff area's pages: its own menu is shown
	StaffRoles   []string
	Logo         string  // the address of the municipality's logo; "" when it has none
	Contact      Contact // the municipality's service centre, in the footer
	Bulletins    []Bulletin
	EServiceID   string // the e-service the page belongs to: its operating messages are shown too
	Refresh      string // an address the page goes on to at once, without script (a meta refresh)
}

// Contact is how to reach the municipality's service centre.
type Contact struct {
	Phone   string
	Email   string
	Address string
	Hours   string
}

// Empty reports whether there is nothing to show.
func (c Contact) Empty() bool { return c == Contact{} }

// Bulletin is an operating message of the municipality, shown at the top of the pages it
// concerns.
type Bulletin struct {
	EServiceID string // "" for the whole site
	Text       string // in the page's language
	Closes     bool   // its e-service takes no new cases now
}

// bulletins are the operating messages of the page: the whole site's, and its e-service's.
func (p Page) bulletins() []Bulletin {
	var out []Bulletin
	for _, b := range p.Bulletins {
		if b.EServiceID == "" || b.EServiceID == p.EServiceID {
			out = append(out, b)
		}
	}
	return out
}

// Closed reports whether an operating message closes the page's e-service now.
func (p Page) Closed() bool {
	for _, b := range p.bulletins() {
		if b.Closes && b.EServiceID != "" {
			return true
		}
	}
	return false
}

// hasRole reports whether the logged-in staff member has the role.
func hasRole(p Page, role string) bool { return slices.Contains(p.StaffRoles, role) }

// telHref is a tel: address of a phone number as people write it.
func telHref(phone string) templ.SafeURL {
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "0") && !strings.HasPrefix(n, "00") {
		n = "+46" + n[1:]
	}
	return templ.SafeURL("tel:" + n)
}

func mailtoHref(email string) templ.SafeURL { return templ.SafeURL("mailto:" + email) }

// User is the logged-in citizen, as the layout shows them.
type User struct {
	Name        string
	SessionEnds time.Time // when the session ends if the user does nothing more
}

// t translates a catalogue key in the request's language.
func t(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

// otherLang is the language the switch offers.
func otherLang(lang string) string {
	if lang == string(i18n.English) {
		return string(i18n.Swedish)
	}
	return string(i18n.English)
}

func asset(name string) string { return web.Asset(name) }

// current marks the menu item of the page's section.
func current(p Page, section string) templ.Attributes {
	if p.Section == section {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}

// loginHref is the login address that returns to the current page.
func loginHref(p Page) string { return "/login?return=" + url.QueryEscape(p.Path) }

func clock(t time.Time) string { return i18n.Clock(t) }

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Paragraphs splits a text at its blank lines.
func Paragraphs(s string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

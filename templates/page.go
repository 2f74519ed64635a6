// Package templates holds the templ components and pages. Every page takes a Page with what the
// layout needs and a view model of its own; texts come from the message catalogue through t.
package templates

import (
	"context"
	"net/url"
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
}

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

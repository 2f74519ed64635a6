package web_test

import (
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// A page's ?klart= shows the confirmation of a value the catalogue knows, and for any other
// value no banner at all: never a raw key, never the value itself.
func TestDoneBannerShowsOnlyKnownValues(t *testing.T) {
	p := webtest.Start(t)
	sv := i18n.MustLoad().Printer(i18n.Swedish)
	erik := staffBrowser(t, p, "eservice-admin-alingsas")
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	school := "/personal/etjanster/" + bsEService(t, p, "alingsas", "anmalan-till-kulturskola")
	const banner = `<div class="notice ok" role="status">`
	for _, tt := range []struct {
		b             *esBrowser
		path, family  string
		known         string
		otherPageOnly string // a value of the family that this page does not confirm
	}{
		{erik, school, "builder.done", "published", ""},
		{erik, school + "/statusar", "builder.done", "statusadded", ""},
		{erik, school + "/handlaggare", "builder.done", "caseworkers", ""},
		{erik, "/personal/etjanster", "builder.done", "archived", "published"},
		{maria, "/personal/admin/kommun", "municipality.done", "saved", ""},
		{maria, "/personal/admin/driftmeddelanden", "bulletin.done", "added", ""},
	} {
		want := sv.T(tt.family + "." + tt.known)
		assertContains(t, tt.path+" "+tt.known, tt.b.page(tt.path+"?klart="+tt.known), banner+"<p>"+want+"</p>")
		unknown := []string{"nosuch", "Published", "published.x", "%s", "<script>x</script>", tt.otherPageOnly}
		for _, value := range unknown {
			if value == "" {
				continue
			}
			page := tt.b.page(tt.path + "?klart=" + url.QueryEscape(value))
			assertLacks(t, tt.path+" "+value, page, banner, tt.family+".", want)
		}
	}
}

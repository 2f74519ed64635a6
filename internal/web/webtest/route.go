package webtest

import (
	"regexp"
	"strings"
)

var (
	routeID  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	routeKey = regexp.MustCompile(`^(/e-tjanster|/personal/etjanster/\{id\}/(?:formular/(?:falt|steg)|forhandsgranska/steg))/[^/?]+`)
)

// Route is a page's address with what differs between pages of one kind made the same: ids as
// {id}, an e-service's slug as {slug}, a step's or a field's key in the builder as {key}, and a
// query as "?…". The tests that walk every linked page read a few pages of each route.
func Route(path string) string {
	route, query, _ := strings.Cut(path, "?")
	route = routeID.ReplaceAllString(route, "{id}")
	if m := routeKey.FindStringSubmatch(route); m != nil {
		key := "{key}"
		if m[1] == "/e-tjanster" {
			key = "{slug}"
		}
		route = m[1] + "/" + key + route[len(m[0]):]
	}
	if query != "" {
		route += "?…"
	}
	return route
}

package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/minasidor/minasidor/api"
	"go.yaml.in/yaml/v3"
)

// The API's routes and its OpenAPI description name the same operations: every route under
// /api/v1 is documented, and every documented path and method is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	r := chi.NewRouter()
	(&Server{}).apiRoutes(r)
	var routed []string
	err := chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routed = append(routed, method+" "+strings.TrimSuffix(route, "/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Servers []struct{ URL string }
		Paths   map[string]map[string]any
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != apiPrefix {
		t.Errorf("servers %+v, want %s", doc.Servers, apiPrefix)
	}
	var documented []string
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "post", "put", "patch", "delete", "head", "options":
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	for _, op := range routed {
		if !slices.Contains(documented, op) {
			t.Errorf("%s is routed but not in api/openapi.yaml", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(routed, op) {
			t.Errorf("%s is in api/openapi.yaml but not routed", op)
		}
	}
	if len(routed) < 10 {
		t.Errorf("only %d routes: %v", len(routed), routed)
	}
}

// Package api holds the OpenAPI 3 description of the case systems' API (/api/v1), embedded in
// the binary and served at /api/v1/openapi.yaml. A test checks it against the routes.
package api

import _ "embed"

// OpenAPI is openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
)

// LoadIdPMetadata reads an IdP's metadata from a file, or from an https address.
func LoadIdPMetadata(ctx context.Context, source string) (*saml.EntityDescriptor, error) {
	if strings.HasPrefix(source, "https://") || strings.HasPrefix(source, "http://") {
		u, err := url.Parse(source)
		if err != nil {
			return nil, fmt.Errorf("auth: IdP metadata address: %w", err)
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		md, err := samlsp.FetchMetadata(ctx, &http.Client{Timeout: 30 * time.Second}, *u)
		if err != nil {
			return nil, fmt.Errorf("auth: fetch IdP metadata from %s: %w", source, err)
		}
		return md, nil
	}
	b, err := os.ReadFile(source)
	if err != nil {
		return nil, fmt.Errorf("auth: read IdP metadata: %w", err)
	}
	md, err := samlsp.ParseMetadata(b)
	if err != nil {
		return nil, fmt.Errorf("auth: parse IdP metadata %s: %w", source, err)
	}
	return md, nil
}

package auth

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/crewjam/saml"
)

// ReadIdPMetadata reads an IdP's metadata from a file or an https address (never plain http:
// the metadata holds the certificate every login is checked with) and checks that a login can
// use it (CheckIdPMetadata). From an aggregate of several entities it takes the first IdP.
func ReadIdPMetadata(ctx context.Context, source string) (*saml.EntityDescriptor, error) {
	if strings.HasPrefix(source, "http://") {
		return nil, fmt.Errorf("auth: IdP metadata must come from a file or an https address, not %s", source)
	}
	md, err := LoadIdPMetadata(ctx, source)
	if err != nil {
		return nil, err
	}
	if err := CheckIdPMetadata(md); err != nil {
		return nil, fmt.Errorf("auth: IdP metadata %s: %w", source, err)
	}
	return md, nil
}

// CheckIdPMetadata checks that md describes an identity provider a service provider here can log
// in with: an entity id, an IdP role, a certificate that signs, and a single sign-on endpoint
// with the HTTP-Redirect binding, which our authentication requests use.
func CheckIdPMetadata(md *saml.EntityDescriptor) error {
	if md == nil {
		return errors.New("no metadata")
	}
	if strings.TrimSpace(md.EntityID) == "" {
		return errors.New("the metadata names no entityID")
	}
	if len(md.IDPSSODescriptors) == 0 {
		return fmt.Errorf("%s is not an identity provider (no IDPSSODescriptor)", md.EntityID)
	}
	var signing, sso bool
	var problems []string
	for _, d := range md.IDPSSODescriptors {
		for _, kd := range d.KeyDescriptors {
			if kd.Use != "" && kd.Use != "signing" {
				continue
			}
			for _, c := range kd.KeyInfo.X509Data.X509Certificates {
				if err := parseCertificate(c.Data); err != nil {
					problems = append(problems, "a signing certificate does not parse: "+err.Error())
					continue
				}
				signing = true
			}
		}
		for _, e := range d.SingleSignOnServices {
			if e.Binding != saml.HTTPRedirectBinding {
				continue
			}
			if u, err := url.Parse(e.Location); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				problems = append(problems, fmt.Sprintf("the single sign-on address %q is not an absolute http(s) address", e.Location))
				continue
			}
			sso = true
		}
	}
	if !signing {
		return fmt.Errorf("%s has no signing certificate (KeyDescriptor use=\"signing\" with an X509Certificate)%s", md.EntityID, also(problems))
	}
	if !sso {
		return fmt.Errorf("%s has no SingleSignOnService with the HTTP-Redirect binding%s", md.EntityID, also(problems))
	}
	return nil
}

func parseCertificate(data string) error {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(data), ""))
	if err != nil {
		return err
	}
	_, err = x509.ParseCertificate(der)
	return err
}

func also(problems []string) string {
	if len(problems) == 0 {
		return ""
	}
	return "; " + strings.Join(problems, "; ")
}

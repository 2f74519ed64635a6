package web_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The service providers' metadata advertises only what the portal serves: one assertion consumer
// service, with the HTTP-POST binding, and no artifact, single logout or NameID management
// endpoints. The NameID format is the one each provider asks for.
func TestSAMLMetadataAdvertisesOnlyWhatIsServed(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		opts                       []webtest.Option
		citizenFormat, staffFormat string
	}{
		{"default", nil, config.NameIDTransient, config.NameIDTransient},
		{"staff NameID persistent", []webtest.Option{func(c *config.Config) {
			c.StaffAttrID, c.StaffNameIDFormat = config.StaffIDFromNameID, config.NameIDPersistent
		}}, config.NameIDTransient, config.NameIDPersistent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := webtest.Start(t, tc.opts...)
			c := p.Client(t)
			for _, sp := range []struct{ prefix, format string }{{"/saml", tc.citizenFormat}, {"/personal/saml", tc.staffFormat}} {
				resp := p.Do(t, c, "GET", sp.prefix+"/metadata", nil)
				body := webtest.ReadBody(t, resp)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s/metadata: %d", sp.prefix, resp.StatusCode)
				}
				var md saml.EntityDescriptor
				if err := xml.Unmarshal([]byte(body), &md); err != nil {
					t.Fatalf("%s/metadata: %v", sp.prefix, err)
				}
				if len(md.SPSSODescriptors) != 1 || len(md.IDPSSODescriptors) != 0 {
					t.Fatalf("%s/metadata: %d SP and %d IdP descriptors", sp.prefix, len(md.SPSSODescriptors), len(md.IDPSSODescriptors))
				}
				d := md.SPSSODescriptors[0]
				var acs []string
				for _, e := range d.AssertionConsumerServices {
					acs = append(acs, e.Binding+" "+e.Location)
				}
				if want := saml.HTTPPostBinding + " " + p.URL + sp.prefix + "/acs"; len(acs) != 1 || acs[0] != want {
					t.Errorf("%s/metadata advertises ACS %q, want only %q", sp.prefix, acs, want)
				}
				if len(d.SingleLogoutServices)+len(d.ArtifactResolutionServices)+len(d.ManageNameIDServices) != 0 {
					t.Errorf("%s/metadata advertises endpoints that are not served: logout %v, artifact %v, NameID management %v",
						sp.prefix, d.SingleLogoutServices, d.ArtifactResolutionServices, d.ManageNameIDServices)
				}
				if strings.Contains(body, "HTTP-Artifact") {
					t.Errorf("%s/metadata mentions the artifact binding", sp.prefix)
				}
				if len(d.NameIDFormats) != 1 || string(d.NameIDFormats[0]) != sp.format {
					t.Errorf("%s/metadata NameID formats %v, want %s", sp.prefix, d.NameIDFormats, sp.format)
				}
				// The advertised ACS is served: an empty post is refused as a login, not as an
				// unknown address or method.
				acsPath := strings.TrimPrefix(d.AssertionConsumerServices[0].Location, p.URL)
				if r := p.Do(t, p.Client(t), "POST", acsPath, url.Values{"SAMLResponse": {""}}); r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusMethodNotAllowed {
					t.Errorf("POST %s: %d", acsPath, r.StatusCode)
				}
			}
		})
	}
}

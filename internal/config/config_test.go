package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDevelopmentDefaults(t *testing.T) {
	c, err := Load(env(nil), Development)
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != "127.0.0.1:8080" || c.BaseURL.String() != "http://localhost:8080" {
		t.Errorf("listen %q base %q", c.ListenAddr, c.BaseURL)
	}
	if c.SessionIdleTimeout != 20*time.Minute || c.SessionLifetime != 8*time.Hour {
		t.Errorf("session timeouts %v %v", c.SessionIdleTimeout, c.SessionLifetime)
	}
	if !c.DevIdP || !c.DemoData || c.IsProduction() {
		t.Errorf("development features off: %+v", c)
	}
}

func TestProductionRefusesDevelopmentFeatures(t *testing.T) {
	_, err := Load(env(map[string]string{
		"APP_ENV":   "production",
		"BASE_URL":  "http://minasidor.example.se",
		"DEV_IDP":   "true",
		"DEMO_DATA": "1",
	}), Production)
	if err == nil {
		t.Fatal("production started with development features")
	}
	for _, name := range []string{"DATABASE_URL", "BASE_URL", "DEV_IDP", "DEMO_DATA", "SAML_SP_KEY_FILE", "POPULATION_REGISTER_URL", "SMTP_HOST", "CLAMD_ADDR"} {
		if !mentions(err, name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestProductionMinimal(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DATABASE_URL":                  "postgres://app@db/minasidor",
		"BASE_URL":                      "https://minasidor.example.se/",
		"DEFAULT_TENANT":                "alingsas",
		"SAML_SP_KEY_FILE":              "/run/secrets/sp-key.pem",
		"SAML_SP_CERT_FILE":             "/run/secrets/sp-cert.pem",
		"SAML_IDP_METADATA":             "https://idp.example.se/metadata",
		"POPULATION_REGISTER_URL":       "https://navet.example.se",
		"POPULATION_REGISTER_CERT_FILE": "/run/secrets/navet-cert.pem",
		"POPULATION_REGISTER_KEY_FILE":  "/run/secrets/navet-key.pem",
		"SMTP_HOST":                     "smtp.example.se",
		"STAFF_SAML_SP_KEY_FILE":        "/run/secrets/staff-key.pem",
		"STAFF_SAML_SP_CERT_FILE":       "/run/secrets/staff-cert.pem",
		"SMTP_FROM":                     "Mina sidor <no-reply@minasidor.example.se>",
		"CLAMD_ADDR":                    "unix:///run/clamav/clamd.ctl",
	}), Production)
	if err != nil {
		t.Fatal(err)
	}
	if c.DevIdP || c.DemoData || !c.IsProduction() || c.ListenAddr != ":8080" {
		t.Errorf("unexpected production config %+v", c)
	}
	if len(c.SAMLLoA) != 1 || c.SAMLLoA[0] != LoA3 {
		t.Errorf("SAML_LOA default %v", c.SAMLLoA)
	}
	if c.BaseURL.String() != "https://minasidor.example.se" {
		t.Errorf("base url %q", c.BaseURL)
	}
}

func TestBadValuesNameTheirVariable(t *testing.T) {
	tests := map[string]string{
		"APP_ENV":              "staging",
		"BASE_URL":             "minasidor.example.se",
		"SESSION_IDLE_TIMEOUT": "twenty minutes",
		"SESSION_LIFETIME":     "-1h",
		"MAX_BODY_BYTES":       "12",
		"DEV_IDP":              "ja",
		"LOG_LEVEL":            "loud",
		"LOG_FORMAT":           "xml",
		"SAML_IDP_METADATA":    "/etc/idp.xml", // with the development IdP on
		"SAML_LOA":             " , ",
		"SMTP_PORT":            "smtp",
		"SMTP_TLS":             "ssl",
	}
	for name, value := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Load(env(map[string]string{name: value}), Development)
			if err == nil || !mentions(err, name) {
				t.Errorf("%s=%q: error %v does not name the variable", name, value, err)
			}
		})
	}
}

func TestLifetimeShorterThanIdle(t *testing.T) {
	_, err := Load(env(map[string]string{"SESSION_IDLE_TIMEOUT": "2h", "SESSION_LIFETIME": "1h"}), Development)
	if err == nil || !mentions(err, "SESSION_LIFETIME") {
		t.Errorf("err = %v", err)
	}
}

func mentions(err error, name string) bool {
	var fe *FieldError
	for _, e := range unwrapAll(err) {
		if errors.As(e, &fe) && fe.Var == name {
			return true
		}
	}
	return strings.Contains(err.Error(), name+":")
}

func unwrapAll(err error) []error {
	out := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
	} else if u := errors.Unwrap(err); u != nil {
		out = append(out, unwrapAll(u)...)
	}
	return out
}

// The staff employee id is by default the persistent subject-id attribute, never a transient
// NameID; the NameID may serve only when the staff login asks for a persistent one.
func TestStaffEmployeeID(t *testing.T) {
	c, err := Load(env(nil), Development)
	if err != nil {
		t.Fatal(err)
	}
	if c.StaffAttrID != AttrSubjectID || c.StaffNameIDFormat != NameIDTransient {
		t.Errorf("defaults: id %q, format %q", c.StaffAttrID, c.StaffNameIDFormat)
	}

	c, err = Load(env(map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "NameID", "STAFF_SAML_NAMEID_FORMAT": "persistent"}), Development)
	if err != nil {
		t.Fatal(err)
	}
	if c.StaffAttrID != StaffIDFromNameID || c.StaffNameIDFormat != NameIDPersistent {
		t.Errorf("NameID: id %q, format %q", c.StaffAttrID, c.StaffNameIDFormat)
	}
	c, err = Load(env(map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "urn:oid:2.16.840.1.113730.3.1.3", "STAFF_SAML_NAMEID_FORMAT": "unspecified"}), Development)
	if err != nil {
		t.Fatal(err)
	}
	if c.StaffAttrID != "urn:oid:2.16.840.1.113730.3.1.3" || c.StaffNameIDFormat != NameIDUnspecified {
		t.Errorf("attribute: id %q, format %q", c.StaffAttrID, c.StaffNameIDFormat)
	}

	refused := []struct {
		name string
		env  map[string]string
		want string // the variable the error names
	}{
		{"NameID with the default transient format", map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "NameID"}, "STAFF_ATTR_EMPLOYEE_ID"},
		{"NameID with a transient format", map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "NameID", "STAFF_SAML_NAMEID_FORMAT": "transient"}, "STAFF_ATTR_EMPLOYEE_ID"},
		{"NameID with an unspecified format", map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "NameID", "STAFF_SAML_NAMEID_FORMAT": "unspecified"}, "STAFF_ATTR_EMPLOYEE_ID"},
		{"a blank employee id", map[string]string{"STAFF_ATTR_EMPLOYEE_ID": "  "}, "STAFF_ATTR_EMPLOYEE_ID"},
		{"an unknown format", map[string]string{"STAFF_SAML_NAMEID_FORMAT": "email"}, "STAFF_SAML_NAMEID_FORMAT"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.env), Development)
			if err == nil || !mentions(err, tc.want) {
				t.Errorf("error %v does not name %s", err, tc.want)
			}
		})
	}
}

func TestOperationsSettings(t *testing.T) {
	c, err := Load(env(map[string]string{
		"CLAMD_ADDR": "tcp://127.0.0.1:3310", "CLAMD_UNAVAILABLE": "rescan", "CLAMD_TIMEOUT": "10s",
		"METRICS_ADDR": "127.0.0.1:9090", "SHUTDOWN_DRAIN": "0", "SHUTDOWN_TIMEOUT": "1m",
	}), Development)
	if err != nil {
		t.Fatal(err)
	}
	if c.ClamdAddr != "tcp://127.0.0.1:3310" || c.ClamdUnavailable != "rescan" || c.ClamdTimeout != 10*time.Second ||
		c.ClamdRescanEvery != 5*time.Minute || c.MetricsAddr != "127.0.0.1:9090" || c.ShutdownDrain != 0 || c.ShutdownTimeout != time.Minute {
		t.Errorf("operations settings %+v", c)
	}
	_, err = Load(env(map[string]string{
		"CLAMD_ADDR": "clamd:3310", "CLAMD_UNAVAILABLE": "accept", "METRICS_ADDR": "127.0.0.1:8080", "LISTEN_ADDR": "127.0.0.1:8080",
	}), Development)
	for _, name := range []string{"CLAMD_ADDR", "CLAMD_UNAVAILABLE", "METRICS_ADDR"} {
		if !mentions(err, name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

// Package config reads the server's configuration from environment variables once, at start,
// into a Config that is passed to whatever needs it. Every variable is documented in README.md.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Environment names.
const (
	Development = "development"
	Production  = "production"
)

// Config is the whole configuration of one server process.
type Config struct {
	Env        string // development or production
	ListenAddr string
	BaseURL    *url.URL

	DatabaseURL string // empty in development: the local cluster is started
	DataDir     string // where the local development cluster keeps its files

	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration

	DefaultTenant string // slug of the municipality served when the host names none
	MaxBodyBytes  int64
	TrustProxy    bool // take the client's address from the last X-Forwarded-For entry
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed (TRUSTED_PROXIES);
	// empty with TrustProxy: any peer's.
	TrustedProxies []netip.Prefix

	// Retention and the data kept about requests (package retention, package security).
	AddressRetention  time.Duration // how long clients' IP addresses are kept
	RetentionInterval time.Duration // how often the retention job runs
	ExtractLifetime   time.Duration // how long a register extract can be downloaded
	SecurityLog       string        // where security events are written as JSON lines: stderr, stdout or a file

	DevIdP   bool // serve the development identity provider
	DemoData bool // load demo municipalities, e-services and persons

	LogLevel  string
	LogFormat string // text or json

	// Citizen login over SAML.
	SAMLKeyFile     string   // PEM private key that signs our requests
	SAMLCertFile    string   // PEM certificate of that key, published in our metadata
	SAMLIdPMetadata string   // file path or https URL of the e-ID IdP's metadata; empty: the development IdP
	SAMLLoA         []string // accepted levels of assurance; the first is requested
	// SAMLSignLoA are the levels "for signature" a signature asks for and accepts (the first is
	// requested); empty: each of SAMLLoA with -sigmessage.
	SAMLSignLoA []string

	// Staff login over SAML: a service provider of its own, with each municipality's IdP (its
	// metadata is stored per municipality; the development IdP in development).
	StaffKeyFile  string
	StaffCertFile string
	StaffAttrID   string // attribute holding the employee id, or StaffIDFromNameID
	// StaffNameIDFormat is the NameID format the staff login asks the IdP for (a URN); the
	// employee id may come from the NameID only when it is persistent.
	StaffNameIDFormat string
	StaffAttrName     string
	StaffAttrEmail    string
	StaffAttrGroups   string

	// Population register (folkbokföringen) lookup; empty URL: the development register.
	PopulationURL      string
	PopulationCertFile string
	PopulationKeyFile  string
	PopulationCAFile   string

	// Companies register (authorised signatories); empty URL: the development register.
	CompanyURL      string
	CompanyCertFile string
	CompanyKeyFile  string
	CompanyCAFile   string

	// Notices: e-mail over SMTP, SMS through an HTTP gateway. In development, without a host or
	// gateway, they go to the development mailbox page.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	SMTPTLS      string // starttls, tls or none
	SMSURL       string
	SMSToken     string
	SMSSender    string

	// Virus scanning of uploads through ClamAV's daemon; empty address: the development scanner
	// (EICAR only), which production refuses.
	ClamdAddr        string        // tcp://host:port or unix:///path
	ClamdTimeout     time.Duration // bounds one scan
	ClamdUnavailable string        // refuse or rescan: what happens to a file when clamd gives no verdict
	ClamdRescanEvery time.Duration // how often the files kept for a later scan are scanned
	MetricsAddr      string        // where Prometheus metrics are served; empty: not served
	ShutdownDrain    time.Duration // after SIGTERM: not ready, still serving, this long
	ShutdownTimeout  time.Duration // then: requests and jobs under way get this long to finish
	// Outgoing webhooks (internal/webhook): the wait after the first failed try (doubling after
	// each), the time limit of one try, and whether they may go to private addresses.
	WebhookRetryBase    time.Duration
	WebhookTimeout      time.Duration
	WebhookAllowPrivate bool
}

// The staff employee id: by default the subject-id attribute of the OASIS SAML V2.0 Subject
// Identifier Attributes Profile (which SAML2Int recommends), a persistent identifier;
// StaffIDFromNameID takes it from the NameID instead, which must then be persistent.
const (
	AttrSubjectID     = "urn:oasis:names:tc:SAML:attribute:subject-id"
	StaffIDFromNameID = "NameID"
)

// NameID formats of SAML 2.0.
const (
	NameIDPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	NameIDTransient   = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	NameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
)

// nameIDFormats maps the values of STAFF_SAML_NAMEID_FORMAT to their URNs.
var nameIDFormats = map[string]string{
	"persistent": NameIDPersistent, "transient": NameIDTransient, "unspecified": NameIDUnspecified,
	NameIDPersistent: NameIDPersistent, NameIDTransient: NameIDTransient, NameIDUnspecified: NameIDUnspecified,
}

// LoA3 is the level of assurance of the Swedish e-ID framework that BankID and Freja eID+ meet.
const LoA3 = "http://id.elegnamnden.se/loa/1.0/loa3"

// IsProduction reports whether the server runs in production.
func (c Config) IsProduction() bool { return c.Env == Production }

// FieldError names the variable that is wrong and why.
type FieldError struct {
	Var    string
	Reason string
}

func (e *FieldError) Error() string { return e.Var + ": " + e.Reason }

// Load parses the configuration from getenv. defaultEnv is the environment used when APP_ENV is
// not set: production for serve and migrate, development for dev. All problems are reported at
// once, each naming its variable.
func Load(getenv func(string) string, defaultEnv string) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{}

	c.Env = p.str("APP_ENV", defaultEnv)
	if c.Env != Development && c.Env != Production {
		p.fail("APP_ENV", "must be development or production, not "+strconv.Quote(c.Env))
	}
	dev := c.Env == Development

	c.ListenAddr = p.str("LISTEN_ADDR", pick(dev, "127.0.0.1:8080", ":8080"))
	c.BaseURL = p.url("BASE_URL", pick(dev, "http://localhost:8080", ""))
	c.DatabaseURL = p.str("DATABASE_URL", "")
	c.DataDir = p.str("DATA_DIR", "data")
	c.SessionIdleTimeout = p.duration("SESSION_IDLE_TIMEOUT", 20*time.Minute)
	c.SessionLifetime = p.duration("SESSION_LIFETIME", 8*time.Hour)
	c.DefaultTenant = p.str("DEFAULT_TENANT", pick(dev, "alingsas", ""))
	c.MaxBodyBytes = p.bytes("MAX_BODY_BYTES", 1<<20)
	c.TrustProxy = p.bool("TRUST_PROXY", false)
	c.TrustedProxies = p.prefixes("TRUSTED_PROXIES")
	if len(c.TrustedProxies) > 0 {
		c.TrustProxy = true
	}
	c.AddressRetention = p.duration("ADDRESS_RETENTION", 30*24*time.Hour)
	c.RetentionInterval = p.duration("RETENTION_INTERVAL", time.Hour)
	c.ExtractLifetime = p.duration("EXTRACT_LIFETIME", 48*time.Hour)
	c.SecurityLog = p.str("SECURITY_LOG", "stderr")
	c.DevIdP = p.bool("DEV_IDP", dev)
	c.DemoData = p.bool("DEMO_DATA", dev)
	c.LogLevel = p.str("LOG_LEVEL", "info")
	c.LogFormat = p.str("LOG_FORMAT", pick(dev, "text", "json"))

	c.SAMLKeyFile = p.str("SAML_SP_KEY_FILE", pick(dev, c.DataDir+"/saml/sp-key.pem", ""))
	c.SAMLCertFile = p.str("SAML_SP_CERT_FILE", pick(dev, c.DataDir+"/saml/sp-cert.pem", ""))
	c.SAMLIdPMetadata = p.str("SAML_IDP_METADATA", "")
	c.SAMLLoA = p.list("SAML_LOA", []string{LoA3})
	c.SAMLSignLoA = p.list("SAML_SIGN_LOA", nil)
	c.StaffKeyFile = p.str("STAFF_SAML_SP_KEY_FILE", pick(dev, c.DataDir+"/saml/staff-key.pem", ""))
	c.StaffCertFile = p.str("STAFF_SAML_SP_CERT_FILE", pick(dev, c.DataDir+"/saml/staff-cert.pem", ""))
	c.StaffAttrID = p.str("STAFF_ATTR_EMPLOYEE_ID", AttrSubjectID)
	c.StaffNameIDFormat = p.str("STAFF_SAML_NAMEID_FORMAT", "transient")
	c.StaffAttrName = p.str("STAFF_ATTR_NAME", "urn:oid:2.16.840.1.113730.3.1.241")
	c.StaffAttrEmail = p.str("STAFF_ATTR_EMAIL", "urn:oid:0.9.2342.19200300.100.1.3")
	c.StaffAttrGroups = p.str("STAFF_ATTR_GROUPS", "urn:oid:1.3.6.1.4.1.5923.1.5.1.1")
	c.PopulationURL = p.str("POPULATION_REGISTER_URL", "")
	c.PopulationCertFile = p.str("POPULATION_REGISTER_CERT_FILE", "")
	c.PopulationKeyFile = p.str("POPULATION_REGISTER_KEY_FILE", "")
	c.PopulationCAFile = p.str("POPULATION_REGISTER_CA_FILE", "")
	c.CompanyURL = p.str("COMPANY_REGISTER_URL", "")
	c.CompanyCertFile = p.str("COMPANY_REGISTER_CERT_FILE", "")
	c.CompanyKeyFile = p.str("COMPANY_REGISTER_KEY_FILE", "")
	c.CompanyCAFile = p.str("COMPANY_REGISTER_CA_FILE", "")

	c.SMTPHost = p.str("SMTP_HOST", "")
	c.SMTPPort = p.int("SMTP_PORT", 0)
	c.SMTPUsername = p.str("SMTP_USERNAME", "")
	c.SMTPPassword = p.str("SMTP_PASSWORD", "")
	c.SMTPFrom = p.str("SMTP_FROM", "")
	c.SMTPTLS = p.str("SMTP_TLS", "starttls")
	c.SMSURL = p.str("SMS_GATEWAY_URL", "")
	c.SMSToken = p.str("SMS_GATEWAY_TOKEN", "")
	c.SMSSender = p.str("SMS_SENDER", "")
	c.ClamdAddr = p.str("CLAMD_ADDR", "")
	c.ClamdTimeout = p.duration("CLAMD_TIMEOUT", time.Minute)
	c.ClamdUnavailable = p.str("CLAMD_UNAVAILABLE", "refuse")
	c.ClamdRescanEvery = p.duration("CLAMD_RESCAN_INTERVAL", 5*time.Minute)
	c.MetricsAddr = p.str("METRICS_ADDR", "")
	c.ShutdownDrain = p.durationOrZero("SHUTDOWN_DRAIN", pickDuration(dev, 0, 5*time.Second))
	c.ShutdownTimeout = p.duration("SHUTDOWN_TIMEOUT", 30*time.Second)
	if c.ClamdUnavailable != "refuse" && c.ClamdUnavailable != "rescan" {
		p.fail("CLAMD_UNAVAILABLE", "must be refuse or rescan")
	}
	if c.ClamdAddr != "" && !strings.HasPrefix(c.ClamdAddr, "tcp://") && !strings.HasPrefix(c.ClamdAddr, "unix:///") {
		p.fail("CLAMD_ADDR", "must be tcp://host:port or unix:///path/to/clamd.ctl")
	}
	if c.MetricsAddr != "" && c.MetricsAddr == c.ListenAddr && !strings.HasSuffix(c.MetricsAddr, ":0") {
		p.fail("METRICS_ADDR", "must differ from LISTEN_ADDR: the metrics are served on an address of their own")
	}
	c.WebhookRetryBase = p.duration("WEBHOOK_RETRY_BASE", 30*time.Second)
	c.WebhookTimeout = p.duration("WEBHOOK_TIMEOUT", 10*time.Second)
	c.WebhookAllowPrivate = p.bool("WEBHOOK_ALLOW_PRIVATE", dev)
	switch c.SMTPTLS {
	case "starttls", "tls", "none":
	default:
		p.fail("SMTP_TLS", "must be starttls, tls or none")
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		p.fail("SMTP_FROM", "is required with SMTP_HOST: the sender address of notices, e.g. Mina sidor <no-reply@minasidor.example.se>")
	}

	if raw := p.getenv("STAFF_ATTR_EMPLOYEE_ID"); raw != "" && strings.TrimSpace(raw) == "" {
		// An unset or empty variable takes the default; a blank one is a mistake, most likely
		// the old way of saying "the NameID", which no longer means that.
		p.fail("STAFF_ATTR_EMPLOYEE_ID", "must not be blank: name the attribute holding the employee id (default "+AttrSubjectID+"), or NameID")
	}
	if format, ok := nameIDFormats[c.StaffNameIDFormat]; ok {
		c.StaffNameIDFormat = format
	} else {
		p.fail("STAFF_SAML_NAMEID_FORMAT", "must be persistent, transient or unspecified, not "+strconv.Quote(c.StaffNameIDFormat))
	}
	if strings.EqualFold(c.StaffAttrID, StaffIDFromNameID) {
		c.StaffAttrID = StaffIDFromNameID
	}
	if c.StaffAttrID == StaffIDFromNameID && c.StaffNameIDFormat != NameIDPersistent {
		p.fail("STAFF_ATTR_EMPLOYEE_ID", "can be NameID only with STAFF_SAML_NAMEID_FORMAT=persistent: any other NameID may differ at every login, "+
			"so no staff member would be recognised; use a persistent attribute such as "+AttrSubjectID)
	}

	if c.SAMLIdPMetadata == "" && !c.DevIdP {
		p.fail("SAML_IDP_METADATA", "is required unless DEV_IDP is on: the file or https address of the e-ID identity provider's metadata")
	}
	if c.SAMLIdPMetadata != "" && c.DevIdP {
		p.fail("SAML_IDP_METADATA", "cannot be combined with DEV_IDP=true: choose the development IdP or a real one")
	}
	if c.PopulationURL != "" && (c.PopulationCertFile == "" || c.PopulationKeyFile == "") {
		p.fail("POPULATION_REGISTER_CERT_FILE", "and POPULATION_REGISTER_KEY_FILE are required with POPULATION_REGISTER_URL (the register requires a client certificate)")
	}
	if c.CompanyURL != "" && (c.CompanyCertFile == "" || c.CompanyKeyFile == "") {
		p.fail("COMPANY_REGISTER_CERT_FILE", "and COMPANY_REGISTER_KEY_FILE are required with COMPANY_REGISTER_URL (the register requires a client certificate)")
	}

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.fail("LOG_LEVEL", "must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		p.fail("LOG_FORMAT", "must be text or json")
	}
	if c.SessionLifetime < c.SessionIdleTimeout {
		p.fail("SESSION_LIFETIME", "must not be shorter than SESSION_IDLE_TIMEOUT")
	}

	if c.IsProduction() {
		if c.DatabaseURL == "" {
			p.fail("DATABASE_URL", "is required in production (the local cluster is for development only)")
		}
		if c.BaseURL != nil && c.BaseURL.Scheme != "https" {
			p.fail("BASE_URL", "must be an https address in production")
		}
		if c.DevIdP {
			p.fail("DEV_IDP", "the development identity provider cannot run in production")
		}
		if c.DemoData {
			p.fail("DEMO_DATA", "demo data cannot be loaded in production")
		}
		if c.SAMLKeyFile == "" || c.SAMLCertFile == "" {
			p.fail("SAML_SP_KEY_FILE", "and SAML_SP_CERT_FILE are required in production: the key pair that signs login requests")
		}
		if c.StaffKeyFile == "" || c.StaffCertFile == "" {
			p.fail("STAFF_SAML_SP_KEY_FILE", "and STAFF_SAML_SP_CERT_FILE are required in production: the staff login's own key pair")
		}
		if c.PopulationURL == "" {
			p.fail("POPULATION_REGISTER_URL", "is required in production (the development register holds only test persons)")
		}
		if c.SMTPHost == "" {
			p.fail("SMTP_HOST", "is required in production: notices by e-mail go through it")
		}
		if c.CompanyURL == "" {
			p.fail("COMPANY_REGISTER_URL", "is required in production (the development register holds only test companies)")
		}
		if c.ClamdAddr == "" {
			p.fail("CLAMD_ADDR", "is required in production: every upload is scanned by ClamAV's daemon (the development scanner knows only the EICAR test file)")
		}
	}
	return c, p.err()
}

func pickDuration(dev bool, inDev, inProd time.Duration) time.Duration {
	if dev {
		return inDev
	}
	return inProd
}

func pick(dev bool, inDev, inProd string) string {
	if dev {
		return inDev
	}
	return inProd
}

type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) fail(name, reason string) {
	p.errs = append(p.errs, &FieldError{Var: name, Reason: reason})
}

func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return fmt.Errorf("configuration: %w", errors.Join(p.errs...))
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) url(name, def string) *url.URL {
	v := p.str(name, def)
	if v == "" {
		p.fail(name, "is required")
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, "must be an absolute http or https address such as https://minasidor.example.se")
		return nil
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u
}

func (p *parser) int(name string, def int) int {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 65535 {
		p.fail(name, "must be a port number from 1 to 65535")
		return def
	}
	return n
}

func (p *parser) list(name string, def []string) []string {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	if len(out) == 0 {
		p.fail(name, "must list at least one value")
		return def
	}
	return out
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, "must be a positive duration such as 20m or 8h")
		return def
	}
	return d
}

// prefixes parses a comma-separated list of addresses and CIDR prefixes (an address alone is a
// prefix of its full length).
func (p *parser) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, item := range p.list(name, nil) {
		if pre, err := netip.ParsePrefix(item); err == nil {
			out = append(out, pre.Masked())
		} else if addr, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
		} else {
			p.fail(name, "must list IP addresses or prefixes such as 10.0.0.0/8, not "+strconv.Quote(item))
		}
	}
	return out
}

// durationOrZero is duration that also takes 0.
func (p *parser) durationOrZero(name string, def time.Duration) time.Duration {
	if v := p.str(name, ""); v == "0" {
		return 0
	}
	return p.duration(name, def)
}

func (p *parser) bool(name string, def bool) bool {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, "must be true or false")
		return def
	}
	return b
}

func (p *parser) bytes(name string, def int64) int64 {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1024 {
		p.fail(name, "must be a whole number of bytes, at least 1024")
		return def
	}
	return n
}

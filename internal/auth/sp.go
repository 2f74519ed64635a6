// Package auth holds the SAML service providers, the development identity provider, and the
// identity a login yields. The service provider keeps its own state in PostgreSQL (a pending
// login per started login, every accepted assertion id) rather than in cookies.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/crewjam/saml"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/db"
	dsig "github.com/russellhaering/goxmldsig"
)

// Provider names, stored with each pending login: the pending row, never the response's issuer,
// decides which kind of login a response finishes.
const (
	Citizen = "citizen"
	Staff   = "staff"
)

// PendingLifetime is how long a started login may take.
const PendingLifetime = 10 * time.Minute

// ClockSkew is the largest difference between our clock and the IdP's that we accept.
const ClockSkew = 60 * time.Second

func init() {
	// crewjam/saml keeps these as package settings; they apply to every provider.
	saml.MaxClockSkew = ClockSkew
	saml.MaxIssueDelay = 90 * time.Second
}

// SPConfig configures one service provider.
type SPConfig struct {
	Name        string   // Citizen or Staff
	BaseURL     *url.URL // the portal's public address
	PathPrefix  string   // where its endpoints live, e.g. /saml: /saml/metadata and /saml/acs
	Keys        KeyPair
	IdPMetadata *saml.EntityDescriptor
	LoA         []string // accepted levels of assurance; the first is requested; none: not checked
	DisplayName map[string]string
	Tenant      uuid.UUID // for a staff provider: the municipality whose IdP this is
	// NameIDFormat is the NameID format requested of the IdP (a URN); empty: transient.
	NameIDFormat string
}

// ServiceProvider runs logins against one IdP.
type ServiceProvider struct {
	name string
	sp   saml.ServiceProvider
	loa  []string
	db   db.Querier
	cfg  SPConfig
}

// NewServiceProvider returns a service provider that keeps its state in pool.
func NewServiceProvider(q db.Querier, cfg SPConfig) *ServiceProvider {
	metadataURL := *cfg.BaseURL.JoinPath(cfg.PathPrefix, "metadata")
	acsURL := *cfg.BaseURL.JoinPath(cfg.PathPrefix, "acs")
	nameIDFormat := saml.TransientNameIDFormat
	if cfg.NameIDFormat != "" {
		nameIDFormat = saml.NameIDFormat(cfg.NameIDFormat)
	}
	sp := saml.ServiceProvider{
		EntityID:          metadataURL.String(),
		Key:               cfg.Keys.Key,
		Certificate:       cfg.Keys.Certificate,
		MetadataURL:       metadataURL,
		AcsURL:            acsURL,
		IDPMetadata:       cfg.IdPMetadata,
		AuthnNameIDFormat: nameIDFormat,
		SignatureMethod:   dsig.RSASHA256SignatureMethod,
		SignatureVerifier: strongVerifier{},
		AllowIDPInitiated: false,
	}
	if len(cfg.LoA) > 0 {
		sp.RequestedAuthnContext = &saml.RequestedAuthnContext{Comparison: "exact", AuthnContextClassRef: cfg.LoA[0]}
	}
	return &ServiceProvider{name: cfg.Name, sp: sp, loa: cfg.LoA, db: q, cfg: cfg}
}

// EntityID is the service provider's SAML entity id (its metadata address).
func (p *ServiceProvider) EntityID() string { return p.sp.EntityID }

// ACSURL is where the IdP posts its response.
func (p *ServiceProvider) ACSURL() url.URL { return p.sp.AcsURL }

// Metadata returns the service provider's metadata document.
func (p *ServiceProvider) Metadata() ([]byte, error) {
	md := p.sp.Metadata()
	// Advertise only what is served: answers posted to the ACS. crewjam/saml also lists an
	// HTTP-Artifact ACS, which we do not implement, and would list single logout endpoints.
	for i := range md.SPSSODescriptors {
		d := &md.SPSSODescriptors[i]
		d.AssertionConsumerServices = slices.DeleteFunc(d.AssertionConsumerServices, func(e saml.IndexedEndpoint) bool {
			return e.Binding != saml.HTTPPostBinding
		})
		d.SingleLogoutServices = nil
		d.ArtifactResolutionServices = nil
		d.ManageNameIDServices = nil
	}
	org := &saml.Organization{}
	for _, lang := range []string{"sv", "en"} {
		name := p.cfg.DisplayName[lang]
		if name == "" {
			continue
		}
		org.OrganizationNames = append(org.OrganizationNames, saml.LocalizedName{Lang: lang, Value: name})
		org.OrganizationDisplayNames = append(org.OrganizationDisplayNames, saml.LocalizedName{Lang: lang, Value: name})
		org.OrganizationURLs = append(org.OrganizationURLs, saml.LocalizedURI{Lang: lang, Value: p.cfg.BaseURL.String()})
	}
	md.Organization = org
	b, err := xml.MarshalIndent(md, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// Begin makes the SAML request of a pending login (see Logins.Start) and returns the address to
// send the browser to and the secret that binds the exchange to this browser on this host. A
// pending login makes one request only.
func (p *ServiceProvider) Begin(ctx context.Context, handle string) (redirect, binding string, err error) {
	req, err := p.sp.MakeAuthenticationRequest(p.sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", "", fmt.Errorf("auth: authn request: %w", err)
	}
	binding = randomToken()
	var ret string
	err = p.db.QueryRow(ctx, `
		UPDATE login_pending SET request_id = $2, binding = $3
		WHERE handle = $1 AND provider = $4 AND tenant_id IS NOT DISTINCT FROM $5 AND request_id IS NULL
			AND created_at >= now() - $6::interval
		RETURNING return_path`,
		handle, req.ID, hashBinding(binding), p.name, nullUUID(p.cfg.Tenant), PendingLifetime.String()).Scan(&ret)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", &LoginError{Reason: Expired, ReturnPath: "/", Cause: errors.New("no pending login to begin (used, foreign or expired)")}
	}
	if err != nil {
		return "", "", fmt.Errorf("auth: begin pending login: %w", err)
	}
	u, err := req.Redirect(handle, &p.sp)
	if err != nil {
		return "", "", fmt.Errorf("auth: redirect: %w", err)
	}
	return u.String(), binding, nil
}

// Finish checks a citizen's response posted to the ACS, for the browser holding binding, and
// returns the identity it proves. The pending login is used up whatever the outcome. Every
// failure is a *LoginError.
func (p *ServiceProvider) Finish(ctx context.Context, form url.Values, binding string) (Login, error) {
	a, pending, err := p.FinishAssertion(ctx, form, binding)
	if err != nil {
		return Login{}, err
	}
	ident, err := identityFrom(a)
	if err != nil {
		return Login{}, &LoginError{Reason: Failed, ReturnPath: pending.ReturnPath, Cause: err}
	}
	ident.Provider = p.name
	return Login{Identity: ident, ReturnPath: pending.ReturnPath, Pending: pending}, nil
}

// FinishAssertion checks a response posted to the ACS, for the browser holding binding, and
// returns the assertion and the pending login it finishes. The pending login is used up whatever
// the outcome. Every failure is a *LoginError.
func (p *ServiceProvider) FinishAssertion(ctx context.Context, form url.Values, binding string) (*saml.Assertion, Pending, error) {
	pending, err := p.take(ctx, form.Get("RelayState"), binding)
	if err != nil {
		return nil, Pending{}, err
	}
	fail := func(reason LoginReason, cause error) (*saml.Assertion, Pending, error) {
		return nil, Pending{}, &LoginError{Reason: reason, ReturnPath: pending.ReturnPath, Cause: cause}
	}

	encoded := form.Get("SAMLResponse")
	shape, err := inspectResponse(encoded)
	if err != nil {
		return fail(Failed, err)
	}
	if shape.status != statusSuccess {
		if shape.subStatus == statusCancel {
			return fail(Cancelled, errors.New("the user cancelled at the IdP"))
		}
		return fail(Failed, fmt.Errorf("IdP status %s / %s", shape.status, shape.subStatus))
	}
	if shape.assertions != 1 {
		return fail(Failed, fmt.Errorf("response holds %d assertions, want exactly 1", shape.assertions))
	}

	raw, _ := base64.StdEncoding.DecodeString(encoded)
	assertion, err := p.sp.ParseXMLResponse(raw, []string{pending.requestID}, p.sp.AcsURL)
	if err != nil {
		var invalid *saml.InvalidResponseError
		if errors.As(err, &invalid) {
			err = invalid.PrivateErr // its Response field holds the whole response: never log it
		}
		return fail(Failed, err)
	}
	if err := p.checkAssertion(assertion, pending.requestID); err != nil {
		if errors.Is(err, errLoA) {
			return fail(LoATooLow, err)
		}
		return fail(Failed, err)
	}
	if err := p.markUsed(ctx, assertion); err != nil {
		return fail(Failed, err)
	}
	return assertion, pending, nil
}

var errLoA = errors.New("level of assurance not accepted")

// checkAssertion adds what crewjam/saml leaves to us: a bearer confirmation answering our
// request, and an accepted level of assurance.
func (p *ServiceProvider) checkAssertion(a *saml.Assertion, requestID string) error {
	if a.Subject == nil || len(a.Subject.SubjectConfirmations) == 0 {
		return errors.New("assertion has no subject confirmation")
	}
	for _, sc := range a.Subject.SubjectConfirmations {
		if sc.SubjectConfirmationData == nil || sc.SubjectConfirmationData.InResponseTo != requestID {
			return errors.New("subject confirmation does not answer our request")
		}
	}
	if a.Conditions == nil || a.Conditions.NotOnOrAfter.IsZero() {
		return errors.New("assertion has no validity period")
	}
	// crewjam/saml accepts an assertion with no audience restriction at all; we require one that
	// names us.
	audience := false
	for _, ar := range a.Conditions.AudienceRestrictions {
		audience = audience || ar.Audience.Value == p.sp.EntityID
	}
	if !audience {
		return errors.New("assertion has no AudienceRestriction naming us")
	}
	if len(p.loa) == 0 {
		return nil
	}
	for _, st := range a.AuthnStatements {
		if st.AuthnContext.AuthnContextClassRef != nil && slices.Contains(p.loa, st.AuthnContext.AuthnContextClassRef.Value) {
			return nil
		}
	}
	return errLoA
}

// Pending is a pending login that an answer finished: where it returns to, and on which host.
type Pending struct {
	Provider   string
	Tenant     uuid.UUID
	ReturnPath string
	OriginHost string
	requestID  string
	// originBinding is the hash of the origin host's cookie; nil when the login started on the
	// installation's own host and needs no hand-over.
	originBinding []byte
}

// Direct reports whether the login started on the installation's own host.
func (p Pending) Direct() bool { return p.originBinding == nil }

// take removes the pending login for handle if the browser's binding matches and it has not
// expired. A missing, foreign or expired login is Expired.
func (p *ServiceProvider) take(ctx context.Context, handle, binding string) (Pending, error) {
	pl := Pending{Provider: p.name, Tenant: p.cfg.Tenant}
	if handle == "" || binding == "" {
		return pl, &LoginError{Reason: Expired, ReturnPath: "/", Cause: errors.New("no relay state or no binding cookie (unsolicited response?)")}
	}
	var createdAt time.Time
	err := p.db.QueryRow(ctx, `
		DELETE FROM login_pending
		WHERE handle = $1 AND binding = $2 AND provider = $3 AND tenant_id IS NOT DISTINCT FROM $4 AND request_id IS NOT NULL
		RETURNING request_id, return_path, origin_host, origin_binding, created_at`,
		handle, hashBinding(binding), p.name, nullUUID(p.cfg.Tenant)).Scan(&pl.requestID, &pl.ReturnPath, &pl.OriginHost, &pl.originBinding, &createdAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return pl, &LoginError{Reason: Expired, ReturnPath: "/", Cause: errors.New("no pending login for this handle and browser")}
	}
	if err != nil {
		return pl, fmt.Errorf("auth: take pending login: %w", err)
	}
	if time.Since(createdAt) > PendingLifetime {
		return pl, &LoginError{Reason: Expired, ReturnPath: pl.ReturnPath, Cause: errors.New("pending login expired")}
	}
	return pl, nil
}

// markUsed records the assertion id until the assertion expires; a second use is refused.
func (p *ServiceProvider) markUsed(ctx context.Context, a *saml.Assertion) error {
	if a.ID == "" {
		return errors.New("assertion has no id")
	}
	tag, err := p.db.Exec(ctx, `
		WITH gone AS (DELETE FROM saml_assertion_used WHERE expires_at < now())
		INSERT INTO saml_assertion_used (assertion_id, expires_at) VALUES ($1, $2)
		ON CONFLICT (assertion_id) DO NOTHING`,
		a.ID, a.Conditions.NotOnOrAfter.Add(ClockSkew))
	if err != nil {
		return fmt.Errorf("auth: record assertion: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errors.New("assertion replayed")
	}
	return nil
}

// PendingTenant returns the municipality of a pending staff login: its IdP checks the answer.
func (l *Logins) PendingTenant(ctx context.Context, handle string) (uuid.UUID, error) {
	var t *uuid.UUID
	err := l.db.QueryRow(ctx, `SELECT tenant_id FROM login_pending WHERE handle = $1 AND provider = 'staff'`, handle).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && t == nil) {
		return uuid.Nil, &LoginError{Reason: Expired, ReturnPath: "/personal", Cause: errors.New("no pending staff login for this handle")}
	}
	if err != nil {
		return uuid.Nil, err
	}
	return *t, nil
}

func nullUUID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashBinding(binding string) []byte {
	sum := sha256.Sum256([]byte(binding))
	return sum[:]
}

// PurgeExpired deletes what has expired: sessions, pending logins and the ids of used
// assertions (kept only until the assertions themselves expire).
func PurgeExpired(ctx context.Context, q db.Querier) error {
	for _, sql := range []string{
		`DELETE FROM sessions WHERE expiry < now()`,
		`DELETE FROM login_pending WHERE created_at < now() - interval '10 minutes'`,
		`DELETE FROM login_handover WHERE created_at < now() - interval '1 minute'`,
		`DELETE FROM saml_assertion_used WHERE expires_at < now()`,
	} {
		if _, err := q.Exec(ctx, sql); err != nil {
			return fmt.Errorf("auth: purge: %w", err)
		}
	}
	return nil
}

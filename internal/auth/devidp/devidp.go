// Package devidp is the development identity provider: a SAML IdP inside the binary, built on
// crewjam/saml's IdentityProvider, that lets a developer log in as one of the fictional test
// persons instead of with a real e-ID. It signs with RSA-SHA256 and releases the attributes and
// level of assurance of the Swedish e-ID framework. The configuration refuses it in production.
package devidp

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/staff"
	dsig "github.com/russellhaering/goxmldsig"
)

// PathPrefix is where the IdP is mounted.
const PathPrefix = "/idp"

// IdP is the development identity provider.
type IdP struct {
	idp     saml.IdentityProvider
	sps     map[string]*saml.EntityDescriptor
	Encrypt bool // encrypt assertions to the SP's key, as production IdPs of the federation do
}

// New returns an IdP served under base + PathPrefix, signing with keys.
func New(base *url.URL, keys auth.KeyPair) *IdP {
	d := &IdP{sps: map[string]*saml.EntityDescriptor{}}
	d.idp = saml.IdentityProvider{
		Key:                     keys.Key,
		Signer:                  keys.Key,
		Certificate:             keys.Certificate,
		MetadataURL:             *base.JoinPath(PathPrefix, "metadata"),
		SSOURL:                  *base.JoinPath(PathPrefix, "sso"),
		ServiceProviderProvider: d,
		SignatureMethod:         dsig.RSASHA256SignatureMethod,
	}
	return d
}

// Register makes a service provider known to the IdP, from its metadata.
func (d *IdP) Register(spMetadata []byte) error {
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(spMetadata, &ed); err != nil {
		return fmt.Errorf("devidp: service provider metadata: %w", err)
	}
	d.sps[ed.EntityID] = &ed
	return nil
}

// GetServiceProvider implements saml.ServiceProviderProvider. Unless Encrypt is set, the SP's
// encryption key is left out, so the IdP sends assertions in the clear.
func (d *IdP) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	sp, ok := d.sps[id]
	if !ok {
		return nil, os.ErrNotExist
	}
	if d.Encrypt {
		return sp, nil
	}
	clear := *sp
	clear.SPSSODescriptors = nil
	for _, desc := range sp.SPSSODescriptors {
		var keys []saml.KeyDescriptor
		for _, k := range desc.KeyDescriptors {
			if k.Use != "encryption" {
				keys = append(keys, k)
			}
		}
		desc.KeyDescriptors = keys
		clear.SPSSODescriptors = append(clear.SPSSODescriptors, desc)
	}
	return &clear, nil
}

// Keys returns the IdP's signing key pair, for tests that sign answers of their own.
func (d *IdP) Keys() auth.KeyPair {
	return auth.KeyPair{Key: d.idp.Key.(*rsa.PrivateKey), Certificate: d.idp.Certificate}
}

// EntityID is the IdP's entity id.
func (d *IdP) EntityID() string { return d.idp.MetadataURL.String() }

// Metadata returns the IdP's metadata.
func (d *IdP) Metadata() *saml.EntityDescriptor { return d.idp.Metadata() }

// MetadataXML returns the IdP's metadata document.
func (d *IdP) MetadataXML() ([]byte, error) {
	b, err := xml.MarshalIndent(d.idp.Metadata(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// Request is an authentication request the IdP has checked.
type Request struct {
	SAMLRequest string // as received with the redirect binding: deflated and base64-encoded
	RelayState  string
	SP          string // the requesting service provider's entity id
	LoA         string // the requested level of assurance, if any
	// SignMessage is the text a signature request (the Sweden Connect signature message
	// extension) asks the IdP to show before the user authenticates; "" for a login.
	SignMessage string
	req         *saml.IdpAuthnRequest
}

// Parse checks an authentication request received with the redirect binding.
func (d *IdP) Parse(r *http.Request, samlRequest, relayState string) (*Request, error) {
	q := url.Values{"SAMLRequest": {samlRequest}}
	if relayState != "" {
		q.Set("RelayState", relayState)
	}
	get := r.Clone(r.Context())
	get.Method = http.MethodGet
	get.URL = &url.URL{Path: d.idp.SSOURL.Path, RawQuery: q.Encode()}
	req, err := saml.NewIdpAuthnRequest(&d.idp, get)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	if err := req.Validate(); err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	out := &Request{SAMLRequest: samlRequest, RelayState: relayState, SP: req.Request.Issuer.Value, req: req}
	if rac := req.Request.RequestedAuthnContext; rac != nil {
		out.LoA = rac.AuthnContextClassRef
	}
	if out.SignMessage, err = signMessage(req.RequestBuffer); err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	return out, nil
}

// signMessage reads the text of a <csig:SignMessage> in the request's Extensions; "" when there
// is none. An encrypted message is refused: the development IdP has no key for it.
func signMessage(request []byte) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(request); err != nil {
		return "", err
	}
	sm := doc.FindElement("/AuthnRequest/Extensions/SignMessage")
	if sm == nil || sm.Space == "" || sm.NamespaceURI() != auth.SignMessageNS {
		return "", nil
	}
	msg := sm.FindElement("./Message")
	if msg == nil {
		return "", errors.New("a sign message without a plain Message")
	}
	text, err := base64.StdEncoding.DecodeString(strings.TrimSpace(msg.Text()))
	if err != nil {
		return "", fmt.Errorf("sign message: %w", err)
	}
	return string(text), nil
}

// Options change a response, for tests of what the service provider must refuse.
type Options struct {
	LoA             string                // level of assurance to assert; default loa3
	Now             time.Time             // when the assertion is issued; default now
	Issuer          string                // entity id to sign as; default the IdP's own
	Destination     string                // where the response says it goes; default the SP's ACS
	SignatureMethod string                // default RSA-SHA256
	Modify          func(*saml.Assertion) // changes the assertion before it is signed
	// SignMessageDigest replaces the signMessageDigest of a signature's answer ("-": none), for
	// tests of an IdP that did not show the text.
	SignMessageDigest string
	// NameIDFormat is the format of the NameID in a staff answer (RespondStaff); default the one
	// the request asks for, transient if it names none. A transient NameID is random at every
	// login, as a real IdP's is; any other is the employee id.
	NameIDFormat string
}

// Form is a response ready to post to the service provider.
type Form struct {
	URL          string
	SAMLResponse string
	RelayState   string
}

// Respond logs the person in: a signed response with their attributes.
func (d *IdP) Respond(req *Request, p population.TestPerson, opts Options) (Form, error) {
	if !p.Selectable {
		return Form{}, errors.New("devidp: this test person cannot log in")
	}
	r := req.req
	if !opts.Now.IsZero() {
		r.Now = opts.Now
	}
	if opts.Issuer != "" || opts.SignatureMethod != "" {
		idp := d.idp // a copy: the options apply to this response only
		if opts.Issuer != "" {
			u, err := url.Parse(opts.Issuer)
			if err != nil {
				return Form{}, err
			}
			idp.MetadataURL = *u
		}
		if opts.SignatureMethod != "" {
			idp.SignatureMethod = opts.SignatureMethod
		}
		r.IDP = &idp
	}
	if opts.Destination != "" {
		acs := *r.ACSEndpoint
		acs.Location = opts.Destination
		r.ACSEndpoint = &acs
	}
	loa := opts.LoA
	if loa == "" {
		loa = config.LoA3
		if req.SignMessage != "" && strings.HasSuffix(req.LoA, "-sigmessage") {
			loa = req.LoA // shown: the level "for signature" asked for
		}
	}
	session := &saml.Session{
		ID:           randomID(),
		CreateTime:   r.Now,
		ExpireTime:   r.Now.Add(5 * time.Minute),
		Index:        randomID(),
		NameID:       randomID(),
		NameIDFormat: string(saml.TransientNameIDFormat),
		CustomAttributes: []saml.Attribute{
			attribute("personalIdentityNumber", auth.AttrPersonalNumber, p.Person.PersonalNumber.String()),
			attribute("givenName", auth.AttrGivenName, p.Person.GivenName),
			attribute("sn", auth.AttrSurname, p.Person.Surname),
			attribute("displayName", auth.AttrDisplayName, p.Person.FullName()),
			attribute("dateOfBirth", auth.AttrDateOfBirth, p.DateOfBirth),
		},
	}
	if digest := opts.SignMessageDigest; req.SignMessage != "" || digest != "" {
		if digest == "" {
			digest = auth.SignMessageDigest(req.SignMessage)
		}
		if digest != "-" {
			session.CustomAttributes = append(session.CustomAttributes, attribute("signMessageDigest", auth.AttrSignMessageDigest, digest))
		}
	}
	if err := (assertionMaker{loa: loa}).MakeAssertion(r, session); err != nil {
		return Form{}, fmt.Errorf("devidp: assertion: %w", err)
	}
	if opts.Modify != nil {
		opts.Modify(r.Assertion)
	}
	pb, err := r.PostBinding()
	if err != nil {
		return Form{}, fmt.Errorf("devidp: response: %w", err)
	}
	return Form{URL: pb.URL, SAMLResponse: pb.SAMLResponse, RelayState: pb.RelayState}, nil
}

// Cancel answers as an e-ID IdP does when the user cancels: status Responder with the
// framework's cancel code.
func (d *IdP) Cancel(req *Request) (Form, error) {
	r := req.req
	resp := saml.Response{
		Destination:  r.ACSEndpoint.Location,
		ID:           randomID(),
		InResponseTo: r.Request.ID,
		IssueInstant: saml.TimeNow(),
		Version:      "2.0",
		Issuer:       &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: d.EntityID()},
		Status: saml.Status{StatusCode: saml.StatusCode{
			Value:      saml.StatusResponder,
			StatusCode: &saml.StatusCode{Value: CancelStatus},
		}},
	}
	doc := etree.NewDocument()
	doc.SetRoot(resp.Element())
	var buf bytes.Buffer
	if _, err := doc.WriteTo(&buf); err != nil {
		return Form{}, err
	}
	return Form{URL: r.ACSEndpoint.Location, SAMLResponse: base64.StdEncoding.EncodeToString(buf.Bytes()), RelayState: req.RelayState}, nil
}

// CancelStatus is the second-level status of the Swedish e-ID framework for a user's cancel.
const CancelStatus = "http://id.elegnamnden.se/status/1.0/cancel"

// assertionMaker is crewjam's default assertion with the framework's level of assurance.
type assertionMaker struct{ loa string }

func (m assertionMaker) MakeAssertion(req *saml.IdpAuthnRequest, session *saml.Session) error {
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, session); err != nil {
		return err
	}
	for i := range req.Assertion.AuthnStatements {
		req.Assertion.AuthnStatements[i].AuthnContext.AuthnContextClassRef = &saml.AuthnContextClassRef{Value: m.loa}
	}
	return nil
}

func attribute(friendly, name, value string) saml.Attribute {
	return saml.Attribute{
		FriendlyName: friendly,
		Name:         name,
		NameFormat:   "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
		Values:       []saml.AttributeValue{{Type: "xs:string", Value: value}},
	}
}

func randomID() string {
	var b [20]byte
	rand.Read(b[:])
	return fmt.Sprintf("id-%x", b)
}

// RespondStaff logs a test staff member in, as a municipality's IdP (AD FS, Entra ID) does: the
// employee id as the subject-id attribute, name, e-mail and groups as attributes, and a NameID
// in the format asked for (see Options.NameIDFormat).
func (d *IdP) RespondStaff(req *Request, m staff.TestMember, opts Options) (Form, error) {
	r := req.req
	if !opts.Now.IsZero() {
		r.Now = opts.Now
	}
	format := opts.NameIDFormat
	if policy := r.Request.NameIDPolicy; format == "" && policy != nil && policy.Format != nil {
		format = *policy.Format
	}
	if format == "" {
		format = string(saml.TransientNameIDFormat)
	}
	nameID := m.EmployeeID
	if format == string(saml.TransientNameIDFormat) {
		nameID = randomID()
	}
	names := auth.DefaultStaffAttributes
	session := &saml.Session{
		ID:           randomID(),
		CreateTime:   r.Now,
		ExpireTime:   r.Now.Add(5 * time.Minute),
		Index:        randomID(),
		NameID:       nameID,
		NameIDFormat: format,
		CustomAttributes: []saml.Attribute{
			attribute("subject-id", names.EmployeeID, m.EmployeeID),
			attribute("displayName", names.Name, m.Name),
			attribute("mail", names.Email, m.Email),
		},
	}
	if len(m.Groups) > 0 {
		groups := attribute("isMemberOf", names.Groups, m.Groups[0])
		for _, g := range m.Groups[1:] {
			groups.Values = append(groups.Values, saml.AttributeValue{Type: "xs:string", Value: g})
		}
		session.CustomAttributes = append(session.CustomAttributes, groups)
	}
	if err := (assertionMaker{loa: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"}).MakeAssertion(r, session); err != nil {
		return Form{}, fmt.Errorf("devidp: assertion: %w", err)
	}
	if opts.Modify != nil {
		opts.Modify(r.Assertion)
	}
	pb, err := r.PostBinding()
	if err != nil {
		return Form{}, fmt.Errorf("devidp: response: %w", err)
	}
	return Form{URL: pb.URL, SAMLResponse: pb.SAMLResponse, RelayState: pb.RelayState}, nil
}

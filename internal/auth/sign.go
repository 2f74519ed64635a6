package auth

import (
	"compress/flate"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/xmlenc"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/signature"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// Signing with e-ID after the Sweden Connect signature message extension: the authentication
// request carries, in its Extensions, a <csig:SignMessage> with the text the IdP must show the
// user (MustShow), asks for a level of assurance "for signature" (loa3-sigmessage), and forces a
// new authentication. The IdP's answer proves that the text was shown with the signMessageDigest
// attribute, "<digest method>;<base64 digest of the text's UTF-8 bytes>".
const (
	SignMessageNS         = "http://id.elegnamnden.se/csig/1.1/dss-ext/ns"
	AttrSignMessageDigest = "urn:oid:1.2.752.201.3.14"
)

// SigMessageLoA is the level of assurance "for signature" of a level: loa3 → loa3-sigmessage.
func SigMessageLoA(loa string) string {
	if strings.HasSuffix(loa, "-sigmessage") {
		return loa
	}
	return loa + "-sigmessage"
}

// signDigests are the digest methods accepted in signMessageDigest.
var signDigests = map[string]func() hash.Hash{
	"http://www.w3.org/2001/04/xmlenc#sha256":       sha256.New,
	"http://www.w3.org/2001/04/xmldsig-more#sha384": sha512.New384,
	"http://www.w3.org/2001/04/xmlenc#sha512":       sha512.New,
}

// SignMessageDigest is the value of the signMessageDigest attribute for a text, with SHA-256.
func SignMessageDigest(message string) string {
	sum := sha256.Sum256([]byte(message))
	return "http://www.w3.org/2001/04/xmlenc#sha256;" + base64.StdEncoding.EncodeToString(sum[:])
}

// digestMatches reports whether a signMessageDigest value is the digest of message.
func digestMatches(value, message string) bool {
	method, digest, ok := strings.Cut(strings.TrimSpace(value), ";")
	newHash := signDigests[method]
	if !ok || newHash == nil {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(digest)
	if err != nil {
		return false
	}
	h := newHash()
	h.Write([]byte(message))
	return subtle.ConstantTimeCompare(got, h.Sum(nil)) == 1
}

// Signer is the SAML implementation of signature.EID. It is the citizens' service provider (the
// same entity, keys and assertion consumer) asking for signatures.
type Signer struct {
	sp      *ServiceProvider
	request string   // the level of assurance requested
	accept  []string // levels accepted, with the sign message's digest
}

var _ signature.EID = (*Signer)(nil)

// NewSigner returns a signer through the citizens' provider sp. loa lists the levels "for
// signature" to accept, the first requested; the provider's own levels are accepted too, since the
// framework's newer IdPs answer a signature request with the plain level and the digest, which
// is what proves the text was shown and is always required.
func NewSigner(sp *ServiceProvider, loa []string) *Signer {
	if len(loa) == 0 {
		for _, l := range sp.loa {
			loa = append(loa, SigMessageLoA(l))
		}
	}
	s := &Signer{sp: sp, accept: slices.Concat(loa, sp.loa)}
	if len(loa) > 0 {
		s.request = loa[0]
	}
	return s
}

// Request makes the signed authentication request with the sign message, for the redirect binding.
func (s *Signer) Request(message, relayState string) (string, string, error) {
	sp := s.sp.sp // a copy: the request's settings apply to it alone
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", "", fmt.Errorf("auth: sign request: %w", err)
	}
	force := true
	req.ForceAuthn = &force
	if s.request != "" {
		req.RequestedAuthnContext = &saml.RequestedAuthnContext{Comparison: "exact", AuthnContextClassRef: s.request}
	}
	el := req.Element()
	idp := ""
	if sp.IDPMetadata != nil {
		idp = sp.IDPMetadata.EntityID
	}
	ext := etree.NewElement("samlp:Extensions")
	sm := ext.CreateElement("csig:SignMessage")
	sm.CreateAttr("xmlns:csig", SignMessageNS)
	sm.CreateAttr("MustShow", "true")
	sm.CreateAttr("MimeType", "text")
	if idp != "" {
		sm.CreateAttr("DisplayEntity", idp)
	}
	sm.CreateElement("csig:Message").SetText(base64.StdEncoding.EncodeToString([]byte(message)))
	// The schema's order: Issuer, Signature, Extensions, then the rest.
	at := 0
	for i, c := range el.ChildElements() {
		if c.Tag == "Issuer" || c.Tag == "Signature" {
			at = i + 1
		}
	}
	el.InsertChildAt(at, ext)
	u, err := redirectURL(el, relayState, &sp)
	if err != nil {
		return "", "", err
	}
	return u, req.ID, nil
}

// redirectURL is crewjam's AuthnRequest.Redirect for a request element of our own: deflated,
// base64-encoded, and the query signed with the provider's key.
func redirectURL(el *etree.Element, relayState string, sp *saml.ServiceProvider) (string, error) {
	var b strings.Builder
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	w, _ := flate.NewWriter(enc, 9)
	doc := etree.NewDocument()
	doc.SetRoot(el)
	if _, err := doc.WriteTo(w); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	u, err := url.Parse(el.SelectAttrValue("Destination", ""))
	if err != nil {
		return "", err
	}
	query := u.RawQuery
	if query != "" {
		query += "&"
	}
	query += "SAMLRequest=" + url.QueryEscape(b.String())
	if relayState != "" {
		query += "&RelayState=" + url.QueryEscape(relayState)
	}
	query += "&SigAlg=" + url.QueryEscape(sp.SignatureMethod)
	sc, err := saml.GetSigningContext(sp)
	if err != nil {
		return "", err
	}
	sig, err := sc.SignString(query)
	if err != nil {
		return "", err
	}
	u.RawQuery = query + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
	return u.String(), nil
}

// Verify checks the IdP's answer to a signature request (see signature.EID).
func (s *Signer) Verify(ctx context.Context, form url.Values, want signature.Expected) (signature.Evidence, error) {
	refused := func(cause error) (signature.Evidence, error) {
		return signature.Evidence{}, fmt.Errorf("%w: %w", signature.ErrRefused, cause)
	}
	encoded := form.Get("SAMLResponse")
	shape, err := inspectResponse(encoded)
	if err != nil {
		return refused(err)
	}
	if shape.status != statusSuccess {
		if shape.subStatus == statusCancel {
			return signature.Evidence{}, signature.ErrCancelled
		}
		return refused(fmt.Errorf("IdP status %s / %s", shape.status, shape.subStatus))
	}
	if shape.assertions != 1 {
		return refused(fmt.Errorf("response holds %d assertions, want exactly 1", shape.assertions))
	}
	raw, _ := base64.StdEncoding.DecodeString(encoded)
	a, err := s.sp.sp.ParseXMLResponse(raw, []string{want.RequestID}, s.sp.sp.AcsURL)
	if err != nil {
		var invalid *saml.InvalidResponseError
		if errors.As(err, &invalid) {
			err = invalid.PrivateErr // its Response field holds the whole response: never log it
		}
		return refused(err)
	}
	if err := s.sp.checkAssertionLoA(a, want.RequestID, s.accept); err != nil {
		return refused(err)
	}
	if err := s.sp.markUsed(ctx, a); err != nil {
		return refused(err)
	}
	id, err := identityFrom(a)
	if err != nil {
		return refused(err)
	}
	if id.PersonalNumber != want.Signer {
		return signature.Evidence{}, &signature.WrongSignerError{Name: id.DisplayName}
	}
	digest := ""
	for _, as := range a.AttributeStatements {
		for _, attr := range as.Attributes {
			if attr.Name == AttrSignMessageDigest && len(attr.Values) > 0 {
				digest = attr.Values[0].Value
			}
		}
	}
	if !digestMatches(digest, want.Message) {
		return refused(errors.New("no signMessageDigest of the sign message: the IdP did not show it"))
	}
	// The evidence is kept as received; check now that it verifies on its own, as it must later.
	_, cert, err := verifyKept(raw, s.idpCertificates(), s.sp.cfg.Keys, time.Now())
	if err != nil {
		return refused(err)
	}
	ev := signature.Evidence{
		Response: raw, Issuer: a.Issuer.Value, Certificate: cert.Raw, LoA: id.LoA, AssertionID: a.ID,
		PersonalNumber: id.PersonalNumber, Name: id.DisplayName, SignedAt: id.AuthnInstant,
	}
	return ev, nil
}

// Check verifies kept evidence again (see signature.EID).
func (s *Signer) Check(e signature.Evidence, message string) signature.Check {
	current := s.idpCertificates()
	certs := slices.Clone(current)
	if kept, err := x509.ParseCertificate(e.Certificate); err == nil {
		certs = append(certs, kept)
	}
	at := e.SignedAt
	if at.IsZero() {
		at = time.Now()
	}
	a, cert, err := verifyKept(e.Response, certs, s.sp.cfg.Keys, at)
	if err != nil {
		return signature.Check{Problem: err.Error()}
	}
	c := signature.Check{Valid: true}
	c.Current = slices.ContainsFunc(current, func(x *x509.Certificate) bool { return x.Equal(cert) })
	values := map[string]string{}
	for _, attr := range a.FindElements("./AttributeStatement/Attribute") {
		if v := attr.FindElement("./AttributeValue"); v != nil {
			values[attr.SelectAttrValue("Name", "")] = strings.TrimSpace(v.Text())
		}
	}
	if c.Signer, err = personnummer.Parse(values[AttrPersonalNumber]); err != nil {
		return signature.Check{Problem: "the signed assertion names no valid personal identity number"}
	}
	if !digestMatches(values[AttrSignMessageDigest], message) {
		return signature.Check{Problem: "the signed assertion's signMessageDigest is not the digest of the kept sign message"}
	}
	return c
}

// idpCertificates are the IdP's signing certificates in its metadata.
func (s *Signer) idpCertificates() []*x509.Certificate {
	var out []*x509.Certificate
	md := s.sp.sp.IDPMetadata
	if md == nil {
		return nil
	}
	space := regexp.MustCompile(`\s+`)
	for _, d := range md.IDPSSODescriptors {
		for _, kd := range d.KeyDescriptors {
			if kd.Use != "" && kd.Use != "signing" {
				continue
			}
			for _, c := range kd.KeyInfo.X509Data.X509Certificates {
				der, err := base64.StdEncoding.DecodeString(space.ReplaceAllString(c.Data, ""))
				if err != nil {
					continue
				}
				if cert, err := x509.ParseCertificate(der); err == nil {
					out = append(out, cert)
				}
			}
		}
	}
	return out
}

// verifyKept checks a kept SAML response on its own: the assertion's signature (or, for an
// assertion signed only as part of the response, the response's), by one of certs as of at,
// with RSA-SHA256 or stronger. An encrypted assertion is decrypted with the provider's key. It
// returns the assertion as the signature covers it, and the certificate that verified it.
func verifyKept(raw []byte, certs []*x509.Certificate, keys KeyPair, at time.Time) (*etree.Element, *x509.Certificate, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.Permissive = false
	if err := doc.ReadFromBytes(raw); err != nil {
		return nil, nil, fmt.Errorf("kept response is not XML: %w", err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "Response" {
		return nil, nil, errors.New("kept response is not a SAML Response")
	}
	assertion := root.FindElement("./Assertion")
	if assertion == nil {
		enc := root.FindElement("./EncryptedAssertion/EncryptedData")
		if enc == nil {
			return nil, nil, errors.New("kept response holds no assertion")
		}
		plain, err := xmlenc.Decrypt(keys.Key, enc)
		if err != nil {
			return nil, nil, fmt.Errorf("decrypt the kept assertion: %w", err)
		}
		d := etree.NewDocument()
		if err := d.ReadFromBytes(plain); err != nil {
			return nil, nil, fmt.Errorf("kept assertion: %w", err)
		}
		assertion = d.Root()
	}
	target := assertion
	if assertion.FindElement("./Signature") == nil {
		if root.FindElement("./Signature") == nil || root.FindElement("./EncryptedAssertion") != nil {
			return nil, nil, errors.New("the kept assertion is not signed")
		}
		target = root
	}
	var last error = errors.New("no IdP certificate to check the signature with")
	for _, cert := range certs {
		validated, err := validateWith(target, cert, at)
		if err != nil {
			last = err
			continue
		}
		if target == root {
			validated = validated.FindElement("./Assertion")
			if validated == nil {
				return nil, nil, errors.New("the signed response holds no assertion")
			}
		}
		return validated, cert, nil
	}
	return nil, nil, fmt.Errorf("the signature does not verify against the IdP's certificates: %w", last)
}

// validateWith validates el's enveloped signature with cert, as of at, and returns what the
// signature covers.
func validateWith(el *etree.Element, cert *x509.Certificate, at time.Time) (*etree.Element, error) {
	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{cert}})
	ctx.IdAttribute = "ID"
	ctx.Clock = dsig.NewFakeClockAt(at)
	ns, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	if ns, err = ns.SubContext(el); err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ns, el)
	if err != nil {
		return nil, err
	}
	if detached.FindElement("./Signature/KeyInfo/X509Data/X509Certificate") == nil {
		if sig := detached.FindElement("./Signature"); sig != nil {
			if ki := sig.FindElement("KeyInfo"); ki != nil {
				sig.RemoveChild(ki)
			}
		}
	}
	if err := (strongVerifier{}).checkAlgorithms(detached); err != nil {
		return nil, err
	}
	return ctx.Validate(detached)
}

// checkAssertionLoA is checkAssertion with its own accepted levels.
func (p *ServiceProvider) checkAssertionLoA(a *saml.Assertion, requestID string, loa []string) error {
	q := *p
	q.loa = loa
	return q.checkAssertion(a, requestID)
}

package auth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Status codes of the Swedish e-ID framework and SAML.
const (
	statusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"
	statusCancel  = "http://id.elegnamnden.se/status/1.0/cancel"
)

// strongSignatures are the signature methods accepted on responses and assertions: RSA-SHA256
// or stronger. SHA-1 is refused.
var strongSignatures = map[string]bool{
	dsig.RSASHA256SignatureMethod:   true,
	dsig.RSASHA384SignatureMethod:   true,
	dsig.RSASHA512SignatureMethod:   true,
	dsig.ECDSASHA256SignatureMethod: true,
	dsig.ECDSASHA384SignatureMethod: true,
	dsig.ECDSASHA512SignatureMethod: true,
}

var strongDigests = map[string]bool{
	"http://www.w3.org/2001/04/xmlenc#sha256":       true,
	"http://www.w3.org/2001/04/xmldsig-more#sha384": true,
	"http://www.w3.org/2001/04/xmlenc#sha512":       true,
}

// strongVerifier checks each signature's algorithms before the usual validation.
type strongVerifier struct{}

func (v strongVerifier) VerifySignature(ctx *dsig.ValidationContext, el *etree.Element) error {
	if err := v.checkAlgorithms(el); err != nil {
		return err
	}
	if _, err := ctx.Validate(el); err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	return nil
}

// checkAlgorithms refuses a signature of el made with weaker algorithms than RSA-SHA256.
func (strongVerifier) checkAlgorithms(el *etree.Element) error {
	method := el.FindElement("./Signature/SignedInfo/SignatureMethod")
	if method == nil || !strongSignatures[method.SelectAttrValue("Algorithm", "")] {
		return errWeakSignature
	}
	digests := el.FindElements("./Signature/SignedInfo/Reference/DigestMethod")
	if len(digests) == 0 {
		return errWeakSignature
	}
	for _, d := range digests {
		if !strongDigests[d.SelectAttrValue("Algorithm", "")] {
			return errWeakSignature
		}
	}
	return nil
}

var errWeakSignature = errors.New("signature algorithm weaker than RSA-SHA256")

// responseShape is what the ACS reads from a response before it validates it: the status (to tell
// a user's cancel from a failure) and how many assertions it carries. Nothing here is trusted
// until the signature is checked; it only decides which clear message to show.
type responseShape struct {
	status, subStatus string
	assertions        int
}

func inspectResponse(encoded string) (responseShape, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return responseShape{}, fmt.Errorf("response is not base64: %w", err)
	}
	doc := etree.NewDocument()
	doc.ReadSettings.Permissive = false
	if _, err := doc.ReadFrom(bytes.NewReader(raw)); err != nil {
		return responseShape{}, fmt.Errorf("response is not XML: %w", err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "Response" {
		return responseShape{}, errors.New("not a SAML Response")
	}
	var shape responseShape
	if code := root.FindElement("./Status/StatusCode"); code != nil {
		shape.status = code.SelectAttrValue("Value", "")
		if sub := code.FindElement("./StatusCode"); sub != nil {
			shape.subStatus = sub.SelectAttrValue("Value", "")
		}
	}
	// Every assertion anywhere in the document counts: signature wrapping hides one inside another
	// element.
	shape.assertions = len(doc.FindElements("//Assertion")) + len(doc.FindElements("//EncryptedAssertion"))
	return shape, nil
}

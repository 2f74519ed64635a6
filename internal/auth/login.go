package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/personnummer"
)

// The attributes of the Swedish e-ID framework (Sweden Connect) that a citizen login uses.
const (
	AttrPersonalNumber = "urn:oid:1.2.752.29.4.13"
	AttrGivenName      = "urn:oid:2.5.4.42"
	AttrSurname        = "urn:oid:2.5.4.4"
	AttrDisplayName    = "urn:oid:2.16.840.1.113730.3.1.241"
	AttrDateOfBirth    = "urn:oid:1.3.6.1.5.5.7.9.1"
)

// Identity is what a citizen login proves.
type Identity struct {
	Provider       string
	PersonalNumber personnummer.Number
	GivenName      string
	Surname        string
	DisplayName    string
	DateOfBirth    string
	LoA            string
	Issuer         string
	AuthnInstant   time.Time
}

// Login is a finished login: who, and where to go next.
type Login struct {
	Identity   Identity
	ReturnPath string
	Pending    Pending // the pending login it finished: its origin host
}

// LoginReason says why a login failed, for the message the user sees.
type LoginReason int

const (
	Failed    LoginReason = iota // anything else: bad signature, wrong audience, replay...
	Cancelled                    // the user cancelled at the IdP
	Expired                      // no pending login for this browser, or it is too old
	LoATooLow                    // the e-ID's level of assurance is not accepted
)

func (r LoginReason) String() string {
	return [...]string{"failed", "cancelled", "expired", "loa too low"}[r]
}

// LoginError is a failed login. Cause is for the log: it never holds the response or a personal
// identity number.
type LoginError struct {
	Reason     LoginReason
	ReturnPath string
	Cause      error
}

func (e *LoginError) Error() string { return fmt.Sprintf("login %s: %v", e.Reason, e.Cause) }
func (e *LoginError) Unwrap() error { return e.Cause }

func identityFrom(a *saml.Assertion) (Identity, error) {
	id := Identity{Issuer: a.Issuer.Value}
	for _, st := range a.AuthnStatements {
		id.AuthnInstant = st.AuthnInstant
		if st.AuthnContext.AuthnContextClassRef != nil {
			id.LoA = st.AuthnContext.AuthnContextClassRef.Value
		}
	}
	values := map[string]string{}
	for _, as := range a.AttributeStatements {
		for _, attr := range as.Attributes {
			if len(attr.Values) > 0 {
				values[attr.Name] = strings.TrimSpace(attr.Values[0].Value)
			}
		}
	}
	raw := values[AttrPersonalNumber]
	if raw == "" {
		return Identity{}, errors.New("assertion lacks personalIdentityNumber")
	}
	pnr, err := personnummer.Parse(raw)
	if err != nil {
		return Identity{}, fmt.Errorf("personalIdentityNumber is not valid: %w", err)
	}
	id.PersonalNumber = pnr
	id.GivenName = values[AttrGivenName]
	id.Surname = values[AttrSurname]
	id.DisplayName = values[AttrDisplayName]
	id.DateOfBirth = values[AttrDateOfBirth]
	if id.DisplayName == "" {
		id.DisplayName = strings.TrimSpace(id.GivenName + " " + id.Surname)
	}
	return id, nil
}

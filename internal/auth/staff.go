package auth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/config"
)

// The employee id of a staff login: by default the subject-id attribute (OASIS SAML V2.0
// Subject Identifier Attributes Profile, recommended by SAML2Int), which is persistent.
// EmployeeIDFromNameID takes it from the NameID instead, accepted only when persistent.
const (
	AttrSubjectID        = config.AttrSubjectID
	EmployeeIDFromNameID = config.StaffIDFromNameID
)

// StaffAttributes names the attributes a municipality's IdP releases about its staff. Active
// Directory Federation Services and Entra ID name them differently; the names are configured.
type StaffAttributes struct {
	EmployeeID string // the attribute holding the employee id, or EmployeeIDFromNameID
	Name       string
	Email      string
	Groups     string
}

// DefaultStaffAttributes are the common names: subject-id, and LDAP/eduPerson for the rest.
var DefaultStaffAttributes = StaffAttributes{
	EmployeeID: AttrSubjectID,
	Name:       "urn:oid:2.16.840.1.113730.3.1.241", // displayName
	Email:      "urn:oid:0.9.2342.19200300.100.1.3", // mail
	Groups:     "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",  // isMemberOf
}

// StaffIdentity is what a staff login proves.
type StaffIdentity struct {
	EmployeeID string
	Name       string
	Email      string
	Groups     []string
}

// StaffIdentityFrom reads the staff member from an assertion that FinishAssertion has checked.
func StaffIdentityFrom(a *saml.Assertion, names StaffAttributes) (StaffIdentity, error) {
	var id StaffIdentity
	values := map[string][]string{}
	for _, st := range a.AttributeStatements {
		for _, attr := range st.Attributes {
			for _, v := range attr.Values {
				if v := strings.TrimSpace(v.Value); v != "" {
					values[attr.Name] = append(values[attr.Name], v)
				}
			}
		}
	}
	first := func(name string) string {
		if vs := values[name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	switch names.EmployeeID {
	case "":
		return StaffIdentity{}, errors.New("no attribute is configured for the employee id")
	case EmployeeIDFromNameID:
		// Only a persistent NameID names the same person at the next login: a transient one is
		// new at every login, and an unspecified one may be either.
		if a.Subject == nil || a.Subject.NameID == nil {
			return StaffIdentity{}, errors.New("assertion has no NameID, which is to hold the employee id")
		}
		if f := a.Subject.NameID.Format; f != string(saml.PersistentNameIDFormat) {
			return StaffIdentity{}, fmt.Errorf("assertion's NameID has format %q, not persistent: it cannot be the employee id", f)
		}
		id.EmployeeID = strings.TrimSpace(a.Subject.NameID.Value)
	default:
		switch vs := values[names.EmployeeID]; len(vs) {
		case 0:
			return StaffIdentity{}, fmt.Errorf("assertion lacks the employee id attribute %s", names.EmployeeID)
		case 1:
			id.EmployeeID = vs[0]
		default:
			return StaffIdentity{}, fmt.Errorf("assertion holds %d values of the employee id attribute %s, want one", len(vs), names.EmployeeID)
		}
	}
	if id.EmployeeID == "" {
		return StaffIdentity{}, errors.New("assertion names no employee")
	}
	id.Name, id.Email, id.Groups = first(names.Name), first(names.Email), values[names.Groups]
	return id, nil
}

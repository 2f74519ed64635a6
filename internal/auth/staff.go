package auth

import (
	"errors"
	"strings"

	"github.com/crewjam/saml"
)

// StaffAttributes names the attributes a municipality's IdP releases about its staff. Active
// Directory Federation Services and Entra ID name them differently; the names are configured.
type StaffAttributes struct {
	EmployeeID string // empty: the NameID is the employee id
	Name       string
	Email      string
	Groups     string
}

// DefaultStaffAttributes are the common LDAP/eduPerson names.
var DefaultStaffAttributes = StaffAttributes{
	Name:   "urn:oid:2.16.840.1.113730.3.1.241", // displayName
	Email:  "urn:oid:0.9.2342.19200300.100.1.3", // mail
	Groups: "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",  // isMemberOf
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
	if names.EmployeeID != "" {
		id.EmployeeID = first(names.EmployeeID)
	} else if a.Subject != nil && a.Subject.NameID != nil {
		id.EmployeeID = strings.TrimSpace(a.Subject.NameID.Value)
	}
	if id.EmployeeID == "" {
		return StaffIdentity{}, errors.New("assertion names no employee")
	}
	id.Name, id.Email, id.Groups = first(names.Name), first(names.Email), values[names.Groups]
	return id, nil
}

package auth_test

import (
	"strings"
	"testing"

	"github.com/crewjam/saml"
	"github.com/minasidor/minasidor/internal/auth"
)

// The employee id comes from the configured attribute, or from a persistent NameID; never from
// a transient or unspecified NameID, and never from the NameID in place of a missing attribute.
func TestStaffIdentityFrom(t *testing.T) {
	assertion := func(format, nameID string, attrs ...saml.Attribute) *saml.Assertion {
		return &saml.Assertion{
			Subject:             &saml.Subject{NameID: &saml.NameID{Format: format, Value: nameID}},
			AttributeStatements: []saml.AttributeStatement{{Attributes: attrs}},
		}
	}
	attr := func(name string, values ...string) saml.Attribute {
		a := saml.Attribute{Name: name}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Value: v})
		}
		return a
	}
	persistent, transient, unspecified := string(saml.PersistentNameIDFormat), string(saml.TransientNameIDFormat), string(saml.UnspecifiedNameIDFormat)
	byNameID := auth.DefaultStaffAttributes
	byNameID.EmployeeID = auth.EmployeeIDFromNameID
	noID := auth.DefaultStaffAttributes
	noID.EmployeeID = ""

	tests := []struct {
		name    string
		a       *saml.Assertion
		names   auth.StaffAttributes
		want    string // the employee id; empty: refused with an error containing err
		wantErr string
	}{
		{"subject-id, transient NameID", assertion(transient, "_x1", attr(auth.AttrSubjectID, " anna@alingsas.se ")), auth.DefaultStaffAttributes, "anna@alingsas.se", ""},
		{"subject-id missing", assertion(persistent, "anna", attr("urn:oid:0.9.2342.19200300.100.1.3", "anna@example.se")), auth.DefaultStaffAttributes, "", "lacks the employee id attribute"},
		{"subject-id empty", assertion(transient, "_x1", attr(auth.AttrSubjectID, "  ")), auth.DefaultStaffAttributes, "", "lacks the employee id attribute"},
		{"subject-id twice", assertion(transient, "_x1", attr(auth.AttrSubjectID, "anna@a.se", "bo@a.se")), auth.DefaultStaffAttributes, "", "2 values"},
		{"persistent NameID", assertion(persistent, "anna"), byNameID, "anna", ""},
		{"transient NameID", assertion(transient, "_x1", attr(auth.AttrSubjectID, "anna")), byNameID, "", "not persistent"},
		{"unspecified NameID", assertion(unspecified, "anna"), byNameID, "", "not persistent"},
		{"NameID without format", assertion("", "anna"), byNameID, "", "not persistent"},
		{"no NameID", &saml.Assertion{}, byNameID, "", "no NameID"},
		{"empty persistent NameID", assertion(persistent, " "), byNameID, "", "names no employee"},
		{"nothing configured", assertion(persistent, "anna", attr(auth.AttrSubjectID, "anna")), noID, "", "no attribute is configured"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := auth.StaffIdentityFrom(tc.a, tc.names)
			if tc.wantErr == "" {
				if err != nil || id.EmployeeID != tc.want {
					t.Errorf("employee id %q, %v; want %q", id.EmployeeID, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("employee id %q, error %v; want an error saying %q", id.EmployeeID, err, tc.wantErr)
			}
		})
	}
}

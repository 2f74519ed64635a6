package archive

import "encoding/xml"

// The case and its answers as XML, in the namespace of this package's format. Times are in UTC,
// RFC 3339.

// Namespace is the namespace of case.xml and answers.xml.
const Namespace = "urn:minasidor:archive:1"

// CaseXML is metadata/descriptive/case.xml.
type CaseXML struct {
	XMLName      xml.Name        `xml:"urn:minasidor:archive:1 case"`
	ID           string          `xml:"id,attr"`
	Exported     string          `xml:"exported,attr"`
	Reference    string          `xml:"reference"`
	Municipality MunicipalityXML `xml:"municipality"`
	EService     EServiceXML     `xml:"eservice"`
	Applicant    ApplicantXML    `xml:"applicant"`
	Submitted    string          `xml:"submitted"`
	Closed       string          `xml:"closed,omitempty"`
	Status       StatusXML       `xml:"status"`
	Decision     string          `xml:"decision"`
	Events       []EventXML      `xml:"events>event"`
	Messages     []MessageXML    `xml:"messages>message"`
	Documents    []DocumentXML   `xml:"documents>document"`
	Revisions    int             `xml:"revisions"`
	Requests     []SupplementXML `xml:"supplementRequests>request,omitempty"`
}

// MunicipalityXML is the municipality that holds the case.
type MunicipalityXML struct {
	Code string `xml:"code,attr"`
	Name string `xml:",chardata"`
}

// EServiceXML is the e-service and the version of its form that the case was submitted on.
type EServiceXML struct {
	ID      string `xml:"id,attr"`
	Slug    string `xml:"slug,attr"`
	Version int    `xml:"version,attr"`
	Title   string `xml:",chardata"`
}

// ApplicantXML is who submitted the case, when they were logged in and not anonymous.
type ApplicantXML struct {
	Anonymous         bool   `xml:"anonymous,attr"`
	LoggedIn          bool   `xml:"loggedIn,attr"`
	ProtectedIdentity bool   `xml:"protectedIdentity,attr,omitempty"`
	Name              string `xml:"name,omitempty"`
	PersonalNumber    string `xml:"personalNumber,omitempty"`
	Email             string `xml:"email,omitempty"`
	Phone             string `xml:"phone,omitempty"`
}

// StatusXML is the case's status when exported.
type StatusXML struct {
	Type  string `xml:"type,attr"`
	Key   string `xml:"key,attr"`
	Label string `xml:",chardata"`
}

// EventXML is one event of the case's history.
type EventXML struct {
	Kind   string `xml:"kind,attr"`
	At     string `xml:"at,attr"`
	Actor  string `xml:"actor,attr,omitempty"`
	Status string `xml:"status,attr,omitempty"`
}

// MessageXML is one message of the case's thread.
type MessageXML struct {
	ID          string          `xml:"id,attr"`
	From        string          `xml:"from,attr"` // citizen or caseworker
	Author      string          `xml:"author,attr"`
	At          string          `xml:"at,attr"`
	Body        string          `xml:"body"`
	Attachments []AttachmentXML `xml:"attachment"`
}

// AttachmentXML is a file of a message, by its place in the package.
type AttachmentXML struct {
	Name string `xml:"name,attr"`
	Ref  string `xml:"ref,attr"`
}

// DocumentXML is a document of the case in the package.
type DocumentXML struct {
	Type  string `xml:"type,attr"` // answers, receipt, file
	Field string `xml:"field,attr,omitempty"`
	Name  string `xml:"name,attr"`
	Ref   string `xml:"ref,attr"`
}

// SupplementXML is a caseworker's request for a supplement.
type SupplementXML struct {
	RequestedBy string `xml:"requestedBy,attr"`
	At          string `xml:"at,attr"`
	Text        string `xml:",chardata"`
}

// AnswersXML is representations/rep1/data/answers.xml: the answers as the case holds them (the
// latest revision), step by step, with the form's labels and the values as shown to people.
type AnswersXML struct {
	XMLName   xml.Name  `xml:"urn:minasidor:archive:1 answers"`
	Reference string    `xml:"reference,attr"`
	Version   int       `xml:"version,attr"`
	Steps     []StepXML `xml:"step"`
}

// StepXML is a step of the form.
type StepXML struct {
	Key    string     `xml:"key,attr"`
	Title  string     `xml:"title,attr"`
	Fields []FieldXML `xml:"field"`
}

// FieldXML is the answer to one field.
type FieldXML struct {
	Key    string     `xml:"key,attr"`
	Type   string     `xml:"type,attr"`
	Label  string     `xml:"label,attr"`
	Values []ValueXML `xml:"value"`
}

// ValueXML is one value of an answer; a file's names its place in the package.
type ValueXML struct {
	Ref  string `xml:"ref,attr,omitempty"`
	Text string `xml:",chardata"`
}

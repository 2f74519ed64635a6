package archive

import "encoding/xml"

// The manifest, after METS 1.12 (http://www.loc.gov/METS/) as E-ARK CSIP uses it: the case's
// metadata file in a dmdSec, every other file in the fileSec, each with its size, type, time and
// SHA-256, and a structMap that ties them to the package. encoding/xml cannot write prefixed
// names, so the METS namespace is the default one and the xlink attributes are written by name.

const (
	metsNS  = "http://www.loc.gov/METS/"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

// METS is the root of METS.xml.
type METS struct {
	XMLName xml.Name `xml:"mets"`
	XMLNS   string   `xml:"xmlns,attr"`
	XLink   string   `xml:"xmlns:xlink,attr"`
	ObjID   string   `xml:"OBJID,attr"`
	Label   string   `xml:"LABEL,attr"`
	Type    string   `xml:"TYPE,attr"`
	Header  struct {
		CreateDate string      `xml:"CREATEDATE,attr"`
		Status     string      `xml:"RECORDSTATUS,attr"`
		Agents     []METSAgent `xml:"agent"`
	} `xml:"metsHdr"`
	DmdSec []METSDmd `xml:"dmdSec"`
	Files  struct {
		Groups []METSFileGroup `xml:"fileGrp"`
	} `xml:"fileSec"`
	StructMap struct {
		Type  string  `xml:"TYPE,attr"`
		Label string  `xml:"LABEL,attr"`
		Div   METSDiv `xml:"div"`
	} `xml:"structMap"`
}

// METSAgent is who made or holds the package.
type METSAgent struct {
	Role      string `xml:"ROLE,attr"`
	Type      string `xml:"TYPE,attr"`
	OtherType string `xml:"OTHERTYPE,attr,omitempty"`
	Name      string `xml:"name"`
}

// METSDmd is a descriptive metadata section: a reference to a metadata file of the package.
type METSDmd struct {
	ID      string    `xml:"ID,attr"`
	Created string    `xml:"CREATED,attr"`
	Ref     METSMdRef `xml:"mdRef"`
}

// METSMdRef points at a metadata file with its checksum.
type METSMdRef struct {
	LocType      string `xml:"LOCTYPE,attr"`
	XLinkType    string `xml:"xlink:type,attr"`
	Href         string `xml:"xlink:href,attr"`
	MDType       string `xml:"MDTYPE,attr"`
	OtherMDType  string `xml:"OTHERMDTYPE,attr,omitempty"`
	MimeType     string `xml:"MIMETYPE,attr"`
	Size         int64  `xml:"SIZE,attr"`
	Created      string `xml:"CREATED,attr"`
	Checksum     string `xml:"CHECKSUM,attr"`
	ChecksumType string `xml:"CHECKSUMTYPE,attr"`
}

// METSFileGroup is a group of files: one representation.
type METSFileGroup struct {
	ID    string     `xml:"ID,attr"`
	Use   string     `xml:"USE,attr"`
	Files []METSFile `xml:"file"`
}

// METSFile is one file with its checksum.
type METSFile struct {
	ID           string `xml:"ID,attr"`
	MimeType     string `xml:"MIMETYPE,attr"`
	Size         int64  `xml:"SIZE,attr"`
	Created      string `xml:"CREATED,attr"`
	Checksum     string `xml:"CHECKSUM,attr"`
	ChecksumType string `xml:"CHECKSUMTYPE,attr"`
	Use          string `xml:"USE,attr,omitempty"`
	Location     struct {
		LocType   string `xml:"LOCTYPE,attr"`
		XLinkType string `xml:"xlink:type,attr"`
		Href      string `xml:"xlink:href,attr"`
	} `xml:"FLocat"`
}

// METSDiv is a division of the structMap.
type METSDiv struct {
	Label    string    `xml:"LABEL,attr"`
	DmdID    string    `xml:"DMDID,attr,omitempty"`
	Pointers []METSPtr `xml:"fptr"`
	Divs     []METSDiv `xml:"div"`
}

// METSPtr points at a file of the fileSec.
type METSPtr struct {
	FileID string `xml:"FILEID,attr"`
}

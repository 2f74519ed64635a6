package rights

// The built-in e-service of requests under the data protection regulation: one in every
// municipality, handled by the municipality's data protection function.
const (
	Builtin = "data_protection" // eservice.builtin
	Slug    = "dataskyddsbegaran"
)

// Fields of the request's form.
const (
	FieldKind    = "request_kind"   // one of Kinds
	FieldCase    = "case_reference" // the case the request concerns, if one
	FieldDetails = "details"        // what the person asks for, and why
)

// Kinds of request: rectification (art. 16), erasure (art. 17), restriction (art. 18), objection
// (art. 21), and withdrawing a consent given in an e-service (art. 7.3).
const (
	Rectification   = "rectification"
	ErasureRequest  = "erasure"
	Restriction     = "restriction"
	Objection       = "objection"
	WithdrawConsent = "withdraw_consent"
)

// Kinds lists the kinds in the order Mina uppgifter offers them.
var Kinds = []string{Rectification, ErasureRequest, Restriction, Objection, WithdrawConsent}

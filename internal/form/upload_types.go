package form

// UploadType is a kind of file a file field may accept.
type UploadType struct {
	ContentType string // as a sniffer reports it, without parameters
	Name        string // short and stable; the catalogue's "filetype.<Name>" is what people read
}

// UploadTypes are the kinds of file a file field may accept (Upload.Types), in the order the
// editor offers them: the one list of them, with their names. Do not modify.
var UploadTypes = []UploadType{
	{"application/pdf", "pdf"},
	{"image/jpeg", "jpeg"},
	{"image/png", "png"},
	{"image/gif", "gif"},
	{"image/webp", "webp"},
	{"text/plain", "text"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	{"application/msword", "doc"},
}

// AllowedUploadTypes are the content types of UploadTypes, in their order. Do not modify.
var AllowedUploadTypes = func() []string {
	out := make([]string, len(UploadTypes))
	for i, u := range UploadTypes {
		out[i] = u.ContentType
	}
	return out
}()

// UploadTypeKey returns the catalogue key of a content type's readable name ("filetype.pdf"),
// and false for a type that is not one of UploadTypes.
func UploadTypeKey(contentType string) (string, bool) {
	for _, u := range UploadTypes {
		if u.ContentType == contentType {
			return "filetype." + u.Name, true
		}
	}
	return "", false
}

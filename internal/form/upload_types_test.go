package form

import (
	"slices"
	"testing"
)

// The upload types are one list: the allowed content types are its types, each named once.
func TestUploadTypes(t *testing.T) {
	var types, keys []string
	for _, u := range UploadTypes {
		types = append(types, u.ContentType)
		key, ok := UploadTypeKey(u.ContentType)
		if !ok || key != "filetype."+u.Name {
			t.Errorf("UploadTypeKey(%q) = %q, %v", u.ContentType, key, ok)
		}
		keys = append(keys, key)
	}
	if !slices.Equal(types, AllowedUploadTypes) {
		t.Errorf("AllowedUploadTypes = %q, want %q", AllowedUploadTypes, types)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) || len(slices.Compact(slices.Sorted(slices.Values(types)))) != len(types) {
		t.Errorf("a type or name twice: %q %q", types, keys)
	}
	if key, ok := UploadTypeKey("application/zip"); ok || key != "" {
		t.Errorf("an unknown type has the key %q", key)
	}
}

package web

import "testing"

func TestSafeReturnPath(t *testing.T) {
	tests := map[string]string{
		"/mina-sidor":             "/mina-sidor",
		"/e-tjanster?q=bygglov":   "/e-tjanster?q=bygglov",
		"":                        "/",
		"mina-sidor":              "/",
		"https://evil.example/":   "/",
		"//evil.example":          "/",
		"/\\evil.example":         "/",
		"javascript:alert(1)":     "/",
		"http:/evil":              "/",
		"/%2Fevil.example/é":      "/",
		"/%2F%2Fevil.example":     "/%2F%2Fevil.example", // stays escaped: a browser keeps it local
		"/ok\r\nSet-Cookie: x=1":  "/",
		"/\tevil":                 "/",
		"/%2fevil.example?x=1":    "/%2fevil.example?x=1",
		"/utkast/abc/steg/x#falt": "/utkast/abc/steg/x",
	}
	for in, want := range tests {
		if got := safeReturnPath(in); got != want {
			t.Errorf("safeReturnPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSafeReturnPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/%2Fx", "/\\x", "/a?b=c", "/%5Cx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeReturnPath(in)
		if len(out) == 0 || out[0] != '/' || (len(out) > 1 && (out[1] == '/' || out[1] == '\\')) {
			t.Fatalf("safeReturnPath(%q) = %q: not a local path", in, out)
		}
	})
}

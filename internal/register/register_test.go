package register

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeService is a register service over TLS, and the file of its certificate for Config.CAFile.
func fakeService(t *testing.T, h http.HandlerFunc) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

func TestPost(t *testing.T) {
	const secret = "198504129829"
	srv, ca := fakeService(t, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.Method != http.MethodPost ||
			r.Header.Get("Content-Type") != "application/json" || r.URL.RawQuery != "" {
			t.Errorf("request %s %s %q: %v", r.Method, r.URL, r.Header.Get("Content-Type"), err)
		}
		switch r.URL.Path {
		case "/v1/person/lookup":
			_ = json.NewEncoder(w).Encode(map[string]string{"echo": body["number"]})
		case "/v1/large":
			_ = json.NewEncoder(w).Encode(map[string]string{"echo": strings.Repeat("x", 200)})
		case "/v1/html":
			_, _ = w.Write([]byte("<html>proxy error</html>"))
		case "/v1/down":
			http.Error(w, "down", http.StatusBadGateway)
		default:
			http.NotFound(w, r)
		}
	})
	// The base URL's trailing slash does not double the path's.
	s, err := New(Config{BaseURL: srv.URL + "/v1/", CAFile: ca}, 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.CloseIdleConnections)
	if s.http.Timeout != DefaultTimeout {
		t.Errorf("timeout %v, want the default %v", s.http.Timeout, DefaultTimeout)
	}
	ctx := context.Background()
	var answer struct{ Echo string }
	if err := s.Post(ctx, "person/lookup", map[string]string{"number": secret}, &answer); err != nil || answer.Echo != secret {
		t.Fatalf("Post = %+v, %v", answer, err)
	}
	if err := s.Post(ctx, "nobody", map[string]string{"number": secret}, &answer); !errors.Is(err, ErrNotFound) {
		t.Errorf("a 404: %v, want ErrNotFound", err)
	}
	for _, path := range []string{"large", "html", "down"} {
		err := s.Post(ctx, path, map[string]string{"number": secret}, &answer)
		if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: %v, want an error naming the path and not the number", path, err)
		}
	}

	// A server the client does not trust is not asked.
	untrusting, err := New(Config{BaseURL: srv.URL + "/v1", Timeout: 5 * time.Second}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := untrusting.Post(ctx, "person/lookup", map[string]string{"number": secret}, &answer); err == nil {
		t.Error("an untrusted server was asked")
	}
}

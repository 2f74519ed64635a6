package notify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSMSClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		to      string
		ok      bool
	}{
		{"accepted with a large answer", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(strings.Repeat("x", 1<<20)))
		}, "+46701234567", true},
		{"client error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }, "+46701234567", false},
		{"server error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }, "+46701234567", false},
		{"redirect is not success", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) }, "+46701234567", false},
		{"too slow", func(w http.ResponseWriter, r *http.Request) { time.Sleep(500 * time.Millisecond) }, "+46701234567", false},
		{"not a number", func(w http.ResponseWriter, r *http.Request) { t.Error("request sent for a bad number") }, "0701234567", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			c, err := newSMSClient(SMSConfig{URL: srv.URL, Token: "t", Sender: "Test", Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			err = c.SendSMS(t.Context(), tc.to, "Hej")
			if (err == nil) != tc.ok {
				t.Fatalf("SendSMS: %v, want ok %v", err, tc.ok)
			}
			if err != nil && (strings.Contains(err.Error(), "Hej") || strings.Contains(err.Error(), "701234567")) {
				t.Errorf("error %q names the text or the number", err)
			}
		})
	}
}

package webhook

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

// A signature verifies with its secret, timestamp and body, and fails with any of them changed or
// outside the replay window.
func TestSignAndVerify(t *testing.T) {
	secret := "whsec_test-secret-of-at-least-32-characters"
	body := []byte(`{"id":"e1","type":"case_submitted"}`)
	at := time.Unix(1767000000, 0)
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := Sign(secret, at, body)
	if err := Verify(secret, ts, sig, body, at.Add(time.Minute)); err != nil {
		t.Fatalf("a right signature: %v", err)
	}
	// A receiver may list several signatures (during a change of secret); one that matches is enough.
	if err := Verify(secret, ts, "v1=00,"+sig, body, at); err != nil {
		t.Errorf("among others: %v", err)
	}
	for _, tt := range []struct {
		name            string
		secret, ts, sig string
		body            []byte
		now             time.Time
		want            error
	}{
		{"another secret", secret + "x", ts, sig, body, at, ErrSignature},
		{"another body", secret, ts, sig, []byte(`{"id":"e2","type":"case_submitted"}`), at, ErrSignature},
		{"another timestamp", secret, strconv.FormatInt(at.Unix()+1, 10), sig, body, at, ErrSignature},
		{"no signature", secret, ts, "", body, at, ErrSignature},
		{"not hex", secret, ts, "v1=zz", body, at, ErrSignature},
		{"another scheme", secret, ts, "v0=" + sig[3:], body, at, ErrSignature},
		{"no timestamp", secret, "", sig, body, at, ErrSignature},
		{"replayed later", secret, ts, sig, body, at.Add(ReplayWindow + time.Second), ErrStale},
		{"from the future", secret, ts, sig, body, at.Add(-ReplayWindow - time.Second), ErrStale},
	} {
		if err := Verify(tt.secret, tt.ts, tt.sig, tt.body, tt.now); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

// The wait doubles after each failed try, from the base, up to six hours, with at most a tenth
// of jitter either way.
func TestRetryDelay(t *testing.T) {
	base := 30 * time.Second
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 5: 8 * time.Minute, 9: 128 * time.Minute, 12: 6 * time.Hour, 40: 6 * time.Hour} {
		for range 20 {
			got := RetryDelay(base, attempt)
			if got < want-want/10 || got > want+want/10 {
				t.Errorf("attempt %d: %s, want %s ± 10 %%", attempt, got, want)
			}
		}
	}
}

// Deliveries never dial the servers' own networks unless allowed.
func TestRefusePrivate(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "10.1.2.3:443", "192.168.0.10:8080", "172.16.5.4:443",
		"169.254.169.254:80", "0.0.0.0:443", "[fe80::1]:443", "[fc00::1]:443"} {
		if err := refusePrivate("tcp", addr, nil); err == nil {
			t.Errorf("%s is allowed", addr)
		}
	}
	for _, addr := range []string{"93.184.216.34:443", "[2606:2800:220:1:248:1893:25c8:1946]:443"} {
		if err := refusePrivate("tcp", addr, nil); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

// A webhook's address must be whole, and https where that is required.
func TestCheck(t *testing.T) {
	s := NewStore(nil, Options{RequireHTTPS: true})
	ok := New{Name: "Ärendesystem", URL: "https://arende.alingsas.se/hook", Events: []string{CaseSubmitted}}
	if errs := s.Check(ok); len(errs) > 0 {
		t.Fatalf("a good webhook: %v", errs)
	}
	for _, tt := range []struct {
		name  string
		n     New
		field string
		key   string
	}{
		{"no name", New{Name: " ", URL: ok.URL, Events: ok.Events}, FieldName, "integration.error.name"},
		{"http in production", New{Name: "x", URL: "http://arende.alingsas.se/hook", Events: ok.Events}, FieldURL, "integration.error.https"},
		{"not an address", New{Name: "x", URL: "arende.alingsas.se", Events: ok.Events}, FieldURL, "integration.error.url"},
		{"credentials", New{Name: "x", URL: "https://user:pw@arende.alingsas.se", Events: ok.Events}, FieldURL, "integration.error.url"},
		{"no event", New{Name: "x", URL: ok.URL}, FieldEvents, "integration.error.events"},
		{"unknown event", New{Name: "x", URL: ok.URL, Events: []string{"case_eaten"}}, FieldEvents, "integration.error.events"},
	} {
		if got := s.Check(tt.n).For(tt.field); got != tt.key {
			t.Errorf("%s: %q on %s, want %q", tt.name, got, tt.field, tt.key)
		}
	}
	if errs := NewStore(nil, Options{}).Check(New{Name: "x", URL: "http://127.0.0.1:8080/hook", Events: ok.Events}); len(errs) > 0 {
		t.Errorf("http in development: %v", errs)
	}
}

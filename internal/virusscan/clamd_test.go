package virusscan_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/virusscan/clamdtest"
)

// TestClamd scans through the real daemon, over TCP and the unix socket: the EICAR test file
// (alone, and inside a larger stream that takes several chunks) is found, clean bytes are not.
func TestClamd(t *testing.T) {
	ctx := context.Background()
	big := bytes.Repeat([]byte("clean bytes of a long file "), 20000) // ~540 kB: nine chunks
	withEICAR := append(append(bytes.Clone(big), virusscan.EICAR()...), big[:1000]...)
	for _, addr := range []string{clamdtest.Addr(t), clamdtest.Socket(t)} {
		c, err := virusscan.NewClamd(addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Ping(ctx); err != nil {
			t.Fatalf("%s: ping: %v", addr, err)
		}
		if v, err := c.Version(ctx); err != nil || !strings.HasPrefix(v, "ClamAV ") {
			t.Errorf("%s: version %q, %v", addr, v, err)
		}
		for _, tc := range []struct {
			name string
			data []byte
			want virusscan.Result
		}{
			{"eicar", virusscan.EICAR(), virusscan.Result{Infected: true, Signature: clamdtest.Signature}},
			{"eicar inside a long stream", withEICAR, virusscan.Result{Infected: true, Signature: clamdtest.Signature}},
			{"clean", []byte("%PDF-1.4 a harmless document"), virusscan.Result{}},
			{"long and clean", big, virusscan.Result{}},
			{"empty", nil, virusscan.Result{}},
		} {
			got, err := c.Scan(ctx, tc.data)
			if err != nil || got != tc.want {
				t.Errorf("%s: %s: got %+v, %v; want %+v", addr, tc.name, got, err, tc.want)
			}
		}
	}
}

// TestClamdUnavailable: an address where no daemon listens, or a daemon that answers nonsense,
// gives ErrUnavailable, never a verdict.
func TestClamdUnavailable(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	c, err := virusscan.NewClamd("tcp://"+closed, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scan(ctx, []byte("x")); !errors.Is(err, virusscan.ErrUnavailable) {
		t.Errorf("closed port: %v", err)
	}
	if err := c.Ping(ctx); !errors.Is(err, virusscan.ErrUnavailable) {
		t.Errorf("closed port ping: %v", err)
	}

	// A server that reads the stream and answers an error, as clamd does over its size limit,
	// and one that never answers (the scan's time limit ends it).
	for _, tc := range []struct {
		name   string
		answer string
	}{{"error answer", "INSTREAM size limit exceeded. ERROR\x00"}, {"silent", ""}} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
			buf := make([]byte, 1024)
			conn.Read(buf)
			if tc.answer != "" {
				conn.Write([]byte(tc.answer))
				return
			}
			time.Sleep(3 * time.Second)
		}()
		c, _ := virusscan.NewClamd(l.Addr().String(), time.Second)
		if _, err := c.Scan(ctx, []byte("x")); !errors.Is(err, virusscan.ErrUnavailable) {
			t.Errorf("%s: %v", tc.name, err)
		}
		l.Close()
	}
}

func TestNewClamdAddresses(t *testing.T) {
	for addr, ok := range map[string]bool{
		"tcp://127.0.0.1:3310": true, "127.0.0.1:3310": true, "unix:///run/clamav/clamd.ctl": true,
		"/run/clamav/clamd.ctl": true, "clamd": false, "unix://relative.sock": false,
	} {
		if _, err := virusscan.NewClamd(addr, 0); (err == nil) != ok {
			t.Errorf("%q: %v", addr, err)
		}
	}
}

func TestEICAROnly(t *testing.T) {
	var s virusscan.EICAROnly
	if r, _ := s.Scan(context.Background(), append([]byte("prefix "), virusscan.EICAR()...)); !r.Infected {
		t.Error("EICAR not found")
	}
	if r, _ := s.Scan(context.Background(), []byte("clean")); r.Infected {
		t.Error("clean bytes reported")
	}
}

// Package clamdtest runs a real ClamAV daemon (Debian's clamav-daemon) for tests, as dbtest runs
// PostgreSQL. There is no network for freshclam here, so its database is one signature of our
// own, written at start: an .ndb body signature named Eicar-Test-Signature that finds the EICAR
// test file anywhere in a stream. Loading it takes a fraction of a second.
//
// `minasidor testdb` starts one daemon for the whole run and sets CLAMD_TEST_ADDR (tcp://) and
// CLAMD_TEST_SOCKET (the unix socket); a package tested alone starts one of its own at its first
// Addr, which ends with the test binary.
package clamdtest

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/virusscan"
)

// The variables that name a daemon already running for the tests.
const (
	EnvVar       = "CLAMD_TEST_ADDR"   // tcp://127.0.0.1:PORT
	SocketEnvVar = "CLAMD_TEST_SOCKET" // unix:///path/clamd.sock
	// StartTimeoutVar bounds the wait for a starting daemon (a Go duration; default 2m, for a
	// busy machine).
	StartTimeoutVar = "CLAMD_START_TIMEOUT"
)

// Signature is what the test daemon reports for the EICAR test file: clamd adds .UNOFFICIAL to
// the name of a signature that is not from ClamAV's own databases.
const Signature = virusscan.EICARSignature + ".UNOFFICIAL"

// ErrNotInstalled is returned when clamd is not installed.
var ErrNotInstalled = errors.New("clamd was not found on PATH nor in /usr/sbin; install it (Debian: apt-get install clamav-daemon, which make deps does)")

// Daemon is a clamd of the tests' own.
type Daemon struct {
	Dir    string // its configuration, database, socket and log
	TCP    string // tcp://127.0.0.1:PORT
	Socket string // unix:///…/clamd.sock
	cmd    *exec.Cmd
	done   chan struct{}
}

// Start starts a daemon in a new temporary folder and waits until it answers PING.
func Start(ctx context.Context) (*Daemon, error) {
	bin, err := exec.LookPath("clamd")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/clamd"); serr != nil {
			return nil, ErrNotInstalled
		}
		bin = "/usr/sbin/clamd"
	}
	dir, err := os.MkdirTemp("", "minasidor-clamd-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	d := &Daemon{Dir: dir, TCP: "tcp://127.0.0.1:" + strconv.Itoa(port), Socket: "unix://" + filepath.Join(dir, "clamd.sock"), done: make(chan struct{})}
	if err := d.writeFiles(port); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	d.cmd = exec.Command(bin, "--config-file="+filepath.Join(dir, "clamd.conf"), "--foreground")
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the tests
	out, err := os.Create(filepath.Join(dir, "output.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	d.cmd.Stdout, d.cmd.Stderr = out, out
	if err := d.cmd.Start(); err != nil {
		out.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("clamdtest: start clamd: %w", err)
	}
	go func() { d.cmd.Wait(); out.Close(); close(d.done) }()
	if err := d.wait(ctx); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "clamd.log"))
		output, _ := os.ReadFile(filepath.Join(dir, "output.log"))
		d.Stop()
		return nil, fmt.Errorf("clamdtest: %w\nclamd's log:\n%s%s", err, log, output)
	}
	return d, nil
}

// writeFiles writes the configuration and the one-signature database.
func (d *Daemon) writeFiles(port int) error {
	db := filepath.Join(d.Dir, "db")
	if err := os.Mkdir(db, 0o755); err != nil {
		return err
	}
	signature := virusscan.EICARSignature + ":0:*:" + hex.EncodeToString(virusscan.EICAR()) + "\n"
	if err := os.WriteFile(filepath.Join(db, "minasidor-test.ndb"), []byte(signature), 0o644); err != nil {
		return err
	}
	conf := fmt.Sprintf(`# A clamd for the tests: local only, our one test signature, in the foreground.
LocalSocket %[1]s/clamd.sock
TCPSocket %[2]d
TCPAddr 127.0.0.1
Foreground yes
DatabaseDirectory %[1]s/db
TemporaryDirectory %[1]s
LogFile %[1]s/clamd.log
LogTime yes
PidFile %[1]s/clamd.pid
# Above the largest upload (25 MB).
StreamMaxLength 30M
SelfCheck 0
`, d.Dir, port)
	return os.WriteFile(filepath.Join(d.Dir, "clamd.conf"), []byte(conf), 0o644)
}

// wait waits for the daemon to answer PING on both its addresses, for CLAMD_START_TIMEOUT.
func (d *Daemon) wait(ctx context.Context) error {
	limit := 2 * time.Minute
	if v := os.Getenv(StartTimeoutVar); v != "" {
		if l, err := time.ParseDuration(v); err == nil && l > 0 {
			limit = l
		}
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		last = nil
		for _, addr := range []string{d.TCP, d.Socket} {
			c, err := virusscan.NewClamd(addr, 5*time.Second)
			if err == nil {
				err = c.Ping(ctx)
			}
			if err != nil {
				last = err
			}
		}
		if last == nil {
			return nil
		}
		select {
		case <-d.done:
			return fmt.Errorf("clamd exited while starting: %v", last)
		case <-ctx.Done():
			return fmt.Errorf("clamd did not answer within %s (%s): %v", limit, StartTimeoutVar, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Stop ends the daemon and removes its folder.
func (d *Daemon) Stop() error {
	if d.cmd.Process != nil {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.done
		}
	}
	return os.RemoveAll(d.Dir)
}

var (
	once   sync.Once
	shared *Daemon
	failed error
)

// Addr returns the TCP address of a running test daemon: CLAMD_TEST_ADDR's, or else one started
// for this test binary at the first call.
func Addr(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(EnvVar); addr != "" {
		return addr
	}
	return start(t).TCP
}

// Socket returns the unix socket of a running test daemon, as Addr does.
func Socket(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(SocketEnvVar); addr != "" {
		return addr
	}
	return start(t).Socket
}

func start(t testing.TB) *Daemon {
	t.Helper()
	once.Do(func() { shared, failed = Start(context.Background()) })
	if failed != nil {
		t.Fatal(failed)
	}
	return shared
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

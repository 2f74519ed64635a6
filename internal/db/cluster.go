package db

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServerBinaries is returned when no PostgreSQL server binaries are installed.
var ErrNoServerBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) were found neither on PATH nor under /usr/lib/postgresql/*/bin; " +
	"install them (Debian and Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing server")

// Cluster is a PostgreSQL server of the project's own, for development and tests. Its files live
// in Dir; it listens on 127.0.0.1 only and trusts local connections. When the process runs as
// root, the server runs as the postgres user (or nobody), as PostgreSQL refuses to run as root.
type Cluster struct {
	Dir  string // data directory; created and initialised when empty
	Port int    // TCP port on 127.0.0.1; used when the cluster is first created
	Fast bool   // trade durability for speed (tests)
	Log  *slog.Logger

	bin     string
	cred    *syscall.Credential
	started bool
}

// FindServerBinaries returns the directory holding initdb and pg_ctl: from PATH first, then the
// newest version under /usr/lib/postgresql.
func FindServerBinaries() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	return "", ErrNoServerBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// Start initialises the cluster when Dir is empty, and starts the server unless it already runs.
// It returns the address of the server's postgres database.
func (c *Cluster) Start(ctx context.Context) (string, error) {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	bin, err := FindServerBinaries()
	if err != nil {
		return "", err
	}
	c.bin = bin
	if c.Dir, err = filepath.Abs(c.Dir); err != nil {
		return "", err
	}
	if err := c.prepareUser(); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return "", err
		}
	}
	if port, ok := c.running(ctx); ok {
		c.Port = port
		c.Log.Info("local PostgreSQL already running", "dir", c.Dir, "port", port)
		return c.URL("postgres"), nil
	}
	port, err := c.configuredPort()
	if err != nil {
		return "", err
	}
	c.Port = port
	logFile := filepath.Join(c.Dir, "server.log")
	cmd := c.command(ctx, "pg_ctl", "start", "-D", c.Dir, "-w", "-t", "60", "-l", logFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("db: start local PostgreSQL: %v: %s (see %s)", err, strings.TrimSpace(string(out)), logFile)
	}
	c.started = true
	c.Log.Info("local PostgreSQL started", "dir", c.Dir, "port", c.Port)
	return c.URL("postgres"), nil
}

// Stop stops the server if this Cluster started it.
func (c *Cluster) Stop() error {
	if !c.started {
		return nil
	}
	c.started = false
	out, err := c.command(context.Background(), "pg_ctl", "stop", "-D", c.Dir, "-m", "fast", "-w").CombinedOutput()
	if err != nil {
		return fmt.Errorf("db: stop local PostgreSQL: %v: %s", err, strings.TrimSpace(string(out)))
	}
	c.Log.Info("local PostgreSQL stopped", "dir", c.Dir)
	return nil
}

// URL returns the address of one database on the cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, database)
}

// EnsureDatabase creates the database on the cluster unless it exists.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("db: connect to local PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("db: create database %s: %w", name, err)
		}
	}
	return c.URL(name), nil
}

func (c *Cluster) initdb(ctx context.Context) error {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	if err := c.chown(c.Dir); err != nil {
		return err
	}
	out, err := c.command(ctx, "initdb", "-D", c.Dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale").CombinedOutput()
	if err != nil {
		return fmt.Errorf("db: initdb: %v: %s", err, strings.TrimSpace(string(out)))
	}
	settings := fmt.Sprintf("\n# Added by minasidor\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\nmax_connections = 200\n", c.Port)
	if c.Fast {
		settings += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	}
	f, err := os.OpenFile(filepath.Join(c.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(settings)
	c.Log.Info("local PostgreSQL cluster created", "dir", c.Dir)
	return err
}

// running reports whether a server already serves Dir, and on which port.
func (c *Cluster) running(ctx context.Context) (int, bool) {
	if err := c.command(ctx, "pg_ctl", "status", "-D", c.Dir).Run(); err != nil {
		return 0, false
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

func (c *Cluster) configuredPort() (int, error) {
	f, err := os.Open(filepath.Join(c.Dir, "postgresql.conf"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	port := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), "=")
		if ok && strings.TrimSpace(k) == "port" {
			port, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if port == 0 {
		return 0, fmt.Errorf("db: no port in %s", f.Name())
	}
	return port, nil
}

// prepareUser decides whom the server runs as: the current user, or when that is root, the
// postgres user if the machine has one and nobody otherwise.
func (c *Cluster) prepareUser() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			return fmt.Errorf("db: running as root and found neither a postgres nor a nobody user to run PostgreSQL as")
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	// The server must be able to reach its data directory: make the folders above it passable.
	for dir := filepath.Dir(c.Dir); dir != "/"; dir = filepath.Dir(dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		st, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(dir, st.Mode().Perm()|0o011); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Cluster) chown(path string) error {
	if c.cred == nil {
		return nil
	}
	return os.Chown(path, int(c.cred.Uid), int(c.cred.Gid))
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	// Its own process group: a Ctrl-C in the terminal reaches us, and we stop the server cleanly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	cmd.Dir = c.Dir
	if _, err := os.Stat(c.Dir); err != nil {
		cmd.Dir = "/"
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C", "HOME="+c.Dir)
	return cmd
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// WaitReady waits until the server at url accepts connections, or ctx ends.
func WaitReady(ctx context.Context, url string) error {
	for {
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("db: server not ready: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

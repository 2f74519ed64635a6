package virusscan

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// Clamd is a client of ClamAV's daemon. Each scan opens a connection, sends the bytes with the
// INSTREAM command in chunks, and reads the one-line answer:
//
//	zINSTREAM\0 <len uint32 big-endian><bytes>... <0 uint32>  →  "stream: OK\0"
//	                                                            "stream: NAME FOUND\0"
//	                                                            "... ERROR\0"
//
// clamd refuses a stream longer than its StreamMaxLength (25 MB by default) with an ERROR
// answer: set it above the largest upload.
type Clamd struct {
	network, address string
	timeout          time.Duration
}

// chunkSize is how much of the file goes in one INSTREAM chunk.
const chunkSize = 64 << 10

// NewClamd returns a client of the clamd at addr: tcp://host:port, unix:///path/clamd.ctl, a
// plain host:port, or a plain absolute path of a unix socket. timeout bounds one whole scan
// (connecting, sending, waiting for the verdict); zero means one minute.
func NewClamd(addr string, timeout time.Duration) (*Clamd, error) {
	c := &Clamd{timeout: timeout}
	if c.timeout <= 0 {
		c.timeout = time.Minute
	}
	switch {
	case strings.HasPrefix(addr, "tcp://"):
		c.network, c.address = "tcp", strings.TrimPrefix(addr, "tcp://")
	case strings.HasPrefix(addr, "unix://"):
		c.network, c.address = "unix", strings.TrimPrefix(addr, "unix://")
	case strings.HasPrefix(addr, "/"):
		c.network, c.address = "unix", addr
	default:
		c.network, c.address = "tcp", addr
	}
	if c.network == "tcp" {
		if _, _, err := net.SplitHostPort(c.address); err != nil {
			return nil, fmt.Errorf("virusscan: clamd address %q: want tcp://host:port or unix:///path", addr)
		}
	} else if !strings.HasPrefix(c.address, "/") {
		return nil, fmt.Errorf("virusscan: clamd socket %q: want an absolute path", addr)
	}
	return c, nil
}

// Name names the daemon and where it is.
func (c *Clamd) Name() string { return "clamd at " + c.network + "://" + c.address }

// Ping asks the daemon whether it is there (zPING, answered PONG).
func (c *Clamd) Ping(ctx context.Context) error {
	reply, err := c.command(ctx, func(w io.Writer) error {
		_, err := io.WriteString(w, "zPING\x00")
		return err
	})
	if err != nil {
		return err
	}
	if reply != "PONG" {
		return fmt.Errorf("%w: clamd answered %q to PING", ErrUnavailable, reply)
	}
	return nil
}

// Version returns the daemon's version line, e.g. "ClamAV 1.4.6/27000/...".
func (c *Clamd) Version(ctx context.Context) (string, error) {
	return c.command(ctx, func(w io.Writer) error {
		_, err := io.WriteString(w, "zVERSION\x00")
		return err
	})
}

// Scan streams data to the daemon and returns its verdict.
func (c *Clamd) Scan(ctx context.Context, data []byte) (Result, error) {
	reply, err := c.command(ctx, func(w io.Writer) error {
		if _, err := io.WriteString(w, "zINSTREAM\x00"); err != nil {
			return err
		}
		var size [4]byte
		for rest := data; len(rest) > 0; {
			n := min(len(rest), chunkSize)
			binary.BigEndian.PutUint32(size[:], uint32(n))
			if _, err := w.Write(size[:]); err != nil {
				return err
			}
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		binary.BigEndian.PutUint32(size[:], 0)
		_, err := w.Write(size[:])
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return parseReply(reply)
}

// parseReply reads the answer to INSTREAM.
func parseReply(reply string) (Result, error) {
	body, ok := strings.CutPrefix(reply, "stream: ")
	switch {
	case ok && body == "OK":
		return Result{}, nil
	case ok && strings.HasSuffix(body, " FOUND"):
		return Result{Infected: true, Signature: strings.TrimSuffix(body, " FOUND")}, nil
	}
	return Result{}, fmt.Errorf("%w: clamd answered %q", ErrUnavailable, reply)
}

// command sends one command on a new connection and returns the answer, without its ending NUL.
// When clamd stops reading early (a stream over its limit), the write fails but its answer says
// why, so the answer is read whatever the write did.
func (c *Clamd) command(ctx context.Context, send func(io.Writer) error) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, c.network, c.address)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	werr := send(conn)
	if cw, ok := conn.(interface{ CloseWrite() error }); ok && werr == nil {
		cw.CloseWrite()
	}
	answer, rerr := io.ReadAll(io.LimitReader(conn, 4096))
	answer = bytes.TrimRight(answer, "\x00\n")
	if len(answer) == 0 {
		err := errors.Join(werr, rerr)
		if err == nil {
			err = errors.New("no answer")
		}
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return string(answer), nil
}

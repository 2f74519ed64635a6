package notify_test

import (
	"bytes"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minasidor/minasidor/internal/notify"
)

// smtpServer is a tiny SMTP server for the tests: it speaks EHLO/HELO, MAIL, RCPT, DATA, RSET,
// NOOP and QUIT, and hands every accepted message to the mails channel.
type smtpServer struct {
	port     int
	mails    chan receivedMail
	mu       sync.Mutex
	rejectN  int // answer 451 to this many more messages
	sessions sync.WaitGroup
}

type receivedMail struct {
	From string
	To   []string
	Raw  []byte
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{port: ln.Addr().(*net.TCPAddr).Port, mails: make(chan receivedMail, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.sessions.Add(1)
			go s.session(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.sessions.Wait()
	})
	return s
}

// config is the sender configuration that points at the server.
func (s *smtpServer) config() notify.SMTPConfig {
	return notify.SMTPConfig{
		Host: "127.0.0.1", Port: s.port, TLS: notify.TLSNone, Timeout: 5 * time.Second,
		From: "Mina sidor <no-reply@minasidor.example.se>", HeloName: "test-client",
	}
}

// rejectNext makes the server answer 451 to the next n messages.
func (s *smtpServer) rejectNext(n int) {
	s.mu.Lock()
	s.rejectN = n
	s.mu.Unlock()
}

func (s *smtpServer) reject() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rejectN > 0 {
		s.rejectN--
		return true
	}
	return false
}

func (s *smtpServer) session(c net.Conn) {
	defer s.sessions.Done()
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 mx.test ESMTP ready")
	var m receivedMail
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250 mx.test greets %s", arg)
		case "MAIL":
			m = receivedMail{From: between(arg, "<", ">")}
			tp.PrintfLine("250 2.1.0 OK")
		case "RCPT":
			m.To = append(m.To, between(arg, "<", ">"))
			tp.PrintfLine("250 2.1.5 OK")
		case "DATA":
			if m.From == "" || len(m.To) == 0 {
				tp.PrintfLine("503 5.5.1 MAIL and RCPT first")
				continue
			}
			tp.PrintfLine("354 End data with <CR><LF>.<CR><LF>")
			raw, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if s.reject() {
				tp.PrintfLine("451 4.3.0 Temporary failure, try again later")
				continue
			}
			m.Raw = raw
			s.mails <- m
			tp.PrintfLine("250 2.0.0 Queued")
		case "RSET":
			m = receivedMail{}
			tp.PrintfLine("250 2.0.0 OK")
		case "NOOP":
			tp.PrintfLine("250 2.0.0 OK")
		case "QUIT":
			tp.PrintfLine("221 2.0.0 Bye")
			return
		default:
			tp.PrintfLine("502 5.5.2 Command not recognized")
		}
	}
}

func between(s, open, close string) string {
	_, rest, _ := strings.Cut(s, open)
	v, _, _ := strings.Cut(rest, close)
	return v
}

// next waits for the next accepted message.
func (s *smtpServer) next(t *testing.T) receivedMail {
	t.Helper()
	select {
	case m := <-s.mails:
		return m
	case <-time.After(15 * time.Second):
		t.Fatal("no e-mail arrived")
		return receivedMail{}
	}
}

// none checks that no message arrives for a while.
func (s *smtpServer) none(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case m := <-s.mails:
		t.Errorf("unexpected e-mail to %v: %s", m.To, m.Raw)
	case <-time.After(wait):
	}
}

// parsedMail is a received message with its headers and decoded text.
type parsedMail struct {
	Header  mail.Header
	Subject string
	Body    string
}

func parseMail(t *testing.T, m receivedMail) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatalf("not a mail message: %v\n%s", err, m.Raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Errorf("subject %q: %v", msg.Header.Get("Subject"), err)
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(quotedprintable.NewReader(msg.Body)); err != nil {
		t.Errorf("body is not quoted-printable: %v", err)
	}
	return parsedMail{Header: msg.Header, Subject: subject, Body: body.String()}
}

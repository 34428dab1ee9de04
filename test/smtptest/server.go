package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mode is how the server protects connections.
type Mode int

const (
	// Plain offers no TLS at all.
	Plain Mode = iota
	// StartTLS offers STARTTLS on a plain listener.
	StartTLS
	// ImplicitTLS speaks TLS from the first byte (smtps).
	ImplicitTLS
)

// Options configure a Server.
type Options struct {
	Mode Mode
	// Username and Password, when set, make AUTH PLAIN mandatory before
	// MAIL FROM (offered over TLS only).
	Username, Password string
}

// Message is one mail the server accepted.
type Message struct {
	From     string
	To       []string
	Data     []byte // the message as received, RFC 5322
	TLS      bool   // the transaction ran over TLS
	AuthUser string // who authenticated; empty: nobody
}

// Server is a running SMTP server on 127.0.0.1 that records every message.
type Server struct {
	opts    Options
	cert    Certificate
	srv     *smtp.Server
	ln      net.Listener
	addr    *net.TCPAddr
	mu      sync.Mutex
	arrived *sync.Cond
	msgs    []Message
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, cert: NewCertificate(t)}
	s.arrived = sync.NewCond(&s.mu)
	s.srv = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.srv.Domain = "localhost"
	s.srv.ErrorLog = discardLogger{}
	var ln net.Listener
	var err error
	switch opts.Mode {
	case ImplicitTLS:
		s.srv.TLSConfig = s.cert.Server
		ln, err = tls.Listen("tcp", "127.0.0.1:0", s.cert.Server)
	case StartTLS:
		s.srv.TLSConfig = s.cert.Server
		fallthrough
	default:
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.ln, s.addr = ln, ln.Addr().(*net.TCPAddr)
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(s.Close)
	return s
}

// Host is the address the server listens on (127.0.0.1).
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the server's port.
func (s *Server) Port() int { return s.addr.Port }

// Addr is host:port.
func (s *Server) Addr() string { return s.addr.String() }

// RootCAs trusts the server's certificate.
func (s *Server) RootCAs() *x509.CertPool { return s.cert.RootCAs }

// URL is an AUTHD_SMTP_URL reaching this server in its mode, with the
// configured credentials (which authd refuses over a Plain server).
func (s *Server) URL() string {
	scheme, query := "smtp", ""
	switch s.opts.Mode {
	case ImplicitTLS:
		scheme = "smtps"
	case Plain:
		query = "?tls=none"
	}
	user := ""
	if s.opts.Username != "" {
		user = s.opts.Username + ":" + s.opts.Password + "@"
	}
	return scheme + "://" + user + net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) + query
}

// Close stops the server; later connections are refused. The listener is
// closed here too, since Serve may not have registered it with the server
// yet.
func (s *Server) Close() {
	_ = s.ln.Close()
	_ = s.srv.Close()
}

// Messages returns what arrived so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Await blocks until at least n messages arrived and returns them; after a
// generous minute without them it fails the test (a hang guard, not a
// timing assertion).
func (s *Server) Await(t testing.TB, n int) []Message {
	t.Helper()
	guard := time.AfterFunc(time.Minute, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.arrived.Broadcast()
	})
	defer guard.Stop()
	start := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.msgs) < n {
		if time.Since(start) >= time.Minute {
			t.Fatalf("smtptest: %d of %d messages arrived", len(s.msgs), n)
		}
		s.arrived.Wait()
	}
	return append([]Message(nil), s.msgs...)
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	s.arrived.Broadcast()
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, conn: c}, nil
}

// session is one SMTP conversation; its fields reset per transaction.
type session struct {
	srv      *Server
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

func (s *session) AuthMechanisms() []string {
	if s.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.srv.opts.Username || password != s.srv.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.authUser = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.Username != "" && s.authUser == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("smtptest: read data: %w", err)
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.record(Message{From: s.from, To: s.to, Data: data, TLS: isTLS, AuthUser: s.authUser})
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// discardLogger keeps the server's own complaints (a client hanging up
// mid-handshake in a refusal test) out of the test output.
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

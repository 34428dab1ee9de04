package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Security is how the connection to the mail server is protected.
type Security int

const (
	// StartTLS upgrades a plain connection with STARTTLS and refuses a
	// server that does not offer it (smtp://, default port 587).
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (smtps://, default port 465).
	ImplicitTLS
	// NoTLS sends in clear (smtp://…?tls=none): only for a relay on a
	// trusted network, and never with credentials.
	NoTLS
)

// Server is a parsed AUTHD_SMTP_URL. Its String form never shows the
// password.
type Server struct {
	Host     string
	Port     int
	Security Security
	Username string // empty: no SMTP AUTH
	Password string
}

// ParseURL reads smtp://[user[:pass]@]host[:port][?tls=none] or
// smtps://[user[:pass]@]host[:port]. User info turns SMTP AUTH on (the
// strongest mechanism both sides know). Refused: another scheme, no host,
// a bad port, a path, a query other than tls=none on smtp://, and
// credentials with tls=none. Errors never repeat the URL, which may hold
// a password.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("not a URL like smtp://user:pass@host:587 (percent-encode special characters in user and password)")
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = StartTLS, 587
	case "smtps":
		s.Security, s.Port = ImplicitTLS, 465
	default:
		return Server{}, fmt.Errorf("scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return Server{}, errors.New("no host: expected smtp://host:port")
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return Server{}, errors.New("must not have a path or fragment")
	}
	s.Host = u.Hostname()
	if strings.Contains(s.Host, ":") && net.ParseIP(s.Host) == nil {
		return Server{}, errors.New("host must be a name or an address (IPv6 in brackets)")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return Server{}, errors.New("port must be between 1 and 65535")
		}
	}
	if err := s.readQuery(u.Query()); err != nil {
		return Server{}, err
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if s.Security == NoTLS && (s.Username != "" || s.Password != "") {
		return Server{}, errors.New("credentials with tls=none would cross the network in clear")
	}
	return s, nil
}

func (s *Server) readQuery(q url.Values) error {
	for key, values := range q {
		if key != "tls" || len(values) != 1 || values[0] != "none" {
			return errors.New("the only query allowed is ?tls=none")
		}
		if s.Security == ImplicitTLS {
			return errors.New("?tls=none contradicts smtps://")
		}
		s.Security = NoTLS
	}
	return nil
}

// Addr is host:port.
func (s Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// String is the URL without the password.
func (s Server) String() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr()}
	switch s.Security {
	case ImplicitTLS:
		u.Scheme = "smtps"
	case NoTLS:
		u.RawQuery = "tls=none"
	}
	if s.Username != "" {
		u.User = url.User(s.Username)
	}
	return u.String()
}

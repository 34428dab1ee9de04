package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// DefaultTimeout bounds one send: connect, TLS, AUTH and the whole dialogue.
const DefaultTimeout = 15 * time.Second

// SMTPConfig is what the SMTP adapter needs.
type SMTPConfig struct {
	Server  Server
	Timeout time.Duration // per send; 0: DefaultTimeout
	// RootCAs verifies the server's certificate; nil: the system's roots.
	// Tests set it to trust their own certificate; the server name is
	// always checked.
	RootCAs *x509.CertPool
}

// SMTP delivers mails to a mail server, one connection per mail. It never
// logs a link or a body, and passwords stay out of its errors.
type SMTP struct {
	cfg      SMTPConfig
	composer *Composer
	log      *slog.Logger
}

// NewSMTP returns an adapter sending through cfg.Server. It does not
// connect: an unreachable server shows on the first Send.
func NewSMTP(cfg SMTPConfig, composer *Composer, log *slog.Logger) *SMTP {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &SMTP{cfg: cfg, composer: composer, log: log}
}

// Send composes m and delivers it in one SMTP transaction, within
// the configured timeout and ctx's deadline. Any failure to hand the mail
// over wraps domain.ErrUnavailable; the cause (server reply, TLS or AUTH
// failure) stays in the chain for the log.
func (s *SMTP) Send(ctx context.Context, m ports.Mail) error {
	msg, err := s.composer.compose(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	client, err := gomail.NewClient(s.cfg.Server.Host, s.options(time.Until(deadline))...)
	if err != nil {
		return fmt.Errorf("mail: smtp client for %s: %w", s.cfg.Server, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send %s mail via %s: %w: %w", m.Kind, s.cfg.Server, domain.ErrUnavailable, err)
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "mail sent",
		slog.String("kind", string(m.Kind)), slog.String("server", s.cfg.Server.Addr()))
	return nil
}

func (s *SMTP) options(timeout time.Duration) []gomail.Option {
	srv := s.cfg.Server
	opts := []gomail.Option{
		gomail.WithPort(srv.Port),
		gomail.WithTimeout(max(timeout, time.Millisecond)),
		gomail.WithTLSConfig(&tls.Config{ServerName: srv.Host, RootCAs: s.cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch srv.Security {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password))
	}
	return opts
}

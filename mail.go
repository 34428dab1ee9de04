package authd

import (
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/ports"
)

// validateMail checks the mail settings. An AUTHD_SMTP_URL error never
// repeats the URL, which may hold a password.
func (c Config) validateMail() error {
	if c.SMTPURL != "" {
		if _, err := mail.ParseURL(c.SMTPURL); err != nil {
			return fmt.Errorf("AUTHD_SMTP_URL: %w", err)
		}
	}
	if _, err := mail.ParseFrom(c.MailFrom); err != nil {
		return fmt.Errorf("AUTHD_MAIL_FROM: %w", err)
	}
	if u, err := url.Parse(c.EmailLinkURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Host == "" || u.User != nil || strings.Contains(c.EmailLinkURL, "#") {
		return fmt.Errorf("AUTHD_EMAIL_LINK_URL: %q is not an http(s) URL without a fragment (the token is added as #verify=…)", c.EmailLinkURL)
	}
	switch {
	case c.VerifyTokenTTL < time.Minute:
		return fmt.Errorf("AUTHD_VERIFY_TOKEN_TTL: must be at least 1m")
	case c.ResetTokenTTL < time.Minute:
		return fmt.Errorf("AUTHD_RESET_TOKEN_TTL: must be at least 1m")
	}
	return nil
}

// mailer picks the SMTP adapter when AUTHD_SMTP_URL is set, and otherwise
// the outbox in the data folder, with a warning that no mail leaves the
// machine. Templates are loaded here, so a broken override stops start-up.
func mailer(c Config, log *slog.Logger, clock ports.Clock) (ports.Mailer, error) {
	templates, err := mail.LoadTemplates(c.MailTemplates)
	if err != nil {
		if c.MailTemplates != "" {
			return nil, fmt.Errorf("AUTHD_MAIL_TEMPLATES: %w", err)
		}
		return nil, err
	}
	composer, err := mail.NewComposer(templates, c.MailFrom, clock)
	if err != nil {
		return nil, fmt.Errorf("AUTHD_MAIL_FROM: %w", err)
	}
	if c.SMTPURL == "" {
		dir := filepath.Join(c.DataDir, "outbox")
		log.Warn("AUTHD_SMTP_URL is unset: account mails are written as .eml files and never sent; set it in production",
			slog.String("dir", dir))
		return mail.NewOutbox(dir, composer, log), nil
	}
	server, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		return nil, fmt.Errorf("AUTHD_SMTP_URL: %w", err)
	}
	log.Info("account mails go through SMTP", slog.String("server", server.String()))
	return mail.NewSMTP(mail.SMTPConfig{Server: server, RootCAs: c.SMTPRootCAs}, composer, log), nil
}

package authd

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/ports"
)

// mailer picks the SMTP adapter when AUTHD_SMTP_URL is set, and otherwise
// the outbox in the data folder, with a warning that no mail leaves the
// machine. Templates are loaded here, so a broken override stops start-up.
func mailer(m MailConfig, st StorageConfig, log *slog.Logger, clock ports.Clock) (ports.Mailer, error) {
	templates, err := mail.LoadTemplates(m.Templates)
	if err != nil {
		if m.Templates != "" {
			return nil, fmt.Errorf("AUTHD_MAIL_TEMPLATES: %w", err)
		}
		return nil, err
	}
	composer, err := mail.NewComposer(templates, m.From, clock)
	if err != nil {
		return nil, fmt.Errorf("AUTHD_MAIL_FROM: %w", err)
	}
	if m.SMTPURL == "" {
		dir := filepath.Join(st.DataDir, "outbox")
		log.Warn("AUTHD_SMTP_URL is unset: account mails are written as .eml files and never sent; set it in production",
			slog.String("dir", dir))
		return mail.NewOutbox(dir, composer, log), nil
	}
	server, err := mail.ParseURL(m.SMTPURL)
	if err != nil {
		return nil, fmt.Errorf("AUTHD_SMTP_URL: %w", err)
	}
	log.Info("account mails go through SMTP", slog.String("server", server.String()))
	return mail.NewSMTP(mail.SMTPConfig{Server: server, RootCAs: m.RootCAs}, composer, log), nil
}

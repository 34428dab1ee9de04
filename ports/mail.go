package ports

import (
	"context"
	"time"

	"github.com/authd-dev/authd/domain"
)

// MailKind names which account mail to send. The mail adapter owns the
// wording, the layout and the MIME structure of each kind.
type MailKind string

// The account mails authd sends.
const (
	// MailVerifyEmail asks the owner of an address to confirm it.
	MailVerifyEmail MailKind = "verify"
	// MailResetPassword carries a link to set a new password; using it signs
	// every device out.
	MailResetPassword MailKind = "reset"
)

// Mail is one account mail: who gets it, which one, and the facts it
// states. Link carries a one-time token: it must never be logged.
type Mail struct {
	To       domain.Email
	Kind     MailKind
	Link     string        // absolute URL the recipient opens
	Lifetime time.Duration // how long Link works, stated in the mail
}

// Mailer delivers account mails.
type Mailer interface {
	// Send renders m and hands it to the mail server (or the configured
	// stand-in) before returning. It never logs the link or the body. A mail
	// that could not be handed over — server unreachable, refused, timed out,
	// a TLS or AUTH failure — is an error wrapping domain.ErrUnavailable; an
	// unknown Kind or an empty To is an error that is a bug in the caller.
	// ctx's deadline, and the adapter's own timeout, bound the attempt.
	Send(ctx context.Context, m Mail) error
}

package application_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// mailbox is a ports.Mailer that keeps every mail it is given, or refuses
// them all like a mail server that is down. The end-to-end suite sends
// through a real SMTP server; here the use cases' side is under test.
type mailbox struct {
	mu   sync.Mutex
	sent []ports.Mail
	down bool
}

func (b *mailbox) Send(ctx context.Context, m ports.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.down {
		return fmt.Errorf("mailbox: connection refused: %w", domain.ErrUnavailable)
	}
	b.sent = append(b.sent, m)
	return nil
}

func (b *mailbox) setDown(down bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down = down
}

// of returns the mails of kind sent to email, oldest first.
func (b *mailbox) of(kind ports.MailKind, email string) []ports.Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []ports.Mail
	for _, m := range b.sent {
		if m.Kind == kind && m.To.String() == email {
			out = append(out, m)
		}
	}
	return out
}

// secret returns the one-time token of a mail's link, checking the link's shape.
func secret(t *testing.T, m ports.Mail, base string) string {
	t.Helper()
	prefix := base + "#" + string(m.Kind) + "="
	if !strings.HasPrefix(m.Link, prefix) {
		t.Fatalf("link %q does not start with %q", m.Link, prefix)
	}
	return strings.TrimPrefix(m.Link, prefix)
}

package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Outbox stands in for a mail server in development: each mail becomes one
// .eml file (the full RFC 5322 message SMTP would have carried) in a
// folder, where a person or a test opens it. Files hold live one-time
// links, so they are private to the process's user (0600, folder 0700).
type Outbox struct {
	dir      string
	composer *Composer
	log      *slog.Logger
}

// NewOutbox returns an outbox writing into dir, which is created on the
// first mail (so building one touches no disk).
func NewOutbox(dir string, composer *Composer, log *slog.Logger) *Outbox {
	return &Outbox{dir: dir, composer: composer, log: log}
}

// Dir is the folder the mails are written to.
func (o *Outbox) Dir() string { return o.dir }

// Send writes m as <time>-<kind>-<random>.eml: names sort in sending order.
// The file appears whole or not at all (written to a temporary name, synced,
// then renamed); a write failure wraps domain.ErrUnavailable and leaves no
// file behind.
func (o *Outbox) Send(ctx context.Context, m ports.Mail) error {
	msg, err := o.composer.compose(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail outbox: %w", err)
	}
	name := fmt.Sprintf("%s-%s-%s.eml",
		o.composer.clock.Now().UTC().Format("20060102T150405.000000000Z"), m.Kind, rand.Text()[:8])
	path := filepath.Join(o.dir, name)
	if err := o.writeAtomically(path, msg.WriteTo); err != nil {
		return fmt.Errorf("mail outbox: write %s: %w: %w", path, domain.ErrUnavailable, err)
	}
	o.log.LogAttrs(ctx, slog.LevelInfo, "mail written to the outbox",
		slog.String("kind", string(m.Kind)), slog.String("file", path))
	return nil
}

// writeAtomically writes through a hidden temporary file that never ends in
// .eml, so a reader listing *.eml never sees a partial message.
func (o *Outbox) writeAtomically(path string, write func(w io.Writer) (int64, error)) (err error) {
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(o.dir, ".writing-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(tmp.Name()))
		}
	}()
	if _, err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

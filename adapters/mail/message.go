package mail

import (
	"crypto/rand"
	"errors"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/authd-dev/authd/ports"
)

// DefaultFrom is the sender when none is configured.
const DefaultFrom = "authd <no-reply@localhost>"

// Composer turns a ports.Mail into the RFC 5322 message both adapters
// deliver, so the outbox holds exactly what SMTP would have sent.
type Composer struct {
	templates *Templates
	from      *netmail.Address
	clock     ports.Clock
}

// NewComposer builds a Composer sending as from (an address with an
// optional display name, like DefaultFrom). A from that is not one address
// is an error.
func NewComposer(templates *Templates, from string, clock ports.Clock) (*Composer, error) {
	addr, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	return &Composer{templates: templates, from: addr, clock: clock}, nil
}

// ParseFrom checks that from is one address, with an optional display name.
func ParseFrom(from string) (*netmail.Address, error) {
	addr, err := netmail.ParseAddress(from)
	if err != nil || strings.ContainsAny(addr.Address, "\r\n") {
		return nil, fmt.Errorf("not one address like %q", DefaultFrom)
	}
	return addr, nil
}

// compose renders m into a multipart/alternative message, text first (the
// fallback) and HTML second (the preferred part, RFC 2046).
func (c *Composer) compose(m ports.Mail) (*gomail.Msg, error) {
	if m.To.IsZero() {
		return nil, errors.New("mail: no recipient")
	}
	r, err := c.templates.render(m)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(c.from)
	if err := msg.To(m.To.String()); err != nil {
		return nil, fmt.Errorf("mail: recipient: %w", err)
	}
	msg.Subject(r.Subject)
	msg.SetDateWithValue(c.clock.Now())
	msg.SetMessageIDWithValue(messageID(c.from.Address))
	// Auto-Submitted keeps vacation responders from answering (RFC 3834).
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, r.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return msg, nil
}

// messageID is a random id in the sender's domain, which receiving servers
// expect rather than the container's host name.
func messageID(from string) string {
	host := from[strings.LastIndexByte(from, '@')+1:]
	return rand.Text() + "@" + host
}

// lifetime says d in words: whole days from two days on, whole hours, or
// minutes rounded down, so a mail never promises more time than the link
// has (a lifetime under a minute still reads "1 minute").
func lifetime(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d >= 2*day && d%day == 0:
		return plural(int64(d/day), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	default:
		return plural(max(int64(d/time.Minute), 1), "minute")
	}
}

func plural(n int64, unit string) string {
	s := strconv.FormatInt(n, 10) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}

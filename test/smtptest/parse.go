package smtptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
)

// Parsed is a multipart/alternative account mail taken apart the way a
// mail client would: headers, decoded subject, decoded text and HTML.
type Parsed struct {
	Header  netmail.Header
	Subject string
	Text    string
	HTML    string
}

// Parse reads m's data with ParseMessage.
func (m Message) Parse() (Parsed, error) { return ParseMessage(m.Data) }

// ParseMessage parses an RFC 5322 message that must be multipart/alternative
// with exactly one text/plain and one text/html part (transfer encodings
// decoded by mime/multipart).
func ParseMessage(raw []byte) (Parsed, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Parsed{}, fmt.Errorf("read message: %w", err)
	}
	p := Parsed{Header: msg.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Parsed{}, fmt.Errorf("subject: %w", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		return Parsed{}, fmt.Errorf("content type %q is not multipart/alternative", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Parsed{}, fmt.Errorf("next part: %w", err)
		}
		if err := p.readPart(part); err != nil {
			return Parsed{}, err
		}
	}
	if p.Text == "" || p.HTML == "" {
		return Parsed{}, errors.New("a text/plain or text/html part is missing or empty")
	}
	return p, nil
}

func (p *Parsed) readPart(part *multipart.Part) error {
	mediaType, _, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("part content type: %w", err)
	}
	body, err := io.ReadAll(part)
	if err != nil {
		return fmt.Errorf("read %s part: %w", mediaType, err)
	}
	target := map[string]*string{"text/plain": &p.Text, "text/html": &p.HTML}[mediaType]
	switch {
	case target == nil:
		return fmt.Errorf("unexpected part %s", mediaType)
	case *target != "":
		return fmt.Errorf("two %s parts", mediaType)
	}
	*target = string(body)
	return nil
}

// FindLink returns the first link in body starting with prefix, up to the
// next white space, quote or angle bracket; "" when there is none.
func FindLink(body, prefix string) string {
	i := strings.Index(body, prefix)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if end := strings.IndexAny(rest, " \t\r\n\"'<>"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

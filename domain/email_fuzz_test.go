package domain_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/authd-dev/authd/domain"
)

// FuzzNewEmail: whatever NewEmail accepts is normalised (idempotent,
// lower-case, at most 254 bytes, valid UTF-8, one @, no control, space or
// invisible format characters).
func FuzzNewEmail(f *testing.F) {
	for _, s := range []string{
		"alice@example.com", " Alice@Example.COM ", "a\u200b@x.com", "İ@x.com", "Ａ@x.com", "\"a\"@x.com",
		"a@[1.2.3.4]", "a\x00@x.com", strings.Repeat("a", 250) + "@x.com", "ǅ@x.com", "ẞ@x.com", "admin@x.com'--",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := domain.NewEmail(raw)
		if err != nil {
			return
		}
		s := e.String()
		switch {
		case len(s) == 0 || len(s) > domain.MaxEmailBytes:
			t.Fatalf("NewEmail(%q) = %q: %d bytes", raw, s, len(s))
		case !utf8.ValidString(s):
			t.Fatalf("NewEmail(%q) = %q: invalid UTF-8", raw, s)
		case s != strings.ToLower(s):
			t.Fatalf("NewEmail(%q) = %q: not lower-case", raw, s)
		case strings.IndexFunc(s, forbidden) >= 0:
			t.Fatalf("NewEmail(%q) = %q: control, space or format character", raw, s)
		case strings.Count(s, "@") != 1:
			t.Fatalf("NewEmail(%q) = %q: not exactly one @", raw, s)
		}
		again, err := domain.NewEmail(s)
		if err != nil || again != e {
			t.Fatalf("not idempotent: NewEmail(%q) = %q, then %q, %v", raw, s, again.String(), err)
		}
	})
}

func forbidden(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// TestNewEmailRefusesOddDomains covers the host-name rule NewEmail adds to
// RFC 5322 (whose atoms would let "example.com'--" through).
func TestNewEmailRefusesOddDomains(t *testing.T) {
	for _, raw := range []string{"admin@example.com'--", "a@-x.com", "a@x-.com", "a@x_y.com", "a@x.com;drop", "a@[127.0.0.1]", "a@{x}.com"} {
		if _, err := domain.NewEmail(raw); err == nil {
			t.Errorf("NewEmail(%q) accepted", raw)
		}
	}
}

package emailnorm_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/domain"
)

// FuzzNormaliseEmail: NormaliseEmail never panics, and whatever it accepts
// is valid UTF-8 in NFC, lower-case, at most 254 bytes, one @, free of
// control, space and format characters, and normalises to itself.
func FuzzNormaliseEmail(f *testing.F) {
	for _, s := range []string{
		"alice@example.com", " Alice@Example.COM ", "jose\u0301@example.com", "bob@xn--exmple-qta.com",
		"bob@ex\u00e1mple.com", "bob@\uff45xample\u3002com", "a@xn--h2brj9c.xn--h2brj9c", "\u0130@x.com",
		"\u1e9e@x.com", "\u01c5@x.com", "a@\u0130.com", "a@xn--.com", "a@xn--bob-.com", "a@ex\u00adample.com",
		"\u212a@x.com", "a@\u212a.com", "\u1100\u1161@x.com", "a\u200d@x.com", "a@\u05d0.\u05d1", strings.Repeat("e\u0301", 90) + "@x.com",
	} {
		f.Add(s)
	}
	n := emailnorm.New()
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := n.NormaliseEmail(raw)
		if err != nil {
			return
		}
		s := e.String()
		switch {
		case len(s) == 0 || len(s) > domain.MaxEmailBytes:
			t.Fatalf("NormaliseEmail(%q) = %q: %d bytes", raw, s, len(s))
		case !utf8.ValidString(s):
			t.Fatalf("NormaliseEmail(%q) = %q: invalid UTF-8", raw, s)
		case !norm.NFC.IsNormalString(s):
			t.Fatalf("NormaliseEmail(%q) = %q: not NFC", raw, s)
		case s != strings.ToLower(s):
			t.Fatalf("NormaliseEmail(%q) = %q: not lower-case", raw, s)
		case strings.Count(s, "@") != 1:
			t.Fatalf("NormaliseEmail(%q) = %q: not exactly one @", raw, s)
		case strings.IndexFunc(s, forbidden) >= 0:
			t.Fatalf("NormaliseEmail(%q) = %q: control, space or format character", raw, s)
		}
		again, err := n.NormaliseEmail(s)
		if err != nil || again != e {
			t.Fatalf("not idempotent: NormaliseEmail(%q) = %q, then %q, %v", raw, s, again.String(), err)
		}
	})
}

func forbidden(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

package emailnorm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/domain"
)

func TestNormaliseEmailEquivalentSpellings(t *testing.T) {
	n := emailnorm.New()
	for _, tt := range []struct{ name, raw, want string }{
		{"NFC", "jos\u00e9@example.com", "jos\u00e9@example.com"},
		{"NFD", "jose\u0301@example.com", "jos\u00e9@example.com"},
		{"NFD upper case, padded", "  JOSE\u0301@EXAMPLE.COM\t", "jos\u00e9@example.com"},
		{"punycode domain", "bob@xn--exmple-qta.com", "bob@ex\u00e1mple.com"},
		{"punycode domain, upper case", "bob@XN--EXMPLE-QTA.COM", "bob@ex\u00e1mple.com"},
		{"Unicode domain", "bob@ex\u00e1mple.com", "bob@ex\u00e1mple.com"},
		{"Unicode domain, NFD upper case", "bob@EXA\u0301MPLE.com", "bob@ex\u00e1mple.com"},
		{"full-width domain and ideographic dot", "bob@\uff45xample\u3002com", "bob@example.com"},
		{"Indic domain with combining marks", "a@xn--h2brj9c.xn--h2brj9c", "a@\u092d\u093e\u0930\u0924.\u092d\u093e\u0930\u0924"},
		{"zero-width space in the domain (UTS #46 ignores it)", "bob@ex\u200bample.com", "bob@example.com"},
		{"double hyphen inside a label", "a@r4--sn.example.com", "a@r4--sn.example.com"},
		{"plain ASCII", "Alice@Example.com", "alice@example.com"},
		{"localhost", "root@localhost", "root@localhost"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := n.NormaliseEmail(tt.raw)
			if err != nil || e.String() != tt.want {
				t.Fatalf("NormaliseEmail(%q) = %q, %v; want %q", tt.raw, e.String(), err, tt.want)
			}
		})
	}
}

func TestNormaliseEmailRefusals(t *testing.T) {
	n := emailnorm.New()
	for _, raw := range []string{
		"", "   ", "no-at-sign", "bob@", "@example.com",
		"bob@xn--zz-.com",                                // punycode that does not decode
		"bob@xn--bob-.com",                               // an xn-- label that decodes to ASCII only
		"bob@-example.com",                               // leading hyphen
		"bob@exa_mple.com",                               // STD3: no underscore
		"bob@example.com'--",                             // not a host name
		"b\u200bob@example.com",                          // invisible character in the local part
		"Bob <bob@example.com>",                          // display name
		"b\xffob@example.com",                            // invalid UTF-8
		strings.Repeat("a", 250) + "@xn--exmple-qta.com", // over 254 bytes once decoded
	} {
		_, err := n.NormaliseEmail(raw)
		var v *domain.ValidationError
		if !errors.As(err, &v) || v.Field != "email" {
			t.Errorf("NormaliseEmail(%q) = %v, want a validation error on email", raw, err)
		}
	}
}

// TestNormaliseEmailLengthAfterNormalisation: the 254-byte limit applies to
// the stored form, so an NFD spelling longer than 254 bytes whose NFC form
// fits is accepted, and a punycode one that grows past it is not.
func TestNormaliseEmailLengthAfterNormalisation(t *testing.T) {
	n := emailnorm.New()
	local := strings.Repeat("e\u0301", 90) // 270 bytes in NFD, 180 in NFC
	raw := local + "@example.com"
	if len(raw) <= domain.MaxEmailBytes {
		t.Fatalf("test input is only %d bytes", len(raw))
	}
	e, err := n.NormaliseEmail(raw)
	if err != nil || len(e.String()) > domain.MaxEmailBytes {
		t.Fatalf("NormaliseEmail(NFD, %d bytes) = %q (%d bytes), %v", len(raw), e.String(), len(e.String()), err)
	}
}

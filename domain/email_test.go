package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authd-dev/authd/domain"
)

func TestNewEmailAccepts(t *testing.T) {
	// A valid address of exactly MaxEmailBytes: 64-byte local part, 189-byte domain.
	long := strings.Repeat("l", 64) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + "." + strings.Repeat("f", 63) + ".com"
	if len(long) != domain.MaxEmailBytes {
		t.Fatalf("fixture is %d bytes", len(long))
	}
	tests := []struct{ in, want string }{
		{"alice@example.com", "alice@example.com"},
		{"Alice@Example.COM", "alice@example.com"},
		{"  bob@example.com\t\n", "bob@example.com"},
		{"\u00a0carol@example.com\u2003", "carol@example.com"}, // unicode spaces are trimmed too
		{"first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"root@localhost", "root@localhost"},
		{"ÜBER@Bücher.example", "über@bücher.example"},
		{"用户@例子.广告", "用户@例子.广告"},
		{"x@ex-ample.co-op.example", "x@ex-ample.co-op.example"},
		{"x@123.example", "x@123.example"},
		{long, long},
		{"  " + strings.ToUpper(long) + "  ", long}, // the limit applies after trimming
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := domain.NewEmail(tt.in)
			if err != nil {
				t.Fatalf("NewEmail(%q): %v", tt.in, err)
			}
			if e.String() != tt.want || e.IsZero() {
				t.Fatalf("NewEmail(%q) = %q, want %q", tt.in, e.String(), tt.want)
			}
		})
	}
}

func TestNewEmailRefuses(t *testing.T) {
	tooLong := strings.Repeat("l", 64) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + "." + strings.Repeat("f", 63) + ".coms"
	tests := map[string]string{
		"empty":                    "",
		"blank":                    "   \t ",
		"255 bytes":                tooLong,
		"missing @":                "alice.example.com",
		"missing local part":       "@example.com",
		"missing domain":           "alice@",
		"two @":                    "a@b@example.com",
		"domain without a dot":     "alice@example",
		"display name":             "A <a@b.c>",
		"angle address only":       "<a@b.c>",
		"quoted display name":      `"Alice" <alice@example.com>`,
		"comment after":            "alice@example.com (Alice)",
		"comment in local part":    "alice(x)@example.com",
		"quoted local part":        `"alice"@example.com`,
		"quoted local with space":  `"a b"@example.com`,
		"inner space":              "al ice@example.com",
		"space before @":           "alice @example.com",
		"two addresses":            "a@b.c, d@e.f",
		"semicolon":                "a@b.c;",
		"backslash":                `a\b@example.com`,
		"NUL inside":               "alice\x00@example.com",
		"NUL at the end":           "alice@example.com\x00",
		"tab inside":               "ali\tce@example.com",
		"newline inside":           "alice@exa\nmple.com",
		"header injection":         "alice@example.com\r\nBcc: x@y.z",
		"DEL":                      "alice\x7f@example.com",
		"C1 control":               "alice\u0085@example.com",
		"line separator":           "alice\u2028@example.com",
		"invalid UTF-8":            "ali\xffce@example.com",
		"replacement char":         "ali\ufffdce@example.com",
		"zero-width space":         "ad\u200bmin@example.com",
		"right-to-left override":   "alice\u202e@example.com",
		"byte order mark":          "\ufeffalice@example.com",
		"consecutive dots":         "a..b@example.com",
		"trailing dot in domain":   "alice@example.com.",
		"leading dot in local":     ".alice@example.com",
		"group syntax":             "group: a@b.c;",
		"mailto URI":               "mailto:alice@example.com",
		"IDN space in domain":      "alice@exa mple.com",
		"unicode space inside":     "alice\u00a0x@example.com",
		"only an @":                "@",
		"domain literal with tab":  "a@[1.2.3.4\t]",
		"display name, no spaces":  "A<a@b.c>",
		"encoded word":             "=?utf-8?q?a?= <a@b.c>",
		"trailing comment, no gap": "alice@example.com(x)",
		"domain literal":           "alice@[192.0.2.1]",
		"IPv6 domain literal":      "alice@[IPv6:2001:db8::1]",
		"SQL in the domain":        "alice@example.com'--",
		"label starts with hyphen": "alice@-example.com",
		"label ends with hyphen":   "alice@example-.com",
		"underscore in domain":     "alice@ex_ample.com",
		"empty label":              "alice@example..com",
		"colon":                    "alice:x@example.com",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			e, err := domain.NewEmail(in)
			var v *domain.ValidationError
			if !errors.As(err, &v) || v.Field != "email" {
				t.Fatalf("NewEmail(%q) = (%q, %v), want a validation error on email", in, e.String(), err)
			}
		})
	}
}

func TestEmailZero(t *testing.T) {
	var e domain.Email
	if !e.IsZero() || e.String() != "" {
		t.Fatalf("zero Email: IsZero %v, String %q", e.IsZero(), e.String())
	}
}

package domain

import (
	"net/mail"
	"strings"
	"unicode"
)

// MaxEmailBytes is the longest address accepted (RFC 5321 path limit).
const MaxEmailBytes = 254

// Email is a normalised plain local@domain address.
type Email struct{ value string }

// NewEmail trims and lower-cases raw and checks that it is a plain address:
// no display name, no comments, no control characters, at most
// MaxEmailBytes bytes. It does no Unicode normalisation (NFC, IDNA), which
// needs tables beyond the standard library: input from outside goes through
// ports.EmailNormaliser, which does both and then calls NewEmail.
func NewEmail(raw string) (Email, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case s == "":
		return Email{}, NewValidationError("email", "is required")
	case len(s) > MaxEmailBytes:
		return Email{}, NewValidationError("email", "must be at most 254 bytes")
	case strings.IndexFunc(s, isForbiddenEmailRune) >= 0:
		return Email{}, NewValidationError("email", "must be a plain address")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return Email{}, NewValidationError("email", "must be a plain address like name@example.com")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !isHostName(s[at+1:]) || !strings.Contains(s[at+1:], ".") && s[at+1:] != "localhost" {
		return Email{}, NewValidationError("email", "must be a plain address like name@example.com")
	}
	return Email{value: s}, nil
}

// isHostName reports whether domain is a host name: dot-separated labels of
// letters (internationalised names included), digits, inner hyphens and
// combining marks after a label's first character (Indic scripts need them).
// RFC 5322 would also take atoms like "example.com'--", which no mail
// server answers for.
func isHostName(domain string) bool {
	for _, label := range strings.Split(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i, r := range label {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && (i == 0 || !unicode.IsMark(r)) {
				return false
			}
		}
	}
	return true
}

// isForbiddenEmailRune refuses what a plain address never needs: control
// and white space, invisible format characters (zero-width space, bidi
// overrides, BOM: they make lookalike accounts), invalid UTF-8 (U+FFFD after
// lower-casing), and the syntax of display names, comments, quoted local
// parts and domain literals.
func isForbiddenEmailRune(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar ||
		strings.ContainsRune(`<>"(),;:\[]`, r)
}

// String returns the normalised address.
func (e Email) String() string { return e.value }

// IsZero reports whether e was never set.
func (e Email) IsZero() bool { return e.value == "" }

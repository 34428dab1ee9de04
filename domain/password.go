package domain

import (
	"strings"
	"unicode/utf8"
)

// Password limits: MinPasswordChars counts characters, MaxPasswordBytes
// counts bytes because bcrypt silently ignores everything past 72 bytes.
const (
	MinPasswordChars = 8
	MaxPasswordBytes = 72
)

// ValidatePassword applies the password rules to a new password.
func ValidatePassword(plain string) error {
	if plain == "" {
		return NewValidationError("password", "is required")
	}
	if !utf8.ValidString(plain) {
		return NewValidationError("password", "must be valid UTF-8")
	}
	if HasReplacementChar(plain) {
		return NewValidationError("password", "must not contain U+FFFD (what an unpaired surrogate escape or an invalid byte decodes to)")
	}
	if len(plain) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}
	if utf8.RuneCountInString(plain) < MinPasswordChars {
		return ErrPasswordTooShort
	}
	return nil
}

// PasswordFitsHash reports whether a login attempt's password may be
// compared with a stored hash: longer ones are refused so P and P+"x" never
// both work, and ones with U+FFFD because distinct inputs (every unpaired
// surrogate, every invalid byte) decode to that one character.
func PasswordFitsHash(plain string) bool {
	return plain != "" && len(plain) <= MaxPasswordBytes && !HasReplacementChar(plain)
}

// HasReplacementChar reports whether plain contains U+FFFD, the character
// a JSON decoder puts in place of an unpaired surrogate or invalid UTF-8.
func HasReplacementChar(plain string) bool {
	return strings.ContainsRune(plain, utf8.RuneError)
}

package domain

import "unicode/utf8"

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
	if len(plain) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}
	if utf8.RuneCountInString(plain) < MinPasswordChars {
		return ErrPasswordTooShort
	}
	return nil
}

// PasswordFitsHash reports whether a login attempt's password could ever
// match a stored hash: longer ones are refused so P and P+"x" never both work.
func PasswordFitsHash(plain string) bool {
	return plain != "" && len(plain) <= MaxPasswordBytes
}

package domain_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/authd-dev/authd/domain"
)

func TestValidatePasswordRules(t *testing.T) {
	errValidation := errors.New("a *ValidationError")
	tests := []struct {
		name  string
		plain string
		want  error
	}{
		{"empty", "", errValidation},
		{"7 ASCII characters", "abcdefg", domain.ErrPasswordTooShort},
		{"8 ASCII characters", "abcdefgh", nil},
		{"7 three-byte runes (21 bytes) are 7 characters", strings.Repeat("€", 7), domain.ErrPasswordTooShort},
		{"8 three-byte runes pass", strings.Repeat("€", 8), nil},
		{"8 four-byte runes pass", strings.Repeat("🔑", 8), nil},
		{"7 runes plus a combining mark count as 8", "abcdefe\u0301", nil},
		{"72 bytes", strings.Repeat("a", 72), nil},
		{"73 bytes", strings.Repeat("a", 73), domain.ErrPasswordTooLong},
		{"72 bytes of three-byte runes", strings.Repeat("€", 24), nil},
		{"73 bytes, 25 runes", strings.Repeat("€", 24) + "a", domain.ErrPasswordTooLong},
		{"18 four-byte runes are 72 bytes", strings.Repeat("🔑", 18), nil},
		{"19 four-byte runes are 76 bytes", strings.Repeat("🔑", 19), domain.ErrPasswordTooLong},
		{"invalid UTF-8", "abcdefgh\xc3", errValidation},
		{"U+FFFD, what a lone surrogate decodes to", "abcdefgh\ufffd", errValidation},
		{"NUL bytes are characters", "abc\x00defgh", nil},
		{"eight spaces", "        ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidatePassword(tt.plain)
			switch tt.want {
			case nil:
				if err != nil {
					t.Fatalf("ValidatePassword = %v, want nil", err)
				}
			case errValidation:
				var v *domain.ValidationError
				if !errors.As(err, &v) || v.Field != "password" {
					t.Fatalf("ValidatePassword = %v, want a validation error on password", err)
				}
			default:
				if !errors.Is(err, tt.want) {
					t.Fatalf("ValidatePassword = %v, want %v", err, tt.want)
				}
			}
		})
	}
}

func TestPasswordFitsHashRules(t *testing.T) {
	tests := []struct {
		plain string
		want  bool
	}{
		{"", false},
		{"a", true}, // short passwords can still be compared: the length rule is for new ones
		{strings.Repeat("a", 72), true},
		{strings.Repeat("a", 73), false},
		{strings.Repeat("€", 24), true},
		{strings.Repeat("€", 24) + "a", false},
		{"correct horse\ufffd", false},
	}
	for _, tt := range tests {
		if got := domain.PasswordFitsHash(tt.plain); got != tt.want {
			t.Errorf("PasswordFitsHash(%d bytes) = %v, want %v", len(tt.plain), got, tt.want)
		}
	}
}

func TestNewRole(t *testing.T) {
	valid := []string{"user", "admin", "a", "editor", "billing", "read_only", "ops-team", "r2d2", "a" + strings.Repeat("z", 31)}
	for _, s := range valid {
		r, err := domain.NewRole(s)
		if err != nil || r.String() != s {
			t.Errorf("NewRole(%q) = (%q, %v), want it accepted", s, r, err)
		}
	}
	invalid := []string{"", "Admin", "ADMIN", "1user", "_user", "-user", "a" + strings.Repeat("z", 32),
		"us er", "user\n", "usér", "user.name", "user/x", " user"}
	for _, s := range invalid {
		_, err := domain.NewRole(s)
		var v *domain.ValidationError
		if !errors.As(err, &v) || v.Field != "role" {
			t.Errorf("NewRole(%q) = %v, want a validation error on role", s, err)
		}
	}
}

func TestRoleSatisfies(t *testing.T) {
	tests := []struct {
		name     string
		role     domain.Role
		required []domain.Role
		want     bool
	}{
		{"no requirement, user", domain.RoleUser, nil, true},
		{"no requirement, empty role", "", nil, true},
		{"exact match", "editor", []domain.Role{"editor"}, true},
		{"one of several", "billing", []domain.Role{"editor", "billing"}, true},
		{"not listed", domain.RoleUser, []domain.Role{"editor", "billing"}, false},
		{"user does not satisfy admin", domain.RoleUser, []domain.Role{domain.RoleAdmin}, false},
		{"admin satisfies admin", domain.RoleAdmin, []domain.Role{domain.RoleAdmin}, true},
		{"admin satisfies any role", domain.RoleAdmin, []domain.Role{"editor"}, true},
		{"admin satisfies an unknown role", domain.RoleAdmin, []domain.Role{"nobody-has-this"}, true},
		{"editor does not satisfy admin", "editor", []domain.Role{domain.RoleAdmin}, false},
		{"comparison is exact", "Editor", []domain.Role{"editor"}, false},
		{"empty role against a requirement", "", []domain.Role{"editor"}, false},
		{"prefix is not a match", "edit", []domain.Role{"editor"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.role.Satisfies(tt.required...); got != tt.want {
				t.Fatalf("%q.Satisfies(%q) = %v, want %v", tt.role, tt.required, got, tt.want)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	id, err := domain.NewID(bytes.NewReader(bytes.Repeat([]byte{0xff}, 16)))
	if err != nil {
		t.Fatal(err)
	}
	// Version nibble 4 and variant bits 10 are forced, whatever the random bytes.
	if want := "ffffffff-ffff-4fff-bfff-ffffffffffff"; id != want {
		t.Fatalf("NewID(all ones) = %q, want %q", id, want)
	}
	id, err = domain.NewID(bytes.NewReader(make([]byte, 16)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "00000000-0000-4000-8000-000000000000"; id != want {
		t.Fatalf("NewID(all zeros) = %q, want %q", id, want)
	}
	if _, err := domain.ParseID(id); err != nil {
		t.Fatalf("NewID output does not parse: %v", err)
	}
	if _, err := domain.NewID(bytes.NewReader(make([]byte, 15))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("NewID(short reader) = %v, want io.ErrUnexpectedEOF wrapped", err)
	}
	if _, err := domain.NewID(bytes.NewReader(nil)); err == nil {
		t.Fatal("NewID(empty reader) = nil error")
	}
}

func TestFormatParseID(t *testing.T) {
	b := [16]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}
	s := domain.FormatID(b)
	if want := "01234567-89ab-cdef-fedc-ba9876543210"; s != want {
		t.Fatalf("FormatID = %q, want %q", s, want)
	}
	got, err := domain.ParseID(s)
	if err != nil || got != b {
		t.Fatalf("ParseID(%q) = (%x, %v), want %x", s, got, err, b)
	}
	if domain.FormatID(got) != s {
		t.Fatal("FormatID(ParseID(s)) != s")
	}
}

func TestParseIDRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"empty":             "",
		"upper case":        "01234567-89AB-CDEF-FEDC-BA9876543210",
		"one upper letter":  "01234567-89ab-cdef-fedc-ba987654321A",
		"no dashes":         "0123456789abcdeffedcba9876543210",
		"braces":            "{01234567-89ab-cdef-fedc-ba9876543210}",
		"urn":               "urn:uuid:01234567-89ab-cdef-fedc-ba9876543210",
		"dash misplaced":    "0123456-789ab-cdef-fedc-ba9876543210",
		"non-hex letter":    "01234567-89ab-cdef-fedc-ba987654321g",
		"one char short":    "01234567-89ab-cdef-fedc-ba987654321",
		"one char long":     "01234567-89ab-cdef-fedc-ba98765432100",
		"spaces for dashes": "01234567 89ab cdef fedc ba9876543210",
		"sign in hex":       "+1234567-89ab-cdef-fedc-ba9876543210",
		"multi-byte":        "0123456é-89ab-cdef-fedc-ba987654321",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := domain.ParseID(in)
			var v *domain.ValidationError
			if !errors.As(err, &v) || v.Field != "id" {
				t.Fatalf("ParseID(%q) = %v, want a validation error on id", in, err)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	if got := domain.NewValidationError("email", "is required").Error(); got != "email: is required" {
		t.Errorf("ValidationError = %q", got)
	}
	e := &domain.RateLimitedError{RetryAfter: 90_000_000_000}
	if got := e.Error(); !strings.Contains(got, "1m30s") {
		t.Errorf("RateLimitedError = %q, want the wait in it", got)
	}
}

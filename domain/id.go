package domain

import (
	"encoding/hex"
	"fmt"
	"io"
)

// NewID returns a random RFC 9562 version-4 UUID read from rnd
// (crypto/rand.Reader in production).
func NewID(rnd io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", fmt.Errorf("read random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return FormatID(b), nil
}

// FormatID renders 16 bytes in the canonical 8-4-4-4-12 form.
func FormatID(b [16]byte) string {
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// ParseID parses the canonical lower-case 8-4-4-4-12 UUID form; anything
// else, upper-case hex included, is a *ValidationError for field "id".
func ParseID(s string) ([16]byte, error) {
	var b [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, NewValidationError("id", "must be a UUID")
	}
	compact := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	for i := 0; i < len(compact); i++ {
		if c := compact[i]; c >= 'A' && c <= 'F' {
			return b, NewValidationError("id", "must be a lower-case UUID")
		}
	}
	if _, err := hex.Decode(b[:], []byte(compact)); err != nil {
		return b, NewValidationError("id", "must be a UUID")
	}
	return b, nil
}

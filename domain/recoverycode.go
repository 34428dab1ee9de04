package domain

import (
	"fmt"
	"io"
	"strings"
)

// Recovery codes stand in for the authenticator app when it is lost: each
// works once. A code is 16 symbols of Crockford's base32 (80 random bits),
// shown as four groups of four; storage keeps only keyed digests.
const (
	RecoveryCodeCount = 10
	recoveryBytes     = 10
	recoverySymbols   = 16
	crockford         = "0123456789abcdefghjkmnpqrstvwxyz"
)

// NewRecoveryCodes draws RecoveryCodeCount codes from rnd
// (crypto/rand.Reader in production), in their display form.
func NewRecoveryCodes(rnd io.Reader) ([]string, error) {
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		var b [recoveryBytes]byte
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return nil, fmt.Errorf("read random recovery code: %w", err)
		}
		out[i] = displayRecoveryCode(encodeCrockford(b))
	}
	return out, nil
}

// NormaliseRecoveryCode returns the canonical form of a typed recovery
// code (lower case, without separators, with i, l and o read as 1, 1 and
// 0 as Crockford's base32 does), or false when it cannot be one.
func NormaliseRecoveryCode(raw string) (string, bool) {
	if len(raw) > 4*recoverySymbols {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToLower(raw) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'i' || r == 'l':
			r = '1'
		case r == 'o':
			r = '0'
		}
		if r > 0x7f || !strings.ContainsRune(crockford, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != recoverySymbols {
		return "", false
	}
	return b.String(), true
}

// IsTOTPCode reports whether code has the form of a TOTP code: exactly
// TOTPDigits ASCII digits.
func IsTOTPCode(code string) bool {
	if len(code) != TOTPDigits {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// encodeCrockford writes 80 bits as 16 five-bit symbols, most significant first.
func encodeCrockford(b [recoveryBytes]byte) string {
	var out [recoverySymbols]byte
	var acc uint64
	bits, n := 0, 0
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[n] = crockford[(acc>>uint(bits))&0x1f]
			n++
		}
	}
	return string(out[:])
}

func displayRecoveryCode(canonical string) string {
	return canonical[0:4] + "-" + canonical[4:8] + "-" + canonical[8:12] + "-" + canonical[12:16]
}

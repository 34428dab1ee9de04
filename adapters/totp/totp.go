package totp

import (
	"errors"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	pqtotp "github.com/pquerna/otp/totp"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// secretBytes is the size of a new secret: 160 bits, the HMAC-SHA-1 block
// RFC 4226 §4 recommends.
const secretBytes = 20

// Issuer names the service in authenticator apps (the otpauth issuer).
type Issuer string

// TOTP makes and checks codes.
type TOTP struct {
	issuer string
	opts   hotp.ValidateOpts
}

var _ ports.OTP = (*TOTP)(nil)

// New returns the TOTP adapter for issuer, which must not be empty.
func New(issuer Issuer) (*TOTP, error) {
	if issuer == "" {
		return nil, errors.New("totp: the issuer is empty")
	}
	return &TOTP{issuer: string(issuer), opts: hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}}, nil
}

// NewKey draws a new random secret for account and renders its URL.
func (t *TOTP) NewKey(account string) (ports.TOTPKey, error) {
	if account == "" {
		return ports.TOTPKey{}, errors.New("totp: the account name is empty")
	}
	k, err := pqtotp.Generate(pqtotp.GenerateOpts{
		Issuer: t.issuer, AccountName: account, SecretSize: secretBytes,
		Period: uint(domain.TOTPPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return ports.TOTPKey{}, fmt.Errorf("totp: generate key: %w", err)
	}
	return ports.TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

// Match returns the first of steps whose code equals code. The library
// compares in constant time and refuses codes of the wrong length.
func (t *TOTP) Match(secret, code string, steps []uint64) (uint64, bool) {
	if !domain.IsTOTPCode(code) {
		return 0, false
	}
	for _, step := range steps {
		ok, err := hotp.ValidateCustom(code, step, secret, t.opts)
		if err != nil {
			return 0, false // a secret that is not base32: nothing can match
		}
		if ok {
			return step, true
		}
	}
	return 0, false
}

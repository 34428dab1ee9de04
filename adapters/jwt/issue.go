package jwt

import (
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/authd-dev/authd/domain"
)

// Issue signs c with the key whose activation is the latest not after the
// clock's now (see keyRing.signerAt); the header segment is precomputed.
// c.Extra travels beside the registered claims; an extra claim named like
// a registered one, or one that does not encode as JSON, is an error.
func (t *Tokens) Issue(c domain.AccessClaims) (string, error) {
	if c.Subject == "" || c.IssuedAt.IsZero() || c.ExpiresAt.IsZero() {
		return "", errors.New("jwt: claims need a subject, an issue time and an expiry")
	}
	cl := claims{Issuer: t.issuer, Audience: audience{t.audience}, Subject: c.Subject, Role: string(c.Role),
		SessionID: c.SessionID, ID: c.ID, IssuedAt: dateOf(c.IssuedAt), ExpiresAt: dateOf(c.ExpiresAt), AMR: c.AMR,
		Extra: c.Extra}
	payload, err := cl.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("jwt: claims: %w", err)
	}
	s, _ := t.ring.Load().signerAt(t.clock.Now())
	enc := base64.RawURLEncoding
	buf := make([]byte, 0, len(s.header)+enc.EncodedLen(len(payload))+1+sigLen)
	buf = append(buf, s.header...)
	buf = enc.AppendEncode(buf, payload)
	sig, err := t.method.Sign(string(buf), s.key)
	if err != nil {
		return "", fmt.Errorf("jwt: signing: %w", err)
	}
	if t.alg == ES256 {
		lowS(sig)
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}

// sigLen is room for the longest encoded signature we make (RSA-4096).
const sigLen = 683

var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// lowS rewrites an ES256 signature r || s in place to (r, n-s) when s is in
// the upper half: both verify, and verifiers that insist on one signature
// per token (authd's jwtverify) accept only the lower one.
func lowS(sig []byte) {
	if len(sig) != 64 {
		return
	}
	s := new(big.Int).SetBytes(sig[32:])
	if s.Cmp(p256HalfOrder) > 0 {
		s.Sub(elliptic.P256().Params().N, s).FillBytes(sig[32:])
	}
}

// SigningKID is the kid of the key that signs at the clock's now: what
// Issue would put in a token's header. It never names a secret (an HS256
// kid is a one-way fingerprint).
func (t *Tokens) SigningKID() string {
	s, _ := t.ring.Load().signerAt(t.clock.Now())
	return s.kid
}

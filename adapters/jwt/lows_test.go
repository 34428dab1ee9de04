package jwt

import (
	"crypto/elliptic"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"
)

// TestES256SignaturesAreLowS: ECDSA signing is randomised, so half the raw
// signatures have s > n/2; every issued token must carry the low one, and
// still verify.
func TestES256SignaturesAreLowS(t *testing.T) {
	f := newFixture(t, ES256)
	half := new(big.Int).Rsh(elliptic.P256().Params().N, 1)
	for i := range 64 {
		token, err := f.tok.Issue(sampleClaims())
		if err != nil {
			t.Fatal(err)
		}
		sig, err := base64.RawURLEncoding.DecodeString(token[strings.LastIndexByte(token, '.')+1:])
		if err != nil || len(sig) != 64 {
			t.Fatalf("signature: %v", err)
		}
		if new(big.Int).SetBytes(sig[32:]).Cmp(half) > 0 {
			t.Fatalf("token %d has a high-S signature", i)
		}
		if _, err := f.tok.Verify(token, t0.Add(time.Minute)); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
}

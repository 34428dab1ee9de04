package jwt

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// The example keys and thumbprints of RFC 7638 §3.1 (RSA) and RFC 8037
// Appendix A.3 (Ed25519).
func TestThumbprintRFCExamples(t *testing.T) {
	dec := base64.RawURLEncoding
	n, err := dec.DecodeString("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
	if err != nil {
		t.Fatal(err)
	}
	x, err := dec.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		key  crypto.PublicKey
		want string
	}{
		"RFC 7638 RSA":     {&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"},
		"RFC 8037 Ed25519": {ed25519.PublicKey(x), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
	} {
		if got, err := Thumbprint(tc.key); err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, tc.want)
		}
	}
}

// Every supported key type agrees with go-jose's independent implementation,
// and distinct keys get distinct thumbprints.
func TestThumbprintMatchesGoJose(t *testing.T) {
	seen := map[string]bool{}
	for _, alg := range []string{EdDSA, ES256, RS256, EdDSA, ES256} {
		pub := newKey(t, alg).Public()
		got, err := Thumbprint(pub)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if want := base64.RawURLEncoding.EncodeToString(raw); got != want {
			t.Fatalf("%s: got %s, go-jose %s", alg, got, want)
		}
		if seen[got] {
			t.Fatalf("%s: thumbprint %s seen twice", alg, got)
		}
		seen[got] = true
	}
	if _, err := Thumbprint([]byte("secret")); err == nil {
		t.Fatal("a secret has no thumbprint")
	}
}

package httpapi

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authd-dev/authd/ports"
)

func TestJWKSDocumentEmpty(t *testing.T) {
	doc, err := JWKSDocument(nil)
	if err != nil || string(doc) != `{"keys":[]}` {
		t.Fatalf("got %s, %v", doc, err)
	}
}

func TestJWKSDocumentKeys(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	ec := ecKeyWithShortX(t)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	keys := []ports.VerificationKey{
		{ID: "ed", Algorithm: "EdDSA", Key: edPub},
		{ID: "ec", Algorithm: "ES256", Key: &ec.PublicKey},
		{ID: "rsa", Algorithm: "RS256", Key: &rk.PublicKey},
	}
	doc, err := JWKSDocument(keys)
	if err != nil {
		t.Fatal(err)
	}

	var raw struct{ Keys []map[string]string }
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"kty": "OKP", "crv": "Ed25519", "x": ""},
		{"kty": "EC", "crv": "P-256", "x": "", "y": ""},
		{"kty": "RSA", "n": "", "e": "AQAB"},
	}
	for i, w := range want {
		got := raw.Keys[i]
		if len(got) != len(w)+3 || got["kid"] != keys[i].ID || got["alg"] != keys[i].Algorithm || got["use"] != "sig" {
			t.Fatalf("key %d: %v", i, got)
		}
		for k, v := range w {
			if _, ok := got[k]; !ok || (v != "" && got[k] != v) {
				t.Fatalf("key %d: %s = %q, want %q", i, k, got[k], v)
			}
		}
	}
	if len(raw.Keys[1]["x"]) != 43 || len(raw.Keys[1]["y"]) != 43 {
		t.Fatal("EC coordinates must be padded to 32 bytes")
	}

	// An independent JOSE library reads back the very same public keys.
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		got := set.Key(k.ID)
		if len(got) != 1 || !got[0].Valid() || !got[0].IsPublic() {
			t.Fatalf("go-jose: %s missing or invalid", k.ID)
		}
		if !got[0].Key.(interface{ Equal(crypto.PublicKey) bool }).Equal(keys[i].Key) {
			t.Fatalf("go-jose: %s differs from the original", k.ID)
		}
	}
}

func TestJWKSDocumentRefusesPrivateKeys(t *testing.T) {
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	_, err := JWKSDocument([]ports.VerificationKey{{ID: "oops", Algorithm: "EdDSA", Key: edPriv}})
	if err == nil || !strings.Contains(err.Error(), "oops") {
		t.Fatalf("got %v", err)
	}
}

// ecKeyWithShortX finds a P-256 key whose X has a leading zero byte, where a
// naive big.Int encoding would be one byte short (about 1 in 256 keys).
func ecKeyWithShortX(t *testing.T) *ecdsa.PrivateKey {
	for range 10000 {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if point, _ := k.PublicKey.Bytes(); point[1] == 0 {
			return k
		}
	}
	t.Fatal("no key with a short X coordinate")
	return nil
}

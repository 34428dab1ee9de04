package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/authd-dev/authd/domain"
)

var (
	t0      = time.Date(2026, 11, 26, 22, 15, 0, 0, time.UTC)
	secretA = []byte("0123456789abcdef0123456789abcdef-current")
	secretB = []byte("fedcba9876543210fedcba9876543210-previous")
)

const testSkew = 30 * time.Second

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func newKey(t testing.TB, alg string) crypto.Signer {
	t.Helper()
	var k crypto.Signer
	var err error
	switch alg {
	case EdDSA:
		_, k, err = ed25519.GenerateKey(rand.Reader)
	case ES256:
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RS256:
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		t.Fatalf("no key for %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writeKey(t testing.TB, dir, kid string, key crypto.Signer) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.WriteFile(filepath.Join(dir, kid+".pem"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func config(alg, dir string) Config {
	return Config{Alg: alg, Secret: secretA, KeyDir: dir, Issuer: "authd", Audience: "authd-api", Skew: testSkew}
}

// fixture is a Tokens plus what an attacker-or-test needs to forge tokens.
type fixture struct {
	alg  string
	tok  *Tokens
	kid  string
	key  any // signing key for forge: secret or private key
	pub  crypto.PublicKey
	dir  string
	priv crypto.Signer
}

func newFixture(t testing.TB, alg string) fixture {
	t.Helper()
	f := fixture{alg: alg, dir: t.TempDir()}
	if alg == HS256 {
		f.key, f.kid = secretA, hmacKID(secretA)
	} else {
		f.priv = newKey(t, alg)
		f.key, f.pub, f.kid = f.priv, f.priv.Public(), thumbprintOf(t, f.priv)
		writeKey(t, f.dir, "k1", f.priv)
	}
	tok, err := New(config(alg, f.dir), fixedClock(t0))
	if err != nil {
		t.Fatal(err)
	}
	f.tok = tok
	return f
}

func thumbprintOf(t testing.TB, key crypto.Signer) string {
	t.Helper()
	kid, err := Thumbprint(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return kid
}

func sampleClaims() domain.AccessClaims {
	return domain.AccessClaims{
		Subject: "user-1", Role: domain.RoleUser, SessionID: "sess-1", ID: "jti-1",
		IssuedAt: t0, ExpiresAt: t0.Add(15 * time.Minute), AMR: []string{"pwd", "otp", "mfa"},
	}
}

// goodClaims is what Issue would write for sampleClaims, as a map to tamper with.
func goodClaims() gojwt.MapClaims {
	return gojwt.MapClaims{
		"iss": "authd", "aud": "authd-api", "sub": "user-1", "role": "user",
		"sid": "sess-1", "jti": "jti-1", "amr": []string{"pwd", "otp", "mfa"}, "iat": t0.Unix(), "exp": t0.Add(15 * time.Minute).Unix(),
	}
}

// forge signs claims with method and key under a header derived from the
// fixture's, after applying edit (nil values delete a header field).
func (f fixture) forge(t testing.TB, method gojwt.SigningMethod, key any, cl gojwt.MapClaims, edit map[string]any) string {
	t.Helper()
	tok := gojwt.NewWithClaims(method, cl)
	tok.Header["typ"] = "at+jwt"
	tok.Header["kid"] = f.kid
	for k, v := range edit {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f fixture) method() gojwt.SigningMethod { return gojwt.GetSigningMethod(f.alg) }

func newTokens(t testing.TB, cfg Config) *Tokens { return newTokensAt(t, cfg, t0) }

func newTokensAt(t testing.TB, cfg Config, now time.Time) *Tokens {
	t.Helper()
	tok, err := New(cfg, fixedClock(now))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func headerOf(t testing.TB, token string) map[string]any {
	t.Helper()
	tok, _, err := gojwt.NewParser().ParseUnverified(token, gojwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Header
}

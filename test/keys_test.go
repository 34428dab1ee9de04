package test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/test/backends"
)

// Per asymmetric algorithm, end to end: tokens verify through the published
// JWKS with an independent library; a new key file plus a restart of the
// injector signs with the new kid while old tokens still verify; removing
// the old file retires its tokens.
func TestAsymmetricSigningRotationAndRetirement(t *testing.T) {
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			oldKey, err := authd.GenerateSigningKey(dir, alg, t0)
			if err != nil {
				t.Fatal(err)
			}
			target := backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"})
			vars := map[string]string{"AUTHD_JWT_ALG": alg, "AUTHD_JWT_KEY_DIR": dir}
			first := newEnvOn(t, target, vars)
			a := first.register(t, "keys@example.com")
			oldKid := verifyThroughJWKS(t, first, a.Access, alg)

			if _, err := authd.GenerateSigningKey(dir, alg, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			second := newEnvOn(t, target, vars) // a restart: same database, one more key
			second.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
			b := second.login(t, a)
			if newKid := verifyThroughJWKS(t, second, b.Access, alg); newKid == oldKid {
				t.Fatalf("after rotation tokens still carry kid %s", oldKid)
			}

			if err := os.Remove(oldKey); err != nil {
				t.Fatal(err)
			}
			third := newEnvOn(t, target, vars) // the old key retired
			third.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
			third.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: b.Access}).expect(t, http.StatusOK, "")
			refuseAlgorithmConfusion(t, third, b)
		})
	}
}

// verifyThroughJWKS checks token against the served key set with go-jose
// and returns its kid.
func verifyThroughJWKS(t *testing.T, e *env, token, alg string) string {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/.well-known/jwks.json"}).expect(t, http.StatusOK, "")
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(r.Body, &set); err != nil {
		t.Fatalf("JWKS: %v: %s", err, r.Body)
	}
	for _, k := range set.Keys {
		if !k.IsPublic() || k.Use != "sig" || k.Algorithm != alg {
			t.Fatalf("published key %s: public=%v use=%q alg=%q", k.KeyID, k.IsPublic(), k.Use, k.Algorithm)
		}
	}
	parsed, err := josejwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		t.Fatal(err)
	}
	kid := parsed.Headers[0].KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("kid %q not published in %s", kid, r.Body)
	}
	var claims josejwt.Claims
	if err := parsed.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("go-jose refused authd's token: %v", err)
	}
	if err := claims.ValidateWithLeeway(josejwt.Expected{Issuer: "authd", AnyAudience: []string{"authd"}, Time: e.clock.Now()}, 0); err != nil {
		t.Fatal(err)
	}
	return kid
}

// refuseAlgorithmConfusion signs an HS256 token keyed with the published
// public key (as its JWK JSON and as its raw bytes): it must be refused.
func refuseAlgorithmConfusion(t *testing.T, e *env, a account) {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/.well-known/jwks.json"}).expect(t, http.StatusOK, "")
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(r.Body, &set); err != nil {
		t.Fatal(err)
	}
	kid := set.Keys[0].KeyID
	raw, _ := set.Keys[0].MarshalJSON()
	now := e.clock.Now()
	claims := gojwt.MapClaims{"iss": "authd", "aud": "authd", "sub": a.ID, "role": "admin", "sid": "x",
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "y"}
	for _, secret := range [][]byte{raw, []byte(strings.TrimSpace(string(r.Body)))} {
		tok := gojwt.NewWithClaims(gojwt.SigningMethodHS256, claims)
		tok.Header["kid"], tok.Header["typ"] = kid, "at+jwt"
		signed, err := tok.SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: signed}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
	}
}

// HS256 rotation: the old secret moves to AUTHD_JWT_PREVIOUS_SECRETS, its
// tokens keep verifying, new ones are signed with the new secret's kid.
func TestHS256SecretRotation(t *testing.T) {
	target := backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"})
	first := newEnvOn(t, target, nil)
	a := first.register(t, "hs@example.com")
	oldSecret := testEnv("")["AUTHD_JWT_SECRET"]
	rotated := map[string]string{
		"AUTHD_JWT_SECRET":           "a-brand-new-jwt-secret-0123456789abcdefghij",
		"AUTHD_JWT_PREVIOUS_SECRETS": oldSecret,
	}
	second := newEnvOn(t, target, rotated)
	second.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
	b := second.login(t, a)
	if kidOf(t, a.Access) == kidOf(t, b.Access) || strings.Contains(b.Access, oldSecret) {
		t.Fatal("new tokens still carry the retired secret's kid")
	}
	delete(rotated, "AUTHD_JWT_PREVIOUS_SECRETS")
	third := newEnvOn(t, target, rotated)
	third.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusUnauthorized, "TOKEN_INVALID")
}

func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := gojwt.NewParser().ParseUnverified(token, gojwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

// With the embedded default and no key folder, one key is generated under
// the data folder, readable by its owner only.
func TestEmbeddedDefaultGeneratesASigningKey(t *testing.T) {
	dataDir := t.TempDir()
	e := newEnv(t, map[string]string{"AUTHD_JWT_ALG": "EdDSA", "AUTHD_DATA_DIR": dataDir})
	a := e.register(t, "gen@example.com")
	verifyThroughJWKS(t, e, a.Access, "EdDSA")
	files, err := filepath.Glob(filepath.Join(dataDir, "keys", "*.pem"))
	if err != nil || len(files) != 1 {
		t.Fatalf("generated keys %v (%v), want one under %s/keys", files, err, dataDir)
	}
	info, err := os.Stat(files[0])
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
}

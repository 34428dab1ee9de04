package jwt

import (
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	gojwt "github.com/golang-jwt/jwt/v5"
)

// The contract promises that any standard JWT library verifies authd's
// tokens with the secret (HS256) or the JWKS (asymmetric). These tests use
// libraries and code paths independent of Tokens.Verify.

func TestInteropHS256WithPlainGolangJWT(t *testing.T) {
	f := newFixture(t, HS256)
	token, _ := f.tok.Issue(sampleClaims())
	got, err := gojwt.Parse(token, func(*gojwt.Token) (any, error) { return secretA, nil },
		gojwt.WithValidMethods([]string{"HS256"}), gojwt.WithIssuer("authd"),
		gojwt.WithAudience("authd-api"), gojwt.WithTimeFunc(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	if sub, _ := got.Claims.GetSubject(); sub != "user-1" {
		t.Fatalf("sub %q", sub)
	}
}

func TestInteropHS256WithGoJose(t *testing.T) {
	f := newFixture(t, HS256)
	token, _ := f.tok.Issue(sampleClaims())
	verifyWithGoJose(t, token, jose.HS256, secretA)
}

func TestInteropJWKSWithGoJose(t *testing.T) {
	for _, alg := range algs[1:] {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			token, _ := f.tok.Issue(sampleClaims())

			// Publish the keys as a JWKS document and read it back, as a
			// relying party would.
			var set jose.JSONWebKeySet
			for _, k := range f.tok.VerificationKeys() {
				set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Key, KeyID: k.ID, Algorithm: k.Algorithm, Use: "sig"})
			}
			doc, err := json.Marshal(set)
			if err != nil {
				t.Fatal(err)
			}
			var fetched jose.JSONWebKeySet
			if err := json.Unmarshal(doc, &fetched); err != nil {
				t.Fatal(err)
			}
			keys := fetched.Key(f.kid)
			if len(keys) != 1 {
				t.Fatalf("kid %s not in %s", f.kid, doc)
			}
			verifyWithGoJose(t, token, jose.SignatureAlgorithm(alg), keys[0].Key)
		})
	}
}

func verifyWithGoJose(t *testing.T, token string, alg jose.SignatureAlgorithm, key any) {
	t.Helper()
	parsed, err := josejwt.ParseSigned(token, []jose.SignatureAlgorithm{alg})
	if err != nil {
		t.Fatal(err)
	}
	var std josejwt.Claims
	var custom map[string]any
	if err := parsed.Claims(key, &std, &custom); err != nil {
		t.Fatal(err)
	}
	exp := josejwt.Expected{Issuer: "authd", AnyAudience: []string{"authd-api"}, Time: t0.Add(time.Minute)}
	if err := std.ValidateWithLeeway(exp, 0); err != nil {
		t.Fatal(err)
	}
	if std.Subject != "user-1" || custom["role"] != "user" || custom["sid"] != "sess-1" {
		t.Fatalf("claims %+v %v", std, custom)
	}
	if typ := parsed.Headers[0].ExtraHeaders["typ"]; typ != "at+jwt" {
		t.Fatalf("typ %v", typ)
	}
}

package test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/httpapi/jwtverify"
)

// TestJWTVerifyAcceptsAuthdTokens: another service's verifier, fed by
// authd's real JWKS endpoint, accepts every access token authd issues, per
// algorithm. ES256 signatures are random, so several tokens are checked:
// the verifier accepts only low-S ones, and authd must never issue another.
func TestJWTVerifyAcceptsAuthdTokens(t *testing.T) {
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			if _, err := authd.GenerateSigningKey(dir, alg, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, map[string]string{"AUTHD_JWT_ALG": alg, "AUTHD_JWT_KEY_DIR": dir})
			cfg := jwtverify.Config{JWKSURL: e.srv.URL + "/.well-known/jwks.json", Issuer: "authd", Audience: "authd",
				InsecureLoopbackHTTP: true} // the test server is plain http on 127.0.0.1
			v, err := jwtverify.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			a := e.register(t, "verify@example.com")
			for i := range 24 {
				claims, err := v.Verify(context.Background(), a.Access)
				if err != nil {
					t.Fatalf("token %d: %v", i, err)
				}
				if claims.Subject != a.ID || claims.Role != "user" {
					t.Fatalf("claims %+v", claims)
				}
				a = e.login(t, a)
			}
		})
	}
}

package test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/test/backends"
)

// newEnvAtIssuer serves authd with AUTHD_ISSUER set to its own URL, as a
// deployment that publishes discovery metadata would.
func newEnvAtIssuer(t *testing.T, overrides map[string]string) *env {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	vars := map[string]string{"AUTHD_ISSUER": "http://" + srv.Listener.Addr().String()}
	for k, v := range overrides {
		vars[k] = v
	}
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	e := composeOn(t, srv, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), vars, clk)
	e.clock = clk
	return e
}

// A standard OIDC library configures itself from the issuer URL alone and
// verifies authd's access tokens (go-oidc checks the signature through the
// published JWKS, iss, aud and exp; it does not look at typ). After a key
// rotation through the folder it fetches the new key by itself.
func TestGoOIDCVerifiesAccessTokensFromTheIssuerURL(t *testing.T) {
	for _, alg := range []string{"EdDSA", "ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			if _, err := authd.GenerateSigningKey(dir, alg, time.Now().Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			e := newEnvAtIssuer(t, map[string]string{"AUTHD_JWT_ALG": alg, "AUTHD_JWT_KEY_DIR": dir})
			ctx := oidc.ClientContext(context.Background(), e.client) // responses checked against the spec
			provider, err := oidc.NewProvider(ctx, e.srv.URL)
			if err != nil {
				t.Fatalf("go-oidc refused the discovery document: %v", err)
			}
			verifier := provider.Verifier(&oidc.Config{ClientID: "authd", Now: e.clock.Now})
			a := e.register(t, "oidc@example.com")
			tok, err := verifier.Verify(ctx, a.Access)
			if err != nil {
				t.Fatalf("go-oidc refused an access token: %v", err)
			}
			if tok.Subject != a.ID || tok.Issuer != e.srv.URL {
				t.Fatalf("verified sub %q iss %q, want %q %q", tok.Subject, tok.Issuer, a.ID, e.srv.URL)
			}
			other := provider.Verifier(&oidc.Config{ClientID: "another-audience", Now: e.clock.Now})
			if _, err := other.Verify(ctx, a.Access); err == nil {
				t.Fatal("a token for audience authd passed a verifier for another audience")
			}
			cut := strings.LastIndexByte(a.Access, '.') + 5 // a character inside the signature
			flipped := map[bool]string{true: "B", false: "A"}[a.Access[cut] == 'A']
			if _, err := verifier.Verify(ctx, a.Access[:cut]+flipped+a.Access[cut+1:]); err == nil {
				t.Fatal("a token with a forged signature passed")
			}

			if _, err := authd.GenerateSigningKey(dir, alg, e.clock.Now().Add(10*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := e.app.ReloadKeys(); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(10 * time.Minute)
			b := e.login(t, a)
			if kidOf(t, b.Access) == kidOf(t, a.Access) {
				t.Fatal("the new key did not sign after its activation")
			}
			if _, err := verifier.Verify(ctx, b.Access); err != nil {
				t.Fatalf("go-oidc refused a token of the rotated key: %v", err)
			}
		})
	}
}

// The discovery document names the issuer, the JWKS under it and the
// signing algorithm.
func TestDiscoveryDocument(t *testing.T) {
	e := newEnvAtIssuer(t, map[string]string{"AUTHD_JWT_ALG": "EdDSA"})
	doc := e.do(req{Method: http.MethodGet, Path: "/.well-known/openid-configuration"}).expect(t, http.StatusOK, "").json(t)
	if doc["issuer"] != e.srv.URL || doc["jwks_uri"] != e.srv.URL+"/.well-known/jwks.json" {
		t.Fatalf("document %v", doc)
	}
	if algs, _ := doc["id_token_signing_alg_values_supported"].([]any); len(algs) != 1 || algs[0] != "EdDSA" {
		t.Fatalf("algorithms %v", doc["id_token_signing_alg_values_supported"])
	}
	plain := newEnv(t, nil) // AUTHD_ISSUER=authd, HS256
	doc = plain.do(req{Method: http.MethodGet, Path: "/.well-known/openid-configuration"}).expect(t, http.StatusOK, "").json(t)
	if doc["issuer"] != "authd" || doc["jwks_uri"] != nil {
		t.Fatalf("document %v", doc)
	}
}

package examples_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/httpapi/jwtverify"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// A tenant claim: every access token carries the tenant of the user's
// email domain, and another team's service reads it with jwtverify.
func ExampleWithClaims() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	keys := filepath.Join(dir, "keys")
	if _, err := authd.GenerateSigningKey(keys, "EdDSA", time.Now().Add(-time.Minute)); err != nil {
		log.Fatal(err)
	}
	cfg := config(dir, map[string]string{"AUTHD_JWT_ALG": "EdDSA", "AUTHD_JWT_KEY_DIR": keys})

	tenant := ports.ClaimsFunc(func(_ context.Context, u domain.User, _ domain.Session) (map[string]any, error) {
		_, host, _ := strings.Cut(u.Email().String(), "@")
		return map[string]any{"tenant": host}, nil
	})
	app, err := authd.Initialize(context.Background(), cfg, authd.WithClaims(tenant))
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(app.Router)
	defer srv.Close()

	// The other service: authd's JWKS, no authd code.
	v, err := jwtverify.New(jwtverify.Config{JWKSURL: srv.URL + "/.well-known/jwks.json",
		Issuer: "authd", Audience: "authd", InsecureLoopbackHTTP: true}) // plain http on 127.0.0.1 here only
	if err != nil {
		log.Fatal(err)
	}
	claims, err := v.Verify(context.Background(), register(srv.URL, "ada@acme.example"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tenant:", claims.Extra["tenant"])
	// Output: tenant: acme.example
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authd-dev/authd/test/backends"
)

// migrate and user create sign no token, so they run on every backend
// with no AUTHD_JWT_SECRET, AUTHD_REFRESH_SECRET or key folder, even with
// bad values in settings they do not read; keys generate needs only its
// folder and algorithm. serve, which signs, is refused on the same
// environment of a server database.
func TestCommandsReadOnlyWhatTheyUse(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run(target.Name, func(t *testing.T) {
			env := baseEnv(t)
			env["AUTHD_DB_DRIVER"], env["AUTHD_DB_DSN"] = target.Driver, target.DSN
			env["AUTHD_JWT_ALG"], env["AUTHD_ACCESS_TTL"], env["AUTHD_SMTP_URL"] = "ES256", "soon", "gopher://nowhere"
			var out bytes.Buffer
			if code := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &out); code != 0 {
				t.Fatalf("migrate: exit %d: %s", code, out.String())
			}
			out.Reset()
			stdin := strings.NewReader("a long enough password\n")
			args := []string{"user", "create", "--email", "root@example.com", "--role", "admin"}
			if code := run(context.Background(), args, envOf(env), stdin, &out, &out); code != 0 ||
				!strings.Contains(out.String(), "created user") {
				t.Fatalf("user create: exit %d: %s", code, out.String())
			}
			out.Reset()
			keys := filepath.Join(t.TempDir(), "keys")
			if code := run(context.Background(), []string{"keys", "generate", "--dir", keys}, envOf(env), nil, &out, &out); code != 0 {
				t.Fatalf("keys generate: exit %d: %s", code, out.String())
			}
			if target.Driver == "sqlite" {
				assertNothingGenerated(t, env["AUTHD_DATA_DIR"])
				return
			}
			out.Reset()
			if code := run(context.Background(), []string{"serve"}, envOf(env), nil, &out, &out); code != 1 ||
				!strings.Contains(out.String(), "AUTHD_REFRESH_SECRET: required") || !strings.Contains(out.String(), "AUTHD_JWT_KEY_DIR: required") {
				t.Fatalf("serve without keys: exit %d: %s", code, out.String())
			}
		})
	}
}

// On SQLite, migrate and user create leave no generated secret or key
// behind: only serve, which uses them, creates them.
func assertNothingGenerated(t *testing.T, dataDir string) {
	t.Helper()
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".key") || e.Name() == "keys" {
			t.Errorf("%s was generated in the data folder by a command that signs nothing", e.Name())
		}
	}
}

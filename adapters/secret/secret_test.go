package secret

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authd-dev/authd/domain"
)

const name = "AUTHD_JWT_SECRET"

var long = strings.Repeat("s", 32)

func TestResolveConfiguredValue(t *testing.T) {
	got, err := Resolve(long, name, t.TempDir(), true, nil)
	if err != nil || string(got) != long {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = Resolve("too-short-secret", name, t.TempDir(), true, nil)
	if !errors.Is(err, domain.ErrWeakSecret) || err.Error() != "AUTHD_JWT_SECRET must be at least 32 bytes" {
		t.Fatalf("short value: %v", err)
	}
	if strings.Contains(err.Error(), "too-short") {
		t.Fatal("the error must not echo the secret")
	}
}

func TestResolveRequiredWithoutGeneration(t *testing.T) {
	dir := t.TempDir()
	_, err := Resolve("", name, dir, false, nil)
	if err == nil || !strings.Contains(err.Error(), name) {
		t.Fatalf("got %v, want an error naming %s", err, name)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("nothing may be written when generation is off")
	}
}

func TestResolveGeneratesOnceAndReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	first, err := Resolve("", name, dir, true, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 {
		t.Fatalf("generated %d bytes", len(first))
	}
	path := filepath.Join(dir, "jwt_secret.key")
	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 || !strings.Contains(logs.String(), name) {
		t.Fatalf("want one warning naming the variable, got %q", logs.String())
	}
	stored, _ := os.ReadFile(path)
	if bytes.Contains(stored, first) {
		t.Fatal("the key is stored encoded, not raw")
	}

	second, err := Resolve("", name, dir, true, nil)
	if err != nil || !bytes.Equal(first, second) {
		t.Fatalf("second call: %x, %v; want the stored %x", second, err, first)
	}
	other, _ := Resolve("", "AUTHD_REFRESH_SECRET", dir, true, nil)
	if bytes.Equal(first, other) {
		t.Fatal("each variable needs its own key")
	}
}

func TestResolveRefusesACorruptFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "jwt_secret.key"), []byte("c2hvcnQ\n"), 0o600)
	if _, err := Resolve("", name, dir, true, nil); err == nil || !strings.Contains(err.Error(), name) {
		t.Fatalf("got %v", err)
	}
}

func TestFileName(t *testing.T) {
	if got := FileName("AUTHD_REFRESH_SECRET"); got != "refresh_secret.key" {
		t.Fatal(got)
	}
	if got := FileName("../x"); got != "___x.key" { // never a path
		t.Fatal(got)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s: mode %o, want %o", path, got, want)
	}
}

func TestOptional(t *testing.T) {
	if s, err := Optional("", "AUTHD_JWT_NEXT_SECRET"); s != nil || err != nil {
		t.Fatalf("empty: %q, %v", s, err)
	}
	long := strings.Repeat("n", domain.MinSecretBytes)
	if s, err := Optional(long, "AUTHD_JWT_NEXT_SECRET"); string(s) != long || err != nil {
		t.Fatalf("valid: %q, %v", s, err)
	}
	_, err := Optional("short", "AUTHD_JWT_NEXT_SECRET")
	if !errors.Is(err, domain.ErrWeakSecret) || !strings.Contains(err.Error(), "AUTHD_JWT_NEXT_SECRET") || strings.Contains(err.Error(), "short") {
		t.Fatalf("short: %v", err)
	}
}

package seal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/domain"
)

var (
	oldSecret = []byte(strings.Repeat("o", 32))
	newSecret = []byte(strings.Repeat("n", 32))
)

const user = "6a1f0c2e-9b3d-4e5f-8a7b-1c2d3e4f5a6b"

func mustKeys(t *testing.T, current []byte, retired ...[]byte) *seal.Keys {
	t.Helper()
	k, err := seal.New(current, retired...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpensOnlyForItsBinding(t *testing.T) {
	k := mustKeys(t, newSecret)
	plain := []byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	a, err := k.Seal(plain, user)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := k.Seal(plain, user)
	if bytes.Equal(a, b) || bytes.Contains(a, plain) || bytes.Contains(a, newSecret) {
		t.Fatalf("sealed values repeat or show the secret: %x", a)
	}
	got, current, err := k.Open(a, user)
	if err != nil || !current || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v, %v", got, current, err)
	}
	if _, _, err := k.Open(a, "another-user"); !errors.Is(err, seal.ErrOpen) {
		t.Errorf("opened under another binding: %v", err)
	}
	for i := range a {
		tampered := bytes.Clone(a)
		tampered[i] ^= 1
		if _, _, err := k.Open(tampered, user); err == nil {
			t.Fatalf("a value with byte %d flipped opened", i)
		}
	}
	for _, short := range [][]byte{nil, {1}, a[:9], a[:20]} {
		if _, _, err := k.Open(short, user); err == nil {
			t.Errorf("Open(%x) succeeded", short)
		}
	}
}

func TestSealAcrossRefreshSecretRotation(t *testing.T) {
	before := mustKeys(t, oldSecret)
	sealed, err := before.Seal([]byte("secret"), user)
	if err != nil {
		t.Fatal(err)
	}
	after := mustKeys(t, newSecret, oldSecret)
	got, current, err := after.Open(sealed, user)
	if err != nil || current || string(got) != "secret" {
		t.Fatalf("retired key: Open = %q, current %v, %v; want the plain text, not current", got, current, err)
	}
	if _, _, err := mustKeys(t, newSecret).Open(sealed, user); !errors.Is(err, seal.ErrUnknownKey) {
		t.Fatalf("without the retired secret: %v, want ErrUnknownKey", err)
	}

	stored := before.Digests("abcd1234efgh5678", user)[0]
	digests := after.Digests("abcd1234efgh5678", user)
	if len(digests) != 2 || !bytes.Equal(digests[1], stored) || bytes.Equal(digests[0], stored) {
		t.Fatalf("digests under rotation: %x, stored %x", digests, stored)
	}
	if bytes.Equal(after.Digests("abcd1234efgh5678", "other")[0], digests[0]) {
		t.Fatal("one code digests alike for two users")
	}
}

func TestSealRefusesWeakSecrets(t *testing.T) {
	if _, err := seal.New([]byte("short")); !errors.Is(err, domain.ErrWeakSecret) {
		t.Errorf("weak current secret: %v", err)
	}
	if _, err := seal.New(newSecret, []byte("short")); !errors.Is(err, domain.ErrWeakSecret) {
		t.Errorf("weak retired secret: %v", err)
	}
}

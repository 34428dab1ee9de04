package domain_test

import (
	"bytes"
	"testing"

	"github.com/authd-dev/authd/domain"
)

func TestDeriveSeparatesPurposesAndAgreesAcrossCopies(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, domain.MinSecretBytes)
	k1, err := domain.NewRefreshKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := domain.NewRefreshKey(append([]byte(nil), secret...))
	a, b := k1.Derive("throttle names"), k1.Derive("other")
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Fatalf("purposes share a key or the length is wrong: %x %x", a, b)
	}
	if !bytes.Equal(a, k2.Derive("throttle names")) {
		t.Fatal("two copies of one secret derive different keys")
	}
	if bytes.Equal(a, secret) {
		t.Fatal("the derived key is the refresh key")
	}
	if (domain.RefreshKey{}).Derive("throttle names") != nil {
		t.Fatal("a zero key derives a key")
	}
}

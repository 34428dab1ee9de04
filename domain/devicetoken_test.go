package domain_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

const (
	dvUser   = "6f1c4ad2-8a55-4d7e-9a43-7c0c8e2b1f00"
	dvOther  = "0b7e3a10-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
	dvDevice = "3a0e7b52-91c4-4f6d-8e2a-5b7c9d1e3f60"
	dvHash   = "$2a$04$abcdefghijklmnopqrstuuJ7fWfGmI1Z3Ss9pOqTbJ8YFh8a2Wz0a"
)

var dvNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

func dvUserOf(t testing.TB, id, email string) domain.User {
	t.Helper()
	e, err := domain.NewEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := domain.NewUser(id, e, dvHash, domain.RoleUser, dvNow)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// payload decodes a token's bytes after the prefix.
func payload(t testing.TB, raw string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(raw, "dv1."))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encode(b []byte) string { return "dv1." + base64.RawURLEncoding.EncodeToString(b) }

func TestDeviceTokenRoundTrip(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	u := dvUserOf(t, dvUser, "dee@example.com")
	raw := k.Mint(u, dvDevice, dvNow)
	if len(raw) != domain.MaxDeviceTokenLen || !strings.HasPrefix(raw, "dv1.") {
		t.Fatalf("token %q: length %d, want %d with prefix dv1.", raw, len(raw), domain.MaxDeviceTokenLen)
	}
	d, ok := k.Verify(raw, dvNow.Add(time.Hour))
	if !ok || d.ID != dvDevice || d.UserID != dvUser || !d.IssuedAt.Equal(dvNow) || !k.Vouches(d, u) {
		t.Fatalf("Verify = %+v, %v; want device %s of %s issued at %v, vouching", d, ok, dvDevice, dvUser, dvNow)
	}
	if _, ok := k.Verify(raw, dvNow.Add(domain.DeviceTokenTTL-time.Second)); !ok {
		t.Fatal("refused just before its lifetime ends")
	}
	if _, ok := k.Verify(raw, dvNow.Add(domain.DeviceTokenTTL)); ok {
		t.Fatal("accepted once its lifetime ended")
	}
}

// A token vouches only for the account it was issued to, and only under
// the password that account had then.
func TestDeviceTokenVouchesForItsAccountAndPassword(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	u := dvUserOf(t, dvUser, "dee@example.com")
	d, ok := k.Verify(k.Mint(u, dvDevice, dvNow), dvNow)
	if !ok {
		t.Fatal("fresh token refused")
	}
	if k.Vouches(d, dvUserOf(t, dvOther, "eve@example.com")) {
		t.Error("vouches for another account")
	}
	if k.Vouches(d, u.WithPasswordHash(dvHash[:len(dvHash)-1]+"b", dvNow)) {
		t.Error("vouches after a password change")
	}
	if (domain.DeviceKey{}).Vouches(d, u) {
		t.Error("the zero key vouches")
	}
	// Swapping the user id in the payload breaks the MAC.
	body := payload(t, k.Mint(u, dvDevice, dvNow))
	other, _ := domain.ParseID(dvOther)
	copy(body[:16], other[:])
	if _, ok := k.Verify(encode(body), dvNow); ok {
		t.Error("a token with its user id swapped verifies")
	}
}

// The device key is derived from, and differs from, the refresh key: a
// token MAC'd with the refresh secret itself does not verify.
func TestDeviceKeyIsNotTheRefreshKey(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	u := dvUserOf(t, dvUser, "dee@example.com")
	raw := k.Mint(u, dvDevice, dvNow)
	body := payload(t, raw)
	head := body[:len(body)-sha256.Size]
	for _, prefix := range []string{"", "token\x00"} {
		h := hmac.New(sha256.New, bytes.Repeat([]byte{1}, domain.MinSecretBytes))
		h.Write([]byte(prefix))
		h.Write(head)
		if _, ok := k.Verify(encode(append(append([]byte(nil), head...), h.Sum(nil)...)), dvNow); ok {
			t.Fatalf("a token MAC'd with the raw refresh secret (prefix %q) verifies", prefix)
		}
	}
	if _, ok := rtKey(t, 2).DeviceKey().Verify(raw, dvNow); ok {
		t.Fatal("a token verifies under another refresh secret's device key")
	}
	if _, ok := (domain.RefreshKey{}).DeviceKey().Verify(raw, dvNow); ok {
		t.Fatal("the zero key verifies a token")
	}
}

func TestDeviceTokenTamperAnywhere(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	body := payload(t, k.Mint(dvUserOf(t, dvUser, "dee@example.com"), dvDevice, dvNow))
	for i := range body {
		for _, bit := range []byte{0x01, 0x80} {
			mod := append([]byte(nil), body...)
			mod[i] ^= bit
			if _, ok := k.Verify(encode(mod), dvNow); ok {
				t.Fatalf("flipping bit %#x of byte %d still verifies", bit, i)
			}
		}
	}
}

func TestDeviceTokenMalformed(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	good := k.Mint(dvUserOf(t, dvUser, "dee@example.com"), dvDevice, dvNow)
	for _, raw := range []string{
		"", "dv1.", "dv1", "rt1." + good[4:], good + "A", good[:len(good)-1], good + "=",
		"dv1." + strings.Repeat("A", 4000), "dv1.!!!!", strings.ToUpper(good),
	} {
		if d, ok := k.Verify(raw, dvNow); ok {
			t.Errorf("Verify(%.40q) = %+v, want refused", raw, d)
		}
	}
}

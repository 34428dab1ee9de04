package domain_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

const (
	dvUser  = "6f1c4ad2-8a55-4d7e-9a43-7c0c8e2b1f00"
	dvOther = "0b7e3a10-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
)

var dvNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

func dvDevice(t testing.TB, user string) domain.Device {
	t.Helper()
	d, err := domain.NewDevice(rand.Reader, user, dvNow)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeviceTokenRoundTrip(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	d := dvDevice(t, dvUser)
	raw := k.Mint(d)
	if len(raw) != domain.MaxDeviceTokenLen || !strings.HasPrefix(raw, "dv1.") {
		t.Fatalf("token %q: length %d, want %d with prefix dv1.", raw, len(raw), domain.MaxDeviceTokenLen)
	}
	got, ok := k.Verify(raw, dvNow.Add(time.Hour))
	if !ok || got != d {
		t.Fatalf("Verify = %+v, %v; want %+v", got, ok, d)
	}
	if _, ok := k.Verify(raw, dvNow.Add(domain.DeviceTokenTTL-time.Second)); !ok {
		t.Fatal("refused just before its lifetime ends")
	}
	if _, ok := k.Verify(raw, dvNow.Add(domain.DeviceTokenTTL)); ok {
		t.Fatal("accepted once its lifetime ended")
	}
}

// The device key is derived from, and differs from, the refresh key: a
// token MAC'd with the refresh key itself does not verify.
func TestDeviceKeyIsNotTheRefreshKey(t *testing.T) {
	secret := bytes.Repeat([]byte{1}, domain.MinSecretBytes)
	k := rtKey(t, 1).DeviceKey()
	d := dvDevice(t, dvUser)
	raw := k.Mint(d)
	body, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(raw, "dv1."))
	payload := body[:len(body)-sha256.Size]
	h := hmac.New(sha256.New, secret)
	h.Write(payload)
	withRefreshKey := "dv1." + base64.RawURLEncoding.EncodeToString(append(append([]byte(nil), payload...), h.Sum(nil)...))
	if _, ok := k.Verify(withRefreshKey, dvNow); ok {
		t.Fatal("a token MAC'd with the raw refresh secret verifies")
	}
	if _, ok := rtKey(t, 2).DeviceKey().Verify(raw, dvNow); ok {
		t.Fatal("a token verifies under another refresh secret's device key")
	}
	if _, ok := (domain.RefreshKey{}).DeviceKey().Verify(raw, dvNow); ok {
		t.Fatal("the zero key verifies a token")
	}
}

// The user id is under the MAC: a token cannot be moved to another account.
func TestDeviceTokenBoundToUser(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	raw := k.Mint(dvDevice(t, dvUser))
	body, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(raw, "dv1."))
	other, _ := domain.ParseID(dvOther)
	copy(body[:16], other[:])
	if _, ok := k.Verify("dv1."+base64.RawURLEncoding.EncodeToString(body), dvNow); ok {
		t.Fatal("a token with its user id swapped verifies")
	}
}

func TestDeviceTokenTamperAnywhere(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	raw := k.Mint(dvDevice(t, dvUser))
	body, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(raw, "dv1."))
	for i := range body {
		for _, bit := range []byte{0x01, 0x80} {
			mod := append([]byte(nil), body...)
			mod[i] ^= bit
			if _, ok := k.Verify("dv1."+base64.RawURLEncoding.EncodeToString(mod), dvNow); ok {
				t.Fatalf("flipping bit %#x of byte %d still verifies", bit, i)
			}
		}
	}
}

func TestDeviceTokenMalformed(t *testing.T) {
	k := rtKey(t, 1).DeviceKey()
	good := k.Mint(dvDevice(t, dvUser))
	for _, raw := range []string{
		"", "dv1.", "dv1", "rt1." + good[4:], good + "A", good[:len(good)-1], good + "=",
		"dv1." + strings.Repeat("A", 4000), "dv1.!!!!", strings.ToUpper(good),
	} {
		if d, ok := k.Verify(raw, dvNow); ok {
			t.Errorf("Verify(%.40q) = %+v, want refused", raw, d)
		}
	}
}

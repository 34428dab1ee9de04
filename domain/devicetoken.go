package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// Device token wire format: "dv1." + base64url(user id (16 bytes) ‖ device
// id (16 bytes) ‖ issued at (Unix seconds, 8 bytes big-endian) ‖ credential
// tag (16 bytes) ‖ HMAC-SHA256 of all before (32 bytes)). It vouches that
// the device logged in to that account under its current password (OWASP
// "device cookies"); nothing about it is stored.
const (
	devicePrefix     = "dv1."
	credentialTagLen = 16
	deviceBodyLen    = 16 + 16 + 8 + credentialTagLen
	devicePayloadLen = deviceBodyLen + sha256.Size
	// MaxDeviceTokenLen bounds what parsers look at.
	MaxDeviceTokenLen = len(devicePrefix) + (devicePayloadLen*8+5)/6
	// DeviceTokenTTL is how long a device token vouches for its device.
	DeviceTokenTTL = 365 * 24 * time.Hour
)

// deviceKeyInfo labels the HKDF derivation, so the device key is never
// the refresh key itself nor any other key derived from it. It is not a
// Derive purpose: Derive prefixes its label, and another label would void
// every device token already issued.
const deviceKeyInfo = "authd device token v1"

// DeviceKey is the HMAC key of device tokens.
type DeviceKey struct{ key []byte }

// DeviceKey derives the device-token key from the refresh key (HKDF-SHA256).
// A zero RefreshKey gives a key that verifies nothing.
func (k RefreshKey) DeviceKey() DeviceKey { return DeviceKey{key: k.hkdf(deviceKeyInfo)} }

// Device is what a device token whose MAC verified says: which device,
// issued to which account, when. Vouches tells whether it still holds.
type Device struct {
	ID       string // random UUID, the key of the device's own failure counter
	UserID   string
	IssuedAt time.Time
	tag      [credentialTagLen]byte
}

// Mint returns the token of device deviceID of u at now. The token names
// u's current password hash through a keyed tag, so a password change or
// reset voids every device token of u. Ids that are not UUIDs are a bug
// and panic.
func (k DeviceKey) Mint(u User, deviceID string, now time.Time) string {
	buf := make([]byte, 0, devicePayloadLen)
	buf = append(buf, mustUUID(u.ID())...)
	buf = append(buf, mustUUID(deviceID)...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(now.Unix()))
	buf = append(buf, k.credentialTag(u)...)
	buf = append(buf, k.mac(buf)...)
	return devicePrefix + base64.RawURLEncoding.EncodeToString(buf)
}

// Verify returns the device raw names when its MAC verifies under k and it
// is younger than DeviceTokenTTL at now. Anything else (empty, malformed,
// forged, expired) is false: callers treat it as no token. It needs no
// storage, so forged tokens cost nothing to refuse.
func (k DeviceKey) Verify(raw string, now time.Time) (Device, bool) {
	if len(k.key) == 0 || len(raw) > MaxDeviceTokenLen || !strings.HasPrefix(raw, devicePrefix) {
		return Device{}, false
	}
	buf, err := base64.RawURLEncoding.Strict().DecodeString(raw[len(devicePrefix):])
	if err != nil || len(buf) != devicePayloadLen {
		return Device{}, false
	}
	body, mac := buf[:deviceBodyLen], buf[deviceBodyLen:]
	if !hmac.Equal(mac, k.mac(body)) {
		return Device{}, false
	}
	var user, id [16]byte
	copy(user[:], body[:16])
	copy(id[:], body[16:32])
	issued := time.Unix(int64(binary.BigEndian.Uint64(body[32:40])), 0).UTC()
	if now.Sub(issued) >= DeviceTokenTTL {
		return Device{}, false
	}
	d := Device{ID: FormatID(id), UserID: FormatID(user), IssuedAt: issued}
	copy(d.tag[:], body[40:])
	return d, true
}

// Vouches reports whether d was issued to u under u's current password.
func (k DeviceKey) Vouches(d Device, u User) bool {
	return len(k.key) > 0 && d.UserID == u.ID() && hmac.Equal(d.tag[:], k.credentialTag(u))
}

// credentialTag is a keyed digest of u's password hash: it changes with
// the password and reveals nothing about the hash.
func (k DeviceKey) credentialTag(u User) []byte {
	h := hmac.New(sha256.New, k.key)
	h.Write([]byte("credential\x00"))
	h.Write([]byte(u.ID()))
	h.Write([]byte{0})
	h.Write([]byte(u.PasswordHash()))
	return h.Sum(nil)[:credentialTagLen]
}

// mac covers the whole body: user id, device id, issue time and tag.
func (k DeviceKey) mac(body []byte) []byte {
	h := hmac.New(sha256.New, k.key)
	h.Write([]byte("token\x00"))
	h.Write(body)
	return h.Sum(nil)
}

func mustUUID(id string) []byte {
	b, err := ParseID(id)
	if err != nil {
		panic("domain: id is not a UUID: " + err.Error()) // a bug: ids come from NewID
	}
	return b[:]
}

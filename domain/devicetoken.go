package domain

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"
)

// Device token wire format: "dv1." + base64url(user id (16 bytes) ‖ device
// id (16 bytes) ‖ issued at (Unix seconds, 8 bytes big-endian) ‖
// HMAC-SHA256 (32 bytes)). It vouches that the device logged in to that
// account before (OWASP "device cookies"); nothing about it is stored.
const (
	devicePrefix     = "dv1."
	devicePayloadLen = 16 + 16 + 8 + sha256.Size
	// MaxDeviceTokenLen bounds what parsers look at.
	MaxDeviceTokenLen = len(devicePrefix) + (devicePayloadLen*8+5)/6
	// DeviceTokenTTL is how long a device token vouches for its device.
	DeviceTokenTTL = 365 * 24 * time.Hour
)

// deviceKeyInfo labels the HKDF derivation, so the device key is never
// the refresh key itself nor any other key derived from it.
const deviceKeyInfo = "authd device token v1"

// DeviceKey is the HMAC key of device tokens.
type DeviceKey struct{ key []byte }

// DeviceKey derives the device-token key from the refresh key (HKDF-SHA256).
// A zero RefreshKey gives a key that verifies nothing.
func (k RefreshKey) DeviceKey() DeviceKey {
	if len(k.key) == 0 {
		return DeviceKey{}
	}
	key, err := hkdf.Key(sha256.New, k.key, nil, deviceKeyInfo, sha256.Size)
	if err != nil {
		panic("domain: HKDF of a 32-byte key failed: " + err.Error()) // only for absurd lengths
	}
	return DeviceKey{key: key}
}

// Device is one device that logged in to the account UserID.
type Device struct {
	ID       string // random UUID, the key of its own failure counter
	UserID   string
	IssuedAt time.Time // of the latest token; the token dies DeviceTokenTTL later
}

// NewDevice names a new device of userID, reading its id from rnd.
func NewDevice(rnd io.Reader, userID string, now time.Time) (Device, error) {
	id, err := NewID(rnd)
	if err != nil {
		return Device{}, fmt.Errorf("device id: %w", err)
	}
	return Device{ID: id, UserID: userID, IssuedAt: now}, nil
}

// Mint returns d's token. Ids that are not UUIDs are a bug and panic.
func (k DeviceKey) Mint(d Device) string {
	buf := make([]byte, 0, devicePayloadLen)
	buf = append(buf, mustUUID(d.UserID)...)
	buf = append(buf, mustUUID(d.ID)...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(d.IssuedAt.Unix()))
	buf = append(buf, k.mac(buf)...)
	return devicePrefix + base64.RawURLEncoding.EncodeToString(buf)
}

// Verify returns the device raw names when its MAC verifies under k and it
// is younger than DeviceTokenTTL at now. Anything else (empty, malformed,
// forged, expired) is false: callers treat it as no token.
func (k DeviceKey) Verify(raw string, now time.Time) (Device, bool) {
	if len(k.key) == 0 || len(raw) > MaxDeviceTokenLen || !strings.HasPrefix(raw, devicePrefix) {
		return Device{}, false
	}
	buf, err := base64.RawURLEncoding.Strict().DecodeString(raw[len(devicePrefix):])
	if err != nil || len(buf) != devicePayloadLen {
		return Device{}, false
	}
	body, mac := buf[:devicePayloadLen-sha256.Size], buf[devicePayloadLen-sha256.Size:]
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
	return Device{ID: FormatID(id), UserID: FormatID(user), IssuedAt: issued}, true
}

// mac covers the whole payload: user id, device id and issue time.
func (k DeviceKey) mac(body []byte) []byte {
	h := hmac.New(sha256.New, k.key)
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

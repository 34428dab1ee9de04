package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
)

// Refresh token wire format: "rt1." + base64url(session id (16 bytes) ‖
// generation (8 bytes, big-endian) ‖ HMAC-SHA256 (32 bytes)). The MAC covers
// session id ‖ generation ‖ the session's salt, so neither the database
// (which holds no token) nor the key alone can mint a token.
const (
	refreshPrefix     = "rt1."
	refreshPayloadLen = 16 + 8 + sha256.Size
	// MaxRefreshTokenLen bounds what parsers look at.
	MaxRefreshTokenLen = len(refreshPrefix) + (refreshPayloadLen*8+5)/6
	// MinSecretBytes is the shortest HMAC key accepted.
	MinSecretBytes = 32
)

// RefreshKey is the HMAC key of refresh tokens, with the retired keys whose
// tokens still verify.
type RefreshKey struct {
	key     []byte
	retired [][]byte
}

// NewRefreshKey wraps secret, which mints and verifies, and retired
// secrets, which only verify: a token MAC'd with one of them still rotates,
// and its successor is minted with secret. Any of them shorter than
// MinSecretBytes is ErrWeakSecret.
func NewRefreshKey(secret []byte, retired ...[]byte) (RefreshKey, error) {
	if len(secret) < MinSecretBytes {
		return RefreshKey{}, ErrWeakSecret
	}
	k := RefreshKey{key: append([]byte(nil), secret...)}
	for _, r := range retired {
		if len(r) < MinSecretBytes {
			return RefreshKey{}, ErrWeakSecret
		}
		k.retired = append(k.retired, append([]byte(nil), r...))
	}
	return k, nil
}

// RefreshToken is a parsed, not yet verified, refresh token.
type RefreshToken struct {
	SessionID  string
	Generation uint64
	mac        [sha256.Size]byte
}

// MintRefreshToken returns the token for generation gen of session s.
func (k RefreshKey) MintRefreshToken(s Session, gen uint64) string {
	id, err := ParseID(s.ID())
	if err != nil {
		panic("domain: session id is not a UUID: " + err.Error()) // a bug: ids come from NewID
	}
	buf := make([]byte, 0, refreshPayloadLen)
	buf = append(buf, id[:]...)
	buf = binary.BigEndian.AppendUint64(buf, gen)
	buf = append(buf, macWith(k.key, id, gen, s.Salt())...)
	return refreshPrefix + base64.RawURLEncoding.EncodeToString(buf)
}

// ParseRefreshToken decodes raw without checking its MAC; any malformed
// input is ErrRefreshInvalid.
func ParseRefreshToken(raw string) (RefreshToken, error) {
	if len(raw) > MaxRefreshTokenLen || !strings.HasPrefix(raw, refreshPrefix) {
		return RefreshToken{}, ErrRefreshInvalid
	}
	buf, err := base64.RawURLEncoding.Strict().DecodeString(raw[len(refreshPrefix):])
	if err != nil || len(buf) != refreshPayloadLen {
		return RefreshToken{}, ErrRefreshInvalid
	}
	var id [16]byte
	copy(id[:], buf[:16])
	t := RefreshToken{SessionID: FormatID(id), Generation: binary.BigEndian.Uint64(buf[16:24])}
	copy(t.mac[:], buf[24:])
	return t, nil
}

// Verify reports whether t's MAC matches session s under the current key
// or a retired one; each comparison is constant-time.
func (k RefreshKey) Verify(t RefreshToken, s Session) bool {
	id, err := ParseID(s.ID())
	if err != nil || t.SessionID != s.ID() || len(k.key) == 0 {
		return false
	}
	if hmac.Equal(t.mac[:], macWith(k.key, id, t.Generation, s.Salt())) {
		return true
	}
	for _, r := range k.retired {
		if hmac.Equal(t.mac[:], macWith(r, id, t.Generation, s.Salt())) {
			return true
		}
	}
	return false
}

func macWith(key []byte, id [16]byte, gen uint64, salt []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(id[:])
	var g [8]byte
	binary.BigEndian.PutUint64(g[:], gen)
	h.Write(g[:])
	h.Write(salt)
	return h.Sum(nil)
}

package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Sealed format: version (1 byte) ‖ key id (8 bytes) ‖ GCM nonce (12
// bytes) ‖ ciphertext and tag. The key id is derived from the key's
// secret, so the refresh secret can rotate: a retired one still opens what
// it sealed, found by id without trying every key.
const (
	version    = 1
	keyIDLen   = 8
	headerLen  = 1 + keyIDLen
	sealInfo   = "authd mfa secret seal v1"
	keyIDInfo  = "authd mfa seal key id v1"
	digestInfo = "authd recovery code digest v1"
	aadPrefix  = "authd totp secret\x00"
)

// Errors of Open; each wraps nothing of the secret.
var (
	ErrMalformed = errors.New("seal: not a sealed value")
	// ErrUnknownKey: the value was sealed under a refresh secret that is no
	// longer configured; keep retired refresh secrets configured while
	// values sealed under them remain.
	ErrUnknownKey = errors.New("seal: sealed under a refresh secret that is not configured (current or retired)")
	ErrOpen       = errors.New("seal: the sealed value does not open (tampered, or another user's)")
)

// Keys seals with the current key and opens with any of them.
type Keys struct {
	keys []key // the current key first
}

var _ ports.SecretSealer = (*Keys)(nil)

type key struct {
	id     [keyIDLen]byte
	aead   cipher.AEAD
	digest []byte
}

// New derives the keys of the refresh secret current and of the retired
// refresh secrets, each at least domain.MinSecretBytes long.
func New(current []byte, retired ...[]byte) (*Keys, error) {
	k := &Keys{}
	for _, secret := range append([][]byte{current}, retired...) {
		d, err := derive(secret)
		if err != nil {
			return nil, err
		}
		k.keys = append(k.keys, d)
	}
	return k, nil
}

func derive(secret []byte) (key, error) {
	if len(secret) < domain.MinSecretBytes {
		return key{}, fmt.Errorf("seal: %w", domain.ErrWeakSecret)
	}
	enc, err := hkdf.Key(sha256.New, secret, nil, sealInfo, 32)
	if err != nil {
		return key{}, fmt.Errorf("seal: derive key: %w", err)
	}
	id, err := hkdf.Key(sha256.New, secret, nil, keyIDInfo, keyIDLen)
	if err != nil {
		return key{}, fmt.Errorf("seal: derive key id: %w", err)
	}
	digest, err := hkdf.Key(sha256.New, secret, nil, digestInfo, sha256.Size)
	if err != nil {
		return key{}, fmt.Errorf("seal: derive digest key: %w", err)
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return key{}, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, fmt.Errorf("seal: %w", err)
	}
	k := key{aead: aead, digest: digest}
	copy(k.id[:], id)
	return k, nil
}

// Seal encrypts plain under the current key with a random nonce, binding
// it to binding as additional data.
func (k *Keys) Seal(plain []byte, binding string) ([]byte, error) {
	cur := k.keys[0]
	out := make([]byte, headerLen, headerLen+cur.aead.NonceSize()+len(plain)+cur.aead.Overhead())
	out[0] = version
	copy(out[1:], cur.id[:])
	nonce := make([]byte, cur.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	out = append(out, nonce...)
	return cur.aead.Seal(out, nonce, plain, aad(binding)), nil
}

// Open finds the key named in sealed and decrypts; current reports whether
// that key is the current one.
func (k *Keys) Open(sealed []byte, binding string) ([]byte, bool, error) {
	if len(sealed) < headerLen || sealed[0] != version {
		return nil, false, ErrMalformed
	}
	for i, c := range k.keys {
		if !bytes.Equal(c.id[:], sealed[1:headerLen]) {
			continue
		}
		rest := sealed[headerLen:]
		if len(rest) < c.aead.NonceSize()+c.aead.Overhead() {
			return nil, false, ErrMalformed
		}
		nonce, body := rest[:c.aead.NonceSize()], rest[c.aead.NonceSize():]
		plain, err := c.aead.Open(nil, nonce, body, aad(binding))
		if err != nil {
			return nil, false, ErrOpen
		}
		return plain, i == 0, nil
	}
	return nil, false, ErrUnknownKey
}

// Digests returns HMAC-SHA256(digest key, binding ‖ 0 ‖ code) under each
// key, the current one first. The binding makes one code's digest differ
// between users.
func (k *Keys) Digests(code, binding string) [][]byte {
	out := make([][]byte, 0, len(k.keys))
	for _, c := range k.keys {
		h := hmac.New(sha256.New, c.digest)
		h.Write([]byte(binding))
		h.Write([]byte{0})
		h.Write([]byte(code))
		out = append(out, h.Sum(nil))
	}
	return out
}

func aad(binding string) []byte { return []byte(aadPrefix + binding) }

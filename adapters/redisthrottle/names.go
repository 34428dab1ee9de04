package redisthrottle

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Key spaces: login failure counters and request buckets.
const (
	spaceFailures = "f"
	spaceBuckets  = "r"
)

// nameBytes is how much of the HMAC a key name keeps: 128 bits, so names
// of distinct counters do not collide.
const nameBytes = 16

// names turns counter keys, which hold emails and client addresses, into
// Redis key names that reveal neither: prefix, space, then a truncated
// HMAC-SHA256 of the key under a secret the replicas share.
type names struct {
	prefix string
	secret []byte
}

func (n names) of(space, key string) string {
	m := hmac.New(sha256.New, n.secret)
	m.Write([]byte(space))
	m.Write([]byte{0})
	m.Write([]byte(key))
	return n.prefix + space + ":" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:nameBytes])
}

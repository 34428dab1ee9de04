package domain

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// Derive returns a 32-byte key for purpose, derived from the refresh key
// with HKDF-SHA256, so an adapter can key MACs of its own (the names of
// shared throttle counters) without ever holding the refresh key. Equal
// refresh keys and purposes give equal keys, so replicas sharing the
// secret agree. A zero RefreshKey gives nil.
func (k RefreshKey) Derive(purpose string) []byte {
	return k.hkdf("authd derived key: " + purpose)
}

// hkdf derives the 32-byte key labelled info from the refresh key
// (HKDF-SHA256); distinct labels give independent keys. A zero RefreshKey
// gives nil.
func (k RefreshKey) hkdf(info string) []byte {
	if len(k.key) == 0 {
		return nil
	}
	key, err := hkdf.Key(sha256.New, k.key, nil, info, sha256.Size)
	if err != nil {
		panic("domain: HKDF of a 32-byte key failed: " + err.Error()) // only for absurd lengths
	}
	return key
}

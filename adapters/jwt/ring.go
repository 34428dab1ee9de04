package jwt

import (
	"cmp"
	"crypto"
	"encoding/base64"
	"slices"
	"time"

	"github.com/authd-dev/authd/ports"
)

// signer is one key that may sign, with its header segment precomputed.
type signer struct {
	kid        string
	key        any
	header     string    // base64url(JSON header) + "."
	activation time.Time // zero: active since always
	file       string    // breaks ties between equal activations
}

// keyRing is one immutable snapshot of the keys. Tokens swaps whole rings,
// so a request sees either the old set or the new one, never a mix.
type keyRing struct {
	signers   []signer // by activation, then file name
	verify    map[string]any
	published []ports.VerificationKey
	files     map[string]loadedKey // by file name; what a bad file held before
	// generation changes whenever a key that verified no longer does, so
	// caches of past verifications know to forget them.
	generation uint64
}

// signerAt picks the key with the latest activation not after now. When
// every key activates later, the earliest signs: refusing to sign would fail
// every login, while this only risks replicas that have not reloaded yet.
func (r *keyRing) signerAt(now time.Time) (s *signer, active bool) {
	for i := len(r.signers) - 1; i >= 0; i-- {
		if !r.signers[i].activation.After(now) {
			return &r.signers[i], true
		}
	}
	return &r.signers[0], false
}

func newSigner(alg, kid string, key any, activation time.Time, file string) signer {
	// kid is a thumbprint or an HMAC fingerprint (base64url), so no escaping.
	h := `{"alg":"` + alg + `","kid":"` + kid + `","typ":"at+jwt"}`
	return signer{kid: kid, key: key, header: base64.RawURLEncoding.EncodeToString([]byte(h)) + ".",
		activation: activation, file: file}
}

// secretRing signs with current and verifies with it and every verifyOnly
// secret (next and previous ones). HS256 publishes nothing.
func secretRing(current []byte, verifyOnly [][]byte) *keyRing {
	kid := hmacKID(current)
	r := &keyRing{verify: map[string]any{kid: current}}
	r.signers = []signer{newSigner(HS256, kid, current, time.Time{}, "")}
	for _, s := range verifyOnly {
		r.verify[hmacKID(s)] = s // a repeat of the current secret is harmless
	}
	return r
}

// fileRing builds the ring of loaded key files. Every key verifies and is
// published under its thumbprint; a file whose name is a valid kid also
// verifies under that name, so tokens signed before kids were thumbprints
// (kid = file name) still verify until they expire. Such names are never
// published or signed with.
func fileRing(alg string, keys []loadedKey) *keyRing {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b loadedKey) int {
		return cmp.Or(a.activation.Compare(b.activation), cmp.Compare(a.file, b.file))
	})
	r := &keyRing{verify: map[string]any{}, files: map[string]loadedKey{}}
	for _, k := range keys {
		r.files[k.file] = k
		r.signers = append(r.signers, newSigner(alg, k.kid, k.key, k.activation, k.file))
		if _, dup := r.verify[k.kid]; dup {
			continue // the same key in two files is published once
		}
		pub := k.key.Public()
		r.verify[k.kid] = pub
		r.published = append(r.published, ports.VerificationKey{ID: k.kid, Algorithm: alg, Key: pub})
	}
	for _, k := range keys {
		if legacy := legacyKID(k.file); legacy != "" {
			if _, taken := r.verify[legacy]; !taken {
				r.verify[legacy] = k.key.Public()
			}
		}
	}
	return r
}

// sameAs reports whether o would sign and verify exactly as r does.
func (r *keyRing) sameAs(o *keyRing) bool {
	if len(r.signers) != len(o.signers) || len(r.verify) != len(o.verify) || removedAny(r, o) {
		return false
	}
	return slices.EqualFunc(r.signers, o.signers, func(a, b signer) bool {
		return a.kid == b.kid && a.activation.Equal(b.activation) && a.file == b.file
	})
}

// removedAny reports whether a kid that verified in old no longer does in
// next, or now names another key.
func removedAny(old, next *keyRing) bool {
	for kid, k := range old.verify {
		nk, ok := next.verify[kid]
		if !ok || !samePublicKey(k, nk) {
			return true
		}
	}
	return false
}

func samePublicKey(a, b any) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// kids lists the ring's published kids.
func (r *keyRing) kids() []string {
	out := make([]string, 0, len(r.published))
	for _, k := range r.published {
		out = append(out, k.ID)
	}
	return out
}

package httpapi

import (
	"crypto/sha256"
	"maps"
	"sync"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// DefaultVerifyCacheSize bounds the tokens Authenticate remembers: 112 per
// shard, because Go's maps grow their table past 7/8 load, so 112 entries
// fill 128 slots while 113 would take 256. Shards grow on demand, so a
// full cache's memory is spent only while that many distinct tokens are
// in use.
const DefaultVerifyCacheSize = 112 * verifyShards

// verifyShards splits the cache so concurrent requests rarely share a lock.
const verifyShards = 16

// VerifyCache is a ports.AccessTokenVerifier that remembers tokens its inner
// verifier accepted, so a client sending the same token again skips the
// signature check and JSON decoding. It is safe because everything Verify
// checks except time is a pure function of the token string and the
// inner verifier's keys: an entry is used only while the inner verifier's
// KeyGeneration is the one it was verified under (an inner verifier
// without that method must never change its keys), and the times are
// re-checked on every hit, with the same skew, so an expired token is never
// served from the cache. Failures are never cached: an attacker's garbage
// costs a full verification each time and evicts nothing.
//
// Entries are keyed by the token's SHA-256, not the token: equal digests
// mean equal tokens (collision resistance), and the cache neither keeps the
// request's header alive nor holds bearer tokens in memory.
type VerifyCache struct {
	inner  ports.AccessTokenVerifier
	skew   time.Duration
	per    int // entries per shard
	shards [verifyShards]verifyShard
}

type verifyShard struct {
	mu sync.RWMutex
	m  map[tokenDigest]verified
}

// verified is a cached success and the key generation it was checked under.
type verified struct {
	claims     domain.AccessClaims
	generation uint64
}

// keyGenerations is implemented by verifiers whose keys can change while
// they run: KeyGeneration must change whenever a key is added or removed.
type keyGenerations interface{ KeyGeneration() uint64 }

type tokenDigest = [sha256.Size]byte

// digest hashes token through a stack buffer: converting a token of a few
// hundred bytes to []byte would allocate on every request.
func digest(token string) tokenDigest {
	var buf [1024]byte
	if len(token) > len(buf) {
		return sha256.Sum256([]byte(token))
	}
	return sha256.Sum256(append(buf[:0], token...))
}

var _ ports.AccessTokenVerifier = (*VerifyCache)(nil)

// NewVerifyCache wraps inner; skew must be the leeway inner allows on exp
// and iat (a smaller one is safe: hits past it fall through to inner).
// size <= 0 means DefaultVerifyCacheSize. Wrapping an inner verifier that
// has no KeyGeneration method asserts that its keys never change.
func NewVerifyCache(inner ports.AccessTokenVerifier, skew time.Duration, size int) *VerifyCache {
	if size <= 0 {
		size = DefaultVerifyCacheSize
	}
	c := &VerifyCache{inner: inner, skew: skew, per: max(1, size/verifyShards)}
	for i := range c.shards {
		c.shards[i].m = make(map[tokenDigest]verified)
	}
	return c
}

// Verify answers from the cache when the token was verified before and is
// still within its lifetime at now; otherwise it asks the inner verifier
// and remembers a success.
func (c *VerifyCache) Verify(token string, now time.Time) (domain.AccessClaims, error) {
	// Read before verifying: a key change during Verify leaves the entry
	// under the old generation, a miss next time.
	gen := c.generation()
	key := digest(token)
	s := &c.shards[key[0]%verifyShards]
	s.mu.RLock()
	e, ok := s.m[key]
	s.mu.RUnlock()
	if ok && e.generation == gen && c.timely(e.claims, now) {
		return withOwnExtra(e.claims), nil
	}
	claims, err := c.inner.Verify(token, now)
	if err != nil {
		return claims, err
	}
	c.put(s, key, verified{claims: withOwnExtra(claims), generation: gen})
	return claims, nil
}

// withOwnExtra copies the extra claims, so a caller that writes to its map
// cannot change what the cache hands the next request.
func withOwnExtra(c domain.AccessClaims) domain.AccessClaims {
	if c.Extra != nil {
		c.Extra = maps.Clone(c.Extra)
	}
	return c
}

func (c *VerifyCache) generation() uint64 {
	if g, ok := c.inner.(keyGenerations); ok {
		return g.KeyGeneration()
	}
	return 0
}

// timely applies the inner verifier's time rules: exp with leeway (valid
// while now < exp+skew) and iat not in the future beyond the skew.
func (c *VerifyCache) timely(claims domain.AccessClaims, now time.Time) bool {
	return now.Before(claims.ExpiresAt.Add(c.skew)) && !now.Before(claims.IssuedAt.Add(-c.skew))
}

// put stores claims, evicting an arbitrary entry when the shard is full:
// Go starts every map range at a random position, so this is random
// eviction in O(1), with no bookkeeping on the hit path.
func (c *VerifyCache) put(s *verifyShard, key tokenDigest, e verified) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; !ok && len(s.m) >= c.per {
		for k := range s.m {
			delete(s.m, k)
			break
		}
	}
	s.m[key] = e
}

// Len is the number of remembered tokens.
func (c *VerifyCache) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// skewer is implemented by verifiers that can say which leeway they allow.
type skewer interface{ ClockSkew() time.Duration }

// CachedVerifier returns v behind a VerifyCache of DefaultVerifyCacheSize
// when v says when its keys change (KeyGeneration, as authd's own token
// adapter does); any other verifier is returned as it is, since a cache in
// front of it could keep accepting tokens of a removed key. The skew comes
// from v when it tells it (ClockSkew); otherwise 0, which is still correct:
// hits within the leeway past exp just fall through to v. Build it once and
// share it: each call makes a new, empty cache.
func CachedVerifier(v ports.AccessTokenVerifier) ports.AccessTokenVerifier {
	if _, ok := v.(*VerifyCache); ok {
		return v
	}
	if _, ok := v.(keyGenerations); !ok {
		return v
	}
	var skew time.Duration
	if s, ok := v.(skewer); ok {
		skew = s.ClockSkew()
	}
	return NewVerifyCache(v, skew, DefaultVerifyCacheSize)
}

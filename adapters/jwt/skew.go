package jwt

import "time"

// ClockSkew is the leeway Verify allows on exp, nbf and iat. Caches in
// front of Verify (httpapi.VerifyCache) re-check times with it.
func (t *Tokens) ClockSkew() time.Duration { return t.skew }

// KeyGeneration tells caches in front of Verify when the verification keys
// change. A Tokens never changes its keys (rotating builds a new one), so
// it is constant; Authenticate caches only verifiers that have it.
func (t *Tokens) KeyGeneration() uint64 { return 0 }

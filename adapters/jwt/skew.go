package jwt

import "time"

// ClockSkew is the leeway Verify allows on exp, nbf and iat. Caches in
// front of Verify (httpapi.VerifyCache) re-check times with it.
func (t *Tokens) ClockSkew() time.Duration { return t.skew }

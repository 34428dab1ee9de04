package jwtverify

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// Config says where the keys are and what a token must claim. Zero values
// take the documented defaults; values out of range make New fail.
type Config struct {
	// JWKSURL is authd's key set, e.g.
	// https://auth.example.com/.well-known/jwks.json. It must be https;
	// http is accepted only with InsecureLoopbackHTTP.
	JWKSURL  string
	Issuer   string // AUTHD_ISSUER of the authd instance
	Audience string // AUTHD_AUDIENCE of the authd instance

	// HTTPClient fetches the key set (default: Go's default transport). It
	// is copied, never modified: the copy follows a redirect only to the
	// JWKSURL's own scheme and host, and every fetch is bounded by
	// FetchTimeout whatever the client's Timeout (a shorter one still
	// applies).
	HTTPClient *http.Client

	// MinRefreshInterval is the least time between the starts of two
	// fetches, whatever triggers them; default 1s, at most CacheTTL.
	MinRefreshInterval time.Duration

	// CacheTTL is the longest a fetched set is used before it is refetched
	// in the background; default 5m, from 30s to 24h. A response's
	// Cache-Control max-age (or no-cache, no-store) shortens it, to no
	// less than 30s.
	CacheTTL time.Duration

	// Algorithms accepted; default EdDSA, ES256, RS256 (only these exist).
	Algorithms []string

	// Leeway is the clock skew allowed on exp, nbf and iat: 0 means the
	// default 30s; negative or above 60s is an error. authd's times are
	// whole seconds, so 1ns means no leeway in practice.
	Leeway time.Duration

	// InsecureLoopbackHTTP accepts an http:// JWKSURL whose host is a
	// loopback IP literal (127.0.0.0/8 or ::1). For tests only: over plain
	// http nothing authenticates the keys.
	InsecureLoopbackHTTP bool
}

// Claims are what an authd access token asserts.
type Claims struct {
	Subject   string // user id
	Role      string
	SessionID string
	ID        string // jti
	IssuedAt  time.Time
	ExpiresAt time.Time
	// AMR is how the user authenticated (RFC 8176): ["pwd"], or
	// ["pwd","otp","mfa"] after a TOTP code, or ["pwd","mfa"] after a
	// recovery code; nil for a token without the claim. See RequireMFA.
	AMR []string
	// Extra holds the claims beyond authd's own that the issuer added (an
	// embedding team's ports.ClaimsHook: a tenant, a plan), by name; nil
	// when there are none. Values are as encoding/json decodes into any.
	Extra map[string]any
}

// Errors returned by Verify; compare with errors.Is. An ErrUnavailable
// error is an *UnavailableError, which says when to try again.
var (
	ErrExpired     = errors.New("jwtverify: token has expired")
	ErrInvalid     = errors.New("jwtverify: token is invalid")
	ErrUnavailable = errors.New("jwtverify: signing keys are unavailable")
)

// UnavailableError is returned when the token's key cannot be known yet:
// no key set could be fetched, or the token names a kid the cached set
// lacks and no refetch may start before RetryAfter. The token may well be
// good, so it must not be reported as invalid.
type UnavailableError struct {
	RetryAfter time.Duration // at least one second
	Cause      error         // the last fetch error, if any
}

func (e *UnavailableError) Error() string {
	if e.Cause != nil {
		return ErrUnavailable.Error() + ": " + e.Cause.Error()
	}
	return ErrUnavailable.Error()
}

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

func (e *UnavailableError) Unwrap() error { return e.Cause }

// MaxTokenBytes bounds the tokens Verify looks at.
const MaxTokenBytes = 8 << 10

// Verifier checks authd access tokens against authd's published JWKS. It is
// safe for concurrent use; build one per process and share it.
type Verifier struct {
	parser *gojwt.Parser
	keys   *keyCache
}

// New checks cfg and fills in defaults. It does not fetch the keys: the
// first Verify does (or call Refresh to fail fast at start-up).
func New(cfg Config) (*Verifier, error) {
	origin, err := checkConfig(&cfg)
	if err != nil {
		return nil, err
	}
	v := &Verifier{keys: newKeyCache(cfg, fetchClient(cfg.HTTPClient, origin), time.Now)}
	v.parser = gojwt.NewParser(
		gojwt.WithValidMethods(cfg.Algorithms),
		gojwt.WithIssuer(cfg.Issuer),
		gojwt.WithAudience(cfg.Audience),
		gojwt.WithExpirationRequired(),
		gojwt.WithIssuedAt(),
		gojwt.WithLeeway(cfg.Leeway),
		gojwt.WithStrictDecoding(),
		// One clock for the keys and the claims, replaceable in tests.
		gojwt.WithTimeFunc(func() time.Time { return v.keys.now() }),
	)
	return v, nil
}

// Refresh fetches the key set now, or waits for the fetch in progress.
// Within MinRefreshInterval of the last fetch it fetches nothing and
// returns that fetch's result.
func (v *Verifier) Refresh(ctx context.Context) error {
	return v.keys.refresh(ctx)
}

// Verify checks token and returns its claims. Errors: ErrExpired (genuine
// but past exp), ErrUnavailable (the key cannot be known yet; see
// UnavailableError) or ErrInvalid. It waits for a key set fetch only when
// the token's kid is not in the cached set, at most until ctx ends.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	if len(token) > MaxTokenBytes || !compactJWS(token) {
		return Claims{}, ErrInvalid
	}
	var unavailable error
	var c claims
	_, err := v.parser.ParseWithClaims(token, &c, func(t *gojwt.Token) (any, error) {
		key, err := v.keyFor(ctx, t)
		if errors.Is(err, ErrUnavailable) {
			unavailable = err
		}
		return key, err
	})
	switch {
	case err == nil && c.Subject != "":
		return c.public(), nil
	case unavailable != nil:
		return Claims{}, unavailable
	case errors.Is(err, gojwt.ErrTokenExpired) && !otherClaimError(err):
		// golang-jwt checks claims only after the signature verified.
		return Claims{}, ErrExpired
	}
	return Claims{}, ErrInvalid
}

func otherClaimError(err error) bool {
	for _, e := range []error{
		gojwt.ErrTokenInvalidIssuer, gojwt.ErrTokenInvalidAudience, gojwt.ErrTokenNotValidYet,
		gojwt.ErrTokenUsedBeforeIssued, gojwt.ErrTokenRequiredClaimMissing,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// keyFor finds the key by kid only; the token's alg must be the key's.
func (v *Verifier) keyFor(ctx context.Context, t *gojwt.Token) (any, error) {
	if err := checkHeader(t); err != nil {
		return nil, err
	}
	kid, _ := t.Header["kid"].(string)
	k, err := v.keys.lookup(ctx, kid)
	if err != nil {
		return nil, err
	}
	if k.alg != t.Method.Alg() {
		return nil, ErrInvalid
	}
	return k.key, nil
}

// checkHeader accepts exactly authd's header: typ at+jwt, a kid of sane
// length, and no crit or b64, whose semantics this verifier does not
// implement (RFC 7515 §4.1.11 says such a token must be refused).
func checkHeader(t *gojwt.Token) error {
	typ, _ := t.Header["typ"].(string)
	if !strings.EqualFold(typ, "at+jwt") && !strings.EqualFold(typ, "application/at+jwt") {
		return ErrInvalid
	}
	if _, ok := t.Header["crit"]; ok {
		return ErrInvalid
	}
	if _, ok := t.Header["b64"]; ok {
		return ErrInvalid
	}
	kid, _ := t.Header["kid"].(string)
	if kid == "" || len(kid) > maxKIDBytes {
		return ErrInvalid
	}
	if t.Method.Alg() == "ES256" && !lowS(t.Signature) {
		return ErrInvalid
	}
	return nil
}

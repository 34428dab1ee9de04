package jwtverify

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// Config says where the keys are and what a token must claim.
type Config struct {
	JWKSURL  string // e.g. https://auth.example.com/.well-known/jwks.json
	Issuer   string // AUTHD_ISSUER of the authd instance
	Audience string // AUTHD_AUDIENCE of the authd instance

	HTTPClient         *http.Client  // default: 10s timeout
	MinRefreshInterval time.Duration // least time between two fetches; default 30s
	CacheTTL           time.Duration // refetch keys older than this; default 5m
	Algorithms         []string      // accepted algs; default EdDSA, ES256, RS256
	Leeway             time.Duration // clock skew allowed on exp, nbf, iat
}

// Claims are what an authd access token asserts.
type Claims struct {
	Subject   string // user id
	Role      string
	SessionID string
	ID        string // jti
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Errors returned by Verify; compare with errors.Is.
var (
	ErrExpired     = errors.New("jwtverify: token has expired")
	ErrInvalid     = errors.New("jwtverify: token is invalid")
	ErrUnavailable = errors.New("jwtverify: signing keys are unavailable")
)

// MaxTokenBytes bounds the tokens Verify looks at.
const MaxTokenBytes = 8 << 10

// Verifier checks authd access tokens against authd's published JWKS. It is
// safe for concurrent use; build one per process and share it.
type Verifier struct {
	cfg    Config
	parser *gojwt.Parser
	keys   *keyCache
}

var asymmetric = []string{"EdDSA", "ES256", "RS256"}

// New checks cfg and fills in defaults. It does not fetch the keys: the
// first Verify does (or call Refresh to fail fast at start-up).
func New(cfg Config) (*Verifier, error) {
	if cfg.JWKSURL == "" || cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwtverify: JWKSURL, Issuer and Audience are required")
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = asymmetric
	}
	for _, a := range cfg.Algorithms {
		// A public key set can only verify asymmetric signatures; allowing
		// HS256 here would invite the classic alg-confusion attack.
		if !slices.Contains(asymmetric, a) {
			return nil, errors.New("jwtverify: unsupported algorithm " + a + " (want EdDSA, ES256 or RS256)")
		}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.MinRefreshInterval <= 0 {
		cfg.MinRefreshInterval = 30 * time.Second
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 5 * time.Minute
	}
	v := &Verifier{cfg: cfg, keys: newKeyCache(cfg, time.Now)}
	v.parser = gojwt.NewParser(
		gojwt.WithValidMethods(cfg.Algorithms),
		gojwt.WithIssuer(cfg.Issuer),
		gojwt.WithAudience(cfg.Audience),
		gojwt.WithExpirationRequired(),
		gojwt.WithIssuedAt(),
		gojwt.WithLeeway(cfg.Leeway),
	)
	return v, nil
}

// Refresh fetches the key set now (subject to MinRefreshInterval).
func (v *Verifier) Refresh(ctx context.Context) error {
	_, err := v.keys.refresh(ctx)
	return err
}

// Verify checks token and returns its claims. Errors: ErrExpired (genuine
// but past exp), ErrUnavailable (no keys could be fetched) or ErrInvalid.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	if token == "" || len(token) > MaxTokenBytes {
		return Claims{}, ErrInvalid
	}
	var unavailable bool
	var c claims
	_, err := v.parser.ParseWithClaims(token, &c, func(t *gojwt.Token) (any, error) {
		key, err := v.keyFor(ctx, t)
		unavailable = errors.Is(err, ErrUnavailable)
		return key, err
	})
	switch {
	case err == nil && c.Subject != "":
		return c.public(), nil
	case unavailable:
		return Claims{}, ErrUnavailable
	case errors.Is(err, gojwt.ErrTokenExpired) && !errors.Is(err, gojwt.ErrTokenInvalidIssuer) &&
		!errors.Is(err, gojwt.ErrTokenInvalidAudience) && !errors.Is(err, gojwt.ErrTokenNotValidYet) &&
		!errors.Is(err, gojwt.ErrTokenUsedBeforeIssued):
		// golang-jwt checks claims only after the signature verified.
		return Claims{}, ErrExpired
	}
	return Claims{}, ErrInvalid
}

// keyFor finds the key by kid only; the token's alg must be the key's.
func (v *Verifier) keyFor(ctx context.Context, t *gojwt.Token) (any, error) {
	typ, _ := t.Header["typ"].(string)
	if !strings.EqualFold(typ, "at+jwt") && !strings.EqualFold(typ, "application/at+jwt") {
		return nil, ErrInvalid
	}
	kid, _ := t.Header["kid"].(string)
	if kid == "" {
		return nil, ErrInvalid
	}
	k, err := v.keys.lookup(ctx, kid)
	if err != nil {
		return nil, err
	}
	if k.alg != t.Method.Alg() {
		return nil, ErrInvalid
	}
	return k.key, nil
}

// claims is the decoding target (this package sits under httpapi, where
// JSON tags are allowed).
type claims struct {
	Issuer    string             `json:"iss"`
	Audience  gojwt.ClaimStrings `json:"aud"`
	Subject   string             `json:"sub"`
	Role      string             `json:"role"`
	SessionID string             `json:"sid"`
	ID        string             `json:"jti"`
	IssuedAt  *gojwt.NumericDate `json:"iat"`
	ExpiresAt *gojwt.NumericDate `json:"exp"`
	NotBefore *gojwt.NumericDate `json:"nbf"`
}

func (c *claims) GetExpirationTime() (*gojwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *claims) GetIssuedAt() (*gojwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *claims) GetNotBefore() (*gojwt.NumericDate, error)      { return c.NotBefore, nil }
func (c *claims) GetIssuer() (string, error)                     { return c.Issuer, nil }
func (c *claims) GetSubject() (string, error)                    { return c.Subject, nil }
func (c *claims) GetAudience() (gojwt.ClaimStrings, error)       { return c.Audience, nil }

func (c *claims) public() Claims {
	out := Claims{Subject: c.Subject, Role: c.Role, SessionID: c.SessionID, ID: c.ID}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.UTC()
	}
	out.ExpiresAt = c.ExpiresAt.UTC() // exp is required, so never nil here
	return out
}

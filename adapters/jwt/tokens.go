// Package jwt issues and verifies authd's access tokens (RFC 9068 profile)
// with golang-jwt/v5: HS256 from a secret, or EdDSA/ES256/RS256 from a folder
// of PEM private keys whose public halves are published in the JWKS.
package jwt

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/google/wire"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// ProviderSet provides *Tokens; the root binds it to the token ports.
var ProviderSet = wire.NewSet(New)

// Config selects the algorithm and its keys.
type Config struct {
	Alg             string   // HS256 (default), EdDSA, ES256 or RS256
	Secret          []byte   // HS256 signing secret, at least domain.MinSecretBytes
	PreviousSecrets [][]byte // HS256 retired secrets: verify, never sign
	KeyDir          string   // asymmetric: folder of *.pem private keys
	GenerateKey     bool     // asymmetric: create a key when KeyDir has none
	Issuer          string
	Audience        string
	Skew            time.Duration // leeway on exp, nbf and iat
}

// Tokens implements ports.AccessTokenIssuer, ports.AccessTokenVerifier and
// ports.KeySet. It is immutable after New and safe for concurrent use;
// rotating keys means building a new one (a restart).
type Tokens struct {
	alg       string
	method    gojwt.SigningMethod
	signKey   any
	header    string         // base64url(JSON header) + ".", fixed per signing key
	verify    map[string]any // kid -> verification key
	published []ports.VerificationKey
	issuer    string
	audience  string
	skew      time.Duration
	parsers   sync.Pool // *parser; see newParser
	keyfunc   gojwt.Keyfunc
}

var (
	_ ports.AccessTokenIssuer   = (*Tokens)(nil)
	_ ports.AccessTokenVerifier = (*Tokens)(nil)
	_ ports.KeySet              = (*Tokens)(nil)
)

// New loads the keys cfg names. clock only names a generated key file; nil
// means the system clock.
func New(cfg Config, clock ports.Clock) (*Tokens, error) {
	if cfg.Alg == "" {
		cfg.Alg = HS256
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwt: issuer and audience are required")
	}
	if cfg.Skew < 0 {
		return nil, errors.New("jwt: clock skew must not be negative")
	}
	t := &Tokens{alg: cfg.Alg, issuer: cfg.Issuer, audience: cfg.Audience, skew: cfg.Skew, verify: map[string]any{}}
	t.method = gojwt.GetSigningMethod(cfg.Alg)
	var err error
	switch {
	case cfg.Alg == HS256:
		err = t.loadSecrets(cfg.Secret, cfg.PreviousSecrets)
	case isAsymmetric(cfg.Alg):
		now := time.Now()
		if clock != nil {
			now = clock.Now()
		}
		err = t.loadKeys(cfg.KeyDir, cfg.GenerateKey, now)
	default:
		err = fmt.Errorf("jwt: unsupported algorithm %q (want HS256, EdDSA, ES256 or RS256)", cfg.Alg)
	}
	if err != nil {
		return nil, err
	}
	t.keyfunc = t.keyFor // bound once: a method value per Verify would allocate
	t.parsers.New = func() any { return t.newParser(cfg.Skew) }
	return t, nil
}

func (t *Tokens) loadSecrets(current []byte, previous [][]byte) error {
	if len(current) < domain.MinSecretBytes {
		return fmt.Errorf("jwt: HS256 %w", domain.ErrWeakSecret)
	}
	kid := hmacKID(current)
	t.setSigner(kid, current)
	t.verify[kid] = current
	for i, s := range previous {
		if len(s) < domain.MinSecretBytes {
			return fmt.Errorf("jwt: previous secret #%d: %w", i+1, domain.ErrWeakSecret)
		}
		t.verify[hmacKID(s)] = s // a repeat of the current secret is harmless
	}
	return nil
}

func (t *Tokens) loadKeys(dir string, generate bool, now time.Time) error {
	keys, err := loadKeyDir(dir, t.alg, generate, now)
	if err != nil {
		return err
	}
	for _, k := range keys {
		pub := k.key.Public()
		t.verify[k.kid] = pub
		t.published = append(t.published, ports.VerificationKey{ID: k.kid, Algorithm: t.alg, Key: pub})
	}
	last := keys[len(keys)-1] // sorted by name: the greatest signs
	t.setSigner(last.kid, last.key)
	return nil
}

func (t *Tokens) setSigner(kid string, key any) {
	t.signKey = key
	// kid is validated ([A-Za-z0-9._-] or base64url), so no escaping needed.
	h := `{"alg":"` + t.alg + `","kid":"` + kid + `","typ":"at+jwt"}`
	t.header = base64.RawURLEncoding.EncodeToString([]byte(h)) + "."
}

// VerificationKeys returns the public keys for the JWKS; empty under HS256.
func (t *Tokens) VerificationKeys() []ports.VerificationKey {
	out := make([]ports.VerificationKey, len(t.published))
	copy(out, t.published)
	return out
}

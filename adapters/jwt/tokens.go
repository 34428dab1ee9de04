package jwt

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
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
	NextSecret      []byte   // HS256 secret of a rotation's first phase: verifies, never signs
	PreviousSecrets [][]byte // HS256 retired secrets: verify, never sign
	KeyDir          string   // asymmetric: folder of *.pem private keys
	GenerateKey     bool     // asymmetric: create a key when KeyDir has none
	Issuer          string
	Audience        string
	Skew            time.Duration // leeway on exp, nbf and iat
	Log             *slog.Logger  // where reloads report; nil: nowhere
}

// Tokens implements ports.AccessTokenIssuer, ports.AccessTokenVerifier and
// ports.KeySet. It is safe for concurrent use. Under an asymmetric algorithm
// its keys are the key folder's: Reload (or Watch) re-reads it, and the key
// that signs is chosen by activation time on every Issue.
type Tokens struct {
	alg      string
	method   gojwt.SigningMethod
	ring     atomic.Pointer[keyRing]
	keyDir   string // empty under HS256: nothing to reload
	reloadMu sync.Mutex
	clock    ports.Clock
	log      *slog.Logger
	issuer   string
	audience string
	skew     time.Duration
	parsers  sync.Pool // *parser; see newParser
	keyfunc  gojwt.Keyfunc
}

var (
	_ ports.AccessTokenIssuer   = (*Tokens)(nil)
	_ ports.AccessTokenVerifier = (*Tokens)(nil)
	_ ports.KeySet              = (*Tokens)(nil)
)

// New loads the keys cfg names. A bad key file is an error naming it.
// clock picks the signing key at each Issue and names a generated key file;
// nil means the system clock.
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
	if clock == nil {
		clock = systemClock{}
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tokens{alg: cfg.Alg, issuer: cfg.Issuer, audience: cfg.Audience, skew: cfg.Skew, clock: clock, log: log}
	t.method = gojwt.GetSigningMethod(cfg.Alg)
	var err error
	switch {
	case cfg.Alg == HS256:
		err = t.loadSecrets(cfg)
	case isAsymmetric(cfg.Alg):
		err = t.loadKeys(cfg.KeyDir, cfg.GenerateKey)
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

func (t *Tokens) loadSecrets(cfg Config) error {
	if len(cfg.Secret) < domain.MinSecretBytes {
		return fmt.Errorf("jwt: HS256 %w", domain.ErrWeakSecret)
	}
	verifyOnly := cfg.PreviousSecrets
	if cfg.NextSecret != nil {
		if len(cfg.NextSecret) < domain.MinSecretBytes {
			return fmt.Errorf("jwt: next secret: %w", domain.ErrWeakSecret)
		}
		verifyOnly = append([][]byte{cfg.NextSecret}, verifyOnly...)
	}
	for i, s := range cfg.PreviousSecrets {
		if len(s) < domain.MinSecretBytes {
			return fmt.Errorf("jwt: previous secret #%d: %w", i+1, domain.ErrWeakSecret)
		}
	}
	t.ring.Store(secretRing(cfg.Secret, verifyOnly))
	return nil
}

func (t *Tokens) loadKeys(dir string, generate bool) error {
	keys, err := loadKeyDir(dir, t.alg, generate, t.clock.Now())
	if err != nil {
		return err
	}
	t.keyDir = dir
	r := fileRing(t.alg, keys)
	t.ring.Store(r)
	t.warnIfNoneActive(r)
	return nil
}

// VerificationKeys returns the public keys for the JWKS: every key of the
// folder, including those not active yet; empty under HS256.
func (t *Tokens) VerificationKeys() []ports.VerificationKey {
	pub := t.ring.Load().published
	out := make([]ports.VerificationKey, len(pub))
	copy(out, pub)
	return out
}

// systemClock is the wall clock, for callers that pass none.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now().UTC() }
